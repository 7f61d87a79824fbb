"""The report's words, generated from the reconciliation: every count, name, unit and date computed.

One `View` (the reconciliation, the subject, the display unit and the company names) is passed
to every function here; nothing in this module states a fact about the data by itself.
"""

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..analysis import codes
from ..analysis.reconcile import FundingPosition, Reconciliation, ValuationComparison
from .formatting import counted, format_date, format_day, format_ids, format_percent, format_usd, join_words, plural
from .rows import rows
from .source_names import source_names

TOP_INVESTORS = 5
VAGUE_BASES = ("reported", "announced", "estimated", None)  # none says pre- or post-money
WORDING = {"initial": "the initial investment", "another": "another investment", "latest": "the latest infusion"}


@dataclass(frozen=True)
class View:
    """What the words are about: one reconciliation, one subject company, one display unit."""

    rec: Reconciliation
    subject_id: str
    unit: str
    names: dict[str, str]

    @property
    def subject(self) -> str:
        """The subject company's name."""
        return self.name(self.subject_id)

    @property
    def as_of(self) -> str:
        """The as-of date in words."""
        return format_day(self.rec.as_of)

    def name(self, company_id) -> str:
        """A company's name from companies.csv (its id if it has none)."""
        return self.names.get(company_id, str(company_id))

    @cached_property
    def claims(self) -> pd.DataFrame:
        """Every claim, indexed by claim id (read once from the reconciliation)."""
        return self.rec.claims.set_index("claim_id")

    @cached_property
    def readings(self) -> pd.DataFrame:
        """Every investment claim's reading, indexed by claim id."""
        return self.rec.interpretations.set_index("claim_id")

    @cached_property
    def source_dates(self) -> dict[str, str]:
        """Each known source's publication date in words, by source id."""
        return source_dates(self)

    def claim_date(self, claim_id: str | None) -> str:
        """The date a claim describes, in words, at its precision ('March 2024 (inferred)'); no claim: 'not stated'."""
        if claim_id is None:
            return format_date(None, None)
        row = self.claims.loc[claim_id].to_dict()
        return format_date(row["date"], row["date_precision"], bool(row["date_inferred"]))

    @cached_property
    def source_names(self) -> dict[str, str]:
        """Each known source's name for readers ('Article of 27 March 2024'), by source id, in date order."""
        return source_names(self.rec.sources)

    def source_name(self, source_id: str) -> str:
        """A source's name for readers; its id never reaches the body of the report."""
        return self.source_names[source_id]

    def sources_in_words(self, source_ids) -> str:
        """Sources by their readers' names, in publication order: 'Article of 27 March 2024 and ...'."""
        wanted = {str(i) for i in source_ids if i == i and i is not None}
        return join_words(name for sid, name in self.source_names.items() if sid in wanted)

    def known_on(self, source_id: str) -> str:
        """When a source's claims became known: its publication date, at its precision."""
        return self.source_dates[source_id]

    def usd(self, amount: float, qualifier: str | None = "exact") -> str:
        """An amount in the report's unit."""
        return format_usd(amount, self.unit, qualifier or "exact")

    @cached_property
    def is_investee(self) -> bool:
        """The subject received money or was valued (the funding view)."""
        return "investee" in self.rec.roles(self.subject_id)

    @cached_property
    def is_investor(self) -> bool:
        """The subject put an amount into a company (the investments-made view)."""
        return "investor" in self.rec.roles(self.subject_id)

    @property
    def has_figures(self) -> bool:
        """The sources give an amount for the subject in some role; else the report tells what they say of it."""
        return self.is_investee or self.is_investor

    @cached_property
    def funding(self) -> FundingPosition:
        """The subject's funding position on the report date."""
        return self.rec.funding_at(self.subject_id)

    @cached_property
    def comparison(self) -> ValuationComparison | None:
        """The subject's funding against its latest valuation, both at the valuation's date (None if none raised)."""
        comparison = self.rec.valuation_comparison(self.subject_id)
        return comparison if comparison is not None and comparison.raised_usd > 0 else None


def source_dates(view: View) -> dict[str, str]:
    """Each known source's publication date in words, by source id."""
    s = view.rec.sources
    return {
        row.source_id: format_date(row.published_date, row.published_date_precision, bool(row.published_date_inferred))
        for row in rows(s)
    }


def publisher_sentence(view: View) -> str:
    """Which sources name a publisher or give an address, counted from sources.csv."""
    s = view.rec.sources
    named = s[s["publisher"].notna() | s["url"].notna()]
    if len(named) == len(s):
        return "Every source names its publisher or address."
    if named.empty:
        return "None of them names a publisher or an address." if len(s) > 1 else "It names no publisher or address."
    return f"{plural(len(named), 'source')} ({format_ids(named['source_id'])}) name a publisher or address."


def lead_investor(view: View) -> str | None:
    """The subject's investor with the most distinct tranches (None when there is none)."""
    parts = view.rec.tranches_of(investee_id=view.subject_id)
    if parts.empty:
        return None
    counts = parts.groupby("investor_id").size()
    return str(counts[counts == counts.max()].index.sort_values()[0])


def tranche_list(view: View, parts: pd.DataFrame) -> str:
    """'$1.25B in September 2023 (inferred) and $2.75B in March 2024 (inferred)'."""
    return join_words(
        f"{view.usd(r.amount_usd)} {when_words(r.date, r.date_precision, r.date_inferred)}"
        if not pd.isna(r.date)
        else f"{view.usd(r.amount_usd)} (undated; known from {format_day(r.known_date)})"
        for r in rows(parts)
    )


def when_words(date, precision, inferred) -> str:
    """'on 27 March 2024', 'in March 2024 (inferred)': a date with its preposition."""
    return f"{'on' if precision == 'day' else 'in'} {format_date(date, precision, bool(inferred))}"


def combined_qualifier(qualifiers) -> str:
    """The qualifier of a sum: exact if all are, at least if the rest are lower bounds, else about."""
    found = {q or "exact" for q in qualifiers}
    if found <= {"exact"}:
        return "exact"
    return "at_least" if found <= {"exact", "at_least"} else "about"


def investor_list(view: View, by_investor: pd.DataFrame) -> str:
    """'Amazon $4B and Google $2B', the largest first, the rest counted."""
    top = by_investor.head(TOP_INVESTORS)
    named = [f"{view.name(r.investor_id)} {view.usd(r.total_usd, r.qualifier)}" for r in rows(top)]
    if len(by_investor) > TOP_INVESTORS:
        named.append(plural(len(by_investor) - TOP_INVESTORS, "other investor"))
    return join_words(named)


def funding_finding(view: View) -> str:
    """The first sentence for a company that raises money: how much, and how much of it the sources attribute."""
    f, subject = view.funding, view.subject
    named = investor_list(view, f.by_investor)
    if f.total_usd is None:
        if not len(f.by_investor):
            return f"The sources give no funding figure for {subject}."
        return (
            f"The sources name {view.usd(f.named_usd, named_qualifier(f))} invested in {subject} ({named}) and report "
            "no total, so it has raised at least that."
        )
    raised = f"{subject} has raised {view.usd(f.total_usd, f.total_qualifier)}"
    if f.added_usd > 0:
        reported = view.usd(f.reported_usd or 0.0, f.total_qualifier)
        raised += (
            f" ({reported} reported {when_claim(view, f.reported_claim_id).replace(' (inferred)', ', inferred,')}"
            f" plus {view.usd(f.added_usd)} in tranches announced since)"
        )
    if not len(f.by_investor):
        return f"{raised}; the sources name none of its investors."
    if f.unattributed_usd and f.unattributed_usd > 0:
        provided = view.usd(f.named_usd, named_qualifier(f))
        return f"{raised}, and the sources name who provided {provided} of it: {named}."
    return f"{raised}, all of it from investors the sources name: {named}."


def named_qualifier(funding: FundingPosition) -> str:
    """The qualifier of the named investors' sum: a lower bound if any of their totals is one."""
    return combined_qualifier(funding.by_investor["qualifier"]) if len(funding.by_investor) else "exact"


def when_claim(view: View, claim_id: str | None) -> str:
    """A claim's date with its preposition ('in March 2024 (inferred)'), or 'without a date'."""
    if claim_id is None:
        return "without a date"
    row = view.claims.loc[claim_id]
    if pd.isna(row["date"]):
        return "without a date"
    return when_words(row["date"], row["date_precision"], row["date_inferred"])


def tranches_finding(view: View) -> str | None:
    """How the lead investor's money came: its tranches with their dates (None for fewer than two)."""
    lead = lead_investor(view)
    if lead is None:
        return None
    parts = view.rec.tranches_of(lead, view.subject_id)
    if len(parts) < 2:
        return None
    totals = view.rec.totals_at()
    total = totals[(totals["investor_id"] == lead) & (totals["investee_id"] == view.subject_id)].iloc[0]
    amount = view.usd(total["total_usd"], total["qualifier"])
    listed = f"{counted(len(parts), 'tranche')}: {tranche_list(view, parts)}"
    if total["basis"] == "tranches":
        return f"{view.name(lead)}'s {amount} came in {listed}."
    return f"Of {view.name(lead)}'s {amount}, a running total the sources report, they itemise {listed}."


def latest_valuation(view: View, company_id: str) -> pd.Series | None:
    """The company's latest valuation claim (by date, then by when it became known), or None."""
    v = view.rec.valuations
    v = v[(v["company_id"] == company_id).fillna(False)]
    return None if v.empty else v.iloc[-1]


def valuation_finding(view: View) -> str | None:
    """The subject's latest reported valuation with its date (None when no source values it)."""
    v = latest_valuation(view, view.subject_id)
    if v is None:
        return None
    amount = view.usd(v["valuation_usd"], v["qualifier"])
    if pd.isna(v["date"]):
        return f"{view.subject} was reported to be valued at {amount}, at a date the source does not give."
    when = when_words(v["date"], v["date_precision"], False)
    inferred = " (date inferred)" if v["date_inferred"] else ""
    return f"{view.subject} was reported to be valued at {amount} {when}{inferred}."


def ratio_text(comparison) -> str | None:
    """The share of the valuation raised, bounded as its two figures are; None when it cannot be bounded."""
    raised_low = comparison.raised_qualifier == "at_least"
    valuation_low = comparison.valuation_qualifier == "at_least"
    if raised_low and valuation_low:
        return None  # a lower bound over a lower bound bounds nothing
    prefix = "at least " if raised_low else ("at most " if valuation_low else "")
    if comparison.raised_qualifier == "about" or comparison.valuation_qualifier == "about":
        prefix = "about "
    return prefix + format_percent(comparison.ratio)


BASIS_UNSTATED = "the valuation's basis (before or after the new money) is not stated"
NOT_A_SHARE = "the ratio is not an ownership share"


def ratio_caveat(view: View) -> str:
    """What a funding/valuation ratio is not, said beside it: its basis unstated, not an ownership share."""
    v = latest_valuation(view, view.subject_id)
    basis = BASIS_UNSTATED if v is None or v["basis"] in VAGUE_BASES else f"the valuation is {v['basis']}"
    return f"{basis}, and {NOT_A_SHARE}"


def summary(view: View) -> list[str]:
    """Two to five sentences, the finding first, every number computed from the reconciliation.

    A company that receives and invests money gets both findings (what it raised, then what it put in and
    where); one the sources give no figure for gets what they report about it.
    """
    found: list[str | None] = []
    if view.is_investee:
        found += [funding_finding(view), tranches_finding(view), valuation_finding(view)]
    if view.is_investor:
        found += investor_findings(view)[: 1 if view.is_investee else None]
    if not view.has_figures:
        found += known_findings(view)
    return [s for s in found if s] + [disagreement_sentence(view)]


NO_FIGURE = "no amount invested in it or by it, no valuation and no total funding"


def known_findings(view: View) -> list[str]:
    """A company the sources give no figure for: that they give none, and what they do report about it."""
    first = f"No source published by {view.as_of} gives a figure for {view.subject}: {NO_FIGURE}."
    ties = relations(view)
    said = subject_statements(view)
    if ties.empty and said.empty:
        named = view.rec.companies.set_index("company_id")["source_id"].get(view.subject_id)
        where = f" ({view.source_name(named)})" if named in view.source_names else ""
        return [first, f"They mention {view.subject} by name only{where}."]
    found = [first]
    if not ties.empty:
        listed_ties = listed([f"{r.what} ({view.sources_in_words(r.source_ids)})" for r in rows(ties)], "tie")
        count = "one tie with another company" if len(ties) == 1 else f"{len(ties)} ties with other companies"
        found.append(f"They report {count}: {listed_ties}.")
    if not said.empty:
        verb = "quotes" if said["source_id"].nunique() == 1 else "quote"
        found.append(
            f"{view.sources_in_words(said['source_id'])} {verb} {plural(len(said), 'statement')} about "
            f"{view.subject}, under '{WORDS_HEADING}'."
        )
    return found


WORDS_HEADING = "What the sources say in words"


def relations(view: View) -> pd.DataFrame:
    """The events the subject takes part in, one row per fact: what, with whom, when, status, and the sources.

    Columns: what (the description; a rumour says so), others (the other companies' names), when (in words),
    status and source_ids (every source that reports the fact), in the order of the events table.
    """
    parties = view.rec.event_parties
    ids = set(parties.loc[parties["company_id"] == view.subject_id, "event_id"])
    events = view.rec.events
    events = events[events["event_id"].isin(ids)]
    found = []
    for fact_id, group in events.groupby("fact_id", sort=False):
        dated = group[group["date"].notna()]
        first = (dated if len(dated) else group).iloc[0]
        others = parties[parties["event_id"].isin(group["event_id"]) & (parties["company_id"] != view.subject_id)]
        found.append(
            {
                "fact_id": fact_id,
                "what": _described(first),
                "others": join_words(dict.fromkeys(view.name(c) for c in others["company_id"])),
                "when": format_date(first["date"], first["date_precision"], bool(first["date_inferred"])),
                "status": str(first["status"]),
                "source_ids": tuple(dict.fromkeys(group["source_id"])),
            }
        )
    return pd.DataFrame(found, columns=["fact_id", "what", "others", "when", "status", "source_ids"])


def _described(event) -> str:
    """An event's description without its full stop; a rumour says so (unless its description does)."""
    what = str(event["description"]).rstrip(".")
    return what + " (rumoured)" if event["status"] == "rumoured" and "rumour" not in what.casefold() else what


def subject_statements(view: View) -> pd.DataFrame:
    """The statements about the subject (by it, or about it as counterparty)."""
    s = view.rec.statements
    return s[((s["company_id"] == view.subject_id) | (s["counterparty_id"] == view.subject_id)).fillna(False)]


def no_key_figures(view: View) -> str:
    """What the key-figures table says when the sources give no figure for the subject."""
    return f"None: the sources published by {view.as_of} give no figure for {view.subject}."


def investor_findings(view: View) -> list[str | None]:
    """An investor subject: what it has put in and where, with the tranches of its largest itemised stake."""
    totals = view.rec.totals_at()
    own = totals[totals["investor_id"] == view.subject_id].sort_values("total_usd", ascending=False, kind="stable")
    if own.empty:
        return [f"The sources report no amount invested by {view.subject}."]
    amount = view.usd(own["total_usd"].sum(), combined_qualifier(own["qualifier"]))
    counts = {r.investee_id: len(view.rec.tranches_of(view.subject_id, r.investee_id)) for r in rows(own)}
    first = own.iloc[0]
    context = investee_context(view, first["investee_id"])
    if len(own) == 1:
        return [
            f"{view.subject} has put {amount} into {view.name(first['investee_id'])}{stake_detail(view, first)}.",
            context,
        ]
    listed = join_words(
        f"{view.name(r.investee_id)} {view.usd(r.total_usd, r.qualifier)}"
        + (f" ({plural(counts[r.investee_id], 'tranche')})" if counts[r.investee_id] else "")
        for r in rows(own.head(TOP_INVESTORS))
    )
    more = f" and {plural(len(own) - TOP_INVESTORS, 'other company', 'other companies')}" * (len(own) > TOP_INVESTORS)
    return [
        f"{view.subject} has put {amount} into {plural(len(own), 'company', 'companies')}: {listed}{more}.",
        context,
    ]


def investee_context(view: View, investee_id: str) -> str | None:
    """Where the investor's largest stake sits: that company's funding in all, as the sources put it."""
    f = view.rec.funding_at(investee_id)
    if f.total_usd is None:
        return None
    return (
        f"{view.name(investee_id)} has raised {view.usd(f.total_usd, f.total_qualifier)} in all; the sources name who "
        f"provided {view.usd(f.named_usd, named_qualifier(f))} of it."
    )


def stake_detail(view: View, total) -> str:
    """', in 2 tranches: $1.25B in ... and $2.75B in ...', or ', none of it itemised by tranche'."""
    parts = view.rec.tranches_of(view.subject_id, total["investee_id"])
    if parts.empty:
        return ", none of it itemised by tranche"
    listed = tranche_list(view, parts)
    if total["basis"] == "tranches":
        return f", in {counted(len(parts), 'tranche')}: {listed}" if len(parts) > 1 else f": {listed}"
    return f", a running total the sources report; they itemise {counted(len(parts), 'tranche')}: {listed}"


def disagreement_sentence(view: View) -> str:
    """How many points the sources disagree on (amounts, dates, readings), and how many concern the subject."""
    n_sources = len(view.rec.sources)
    d = view.rec.disagreements
    if n_sources == 0:
        return "No source is known at this date."
    if n_sources < 2:
        return "Only one source is known at this date, so nothing can be compared across sources."
    if d.empty:
        return f"The {n_sources} sources do not contradict each other."
    own = int(((d["company_id"] == view.subject_id) | (d["investor_id"] == view.subject_id)).fillna(False).sum())
    about = f", {own or 'none'} of them about {view.subject}" if own != len(d) else ""
    return f"The sources disagree on {plural(len(d), 'point')}{about}, set out under 'Where the sources disagree'."


def explanation(view: View, row) -> str:
    """What the sources say about one disagreement, naming them as readers know them."""
    if row.code in (codes.WORDING_SAYS_TRANCHE, codes.WORDING_SAYS_TOTAL):
        return wording_explanation(view, row)
    source = view.sources_in_words(row.source_ids)
    if row.code == codes.MATCHES_NOTHING:
        return (
            f"{source} reports {view.usd(row.amount_usd)}, which matches no tranche known at its date and not "
            f"their sum ({view.usd(row.expected_usd)})."
        )
    if row.code == codes.BELOW_KNOWN_TRANCHES:
        return (
            f"{source} reports a running total of {view.usd(row.amount_usd)}, less than the "
            f"{view.usd(row.expected_usd)} in tranches known at its date."
        )
    claims = view.claims.loc[list(row.claim_ids)]
    if row.code == codes.AMOUNTS_DIFFER:
        told = "; ".join(
            f"{view.source_name(c.source_id)} says {view.usd(c.amount_usd, c.qualifier)}" for c in rows(claims)
        )
        return f"The sources give different amounts: {told}."
    return f"The sources place it at different times: {dates_told(view, claims)}."


def dates_told(view: View, claims: pd.DataFrame) -> str:
    """'Undated article (March 2024, inferred) dates it to March 2024 (inferred); Article of ... gives no date'."""
    return "; ".join(
        f"{view.source_name(c.source_id)} gives no date"
        if pd.isna(c.date)
        else f"{view.source_name(c.source_id)} dates it to {format_date(c.date, c.date_precision, c.date_inferred)}"
        for c in rows(claims)
    )


def _wording_claim(view: View, row) -> tuple[pd.Series, pd.DataFrame]:
    """The claim whose wording the arithmetic contradicts, and the tranches known at its date."""
    claim = view.readings.loc[row.claim_ids[0]]
    parts = view.rec.tranches_of(row.investor_id, row.company_id).set_index("fact_id")
    return claim, parts.loc[list(claim["known_tranche_fact_ids"])].reset_index()


def wording_explanation(view: View, row) -> str:
    """A wording the arithmetic contradicts: 'the latest infusion' that equals the sum of the tranches."""
    claim, known = _wording_claim(view, row)
    amount, when = view.usd(row.amount_usd), view.known_on(claim["source_id"])
    source = view.source_name(claim["source_id"])
    if row.code == codes.WORDING_SAYS_TRANCHE:
        added = " + ".join(view.usd(a) for a in known["amount_usd"])
        return (
            f"{source} calls {amount} {WORDING.get(claim['wording'], 'one tranche')}, but {amount} equals the sum of "
            f"the {plural(len(known), 'tranche')} known on {when} ({added})."
        )
    return f"{source} calls {amount} a total, but it equals one of the {plural(len(known), 'tranche')} known on {when}."


def reading(view: View, row) -> str:
    """Which reading the report uses for one disagreement, and why, in plain words."""
    if row.code == codes.WORDING_SAYS_TRANCHE:
        claim, known = _wording_claim(view, row)
        latest = known[known["fact_id"] == row.related_fact_id].iloc[0]
        cited = row.related_source_ids
        return (
            f"Read as {view.name(row.investor_id)}'s running total on {view.known_on(claim['source_id'])}, not a new "
            f"tranche, because the amounts add up. The latest tranche itself is {view.usd(latest['amount_usd'])}, as "
            f"{view.sources_in_words(cited)} {'reports' if len(cited) == 1 else 'report'}."
        )
    if row.code == codes.WORDING_SAYS_TOTAL:
        return f"Read as one tranche, because it equals one; the total then is their sum, {view.usd(row.expected_usd)}."
    if row.code == codes.MATCHES_NOTHING:
        return "Not counted in any total, because the report cannot tell whether it is a tranche or a running total."
    if row.code == codes.BELOW_KNOWN_TRANCHES:
        return (
            f"The report uses the sum of the tranches, {view.usd(row.expected_usd)}, because a running total cannot "
            "be less than the tranches already known."
        )
    if row.code == codes.AMOUNTS_DIFFER:
        return amounts_reading(view, row)
    return "The report does not choose between the dates: the timeline shows each date with its source."


def amounts_reading(view: View, row) -> str:
    """Which of differing amounts the report counts."""
    tranche = view.rec.tranches.set_index("fact_id")
    if row.fact_id in tranche.index:
        first = tranche.loc[row.fact_id]
        source = view.source_name(view.claims.loc[first["claim_ids"][0], "source_id"])
        return (
            f"The report counts the tranche once, at the amount first reported, {view.usd(first['amount_usd'])} "
            f"({source}), because a later report of the same tranche does not add money."
        )
    return (
        "Both amounts are kept, each with its source and date; "
        "the key figures use the one that holds on the report date."
    )


def dated_once_entry(view: View, row) -> str:
    """An event one source dates and another leaves undated: not a disagreement."""
    claims = view.claims.loc[list(row.claim_ids)]
    return f"{topic(view, row)}: {dates_told(view, claims)}. The report uses the date given."


MAX_UNKNOWNS = 6  # items of one kind listed in 'What the sources cannot tell'; the rest are counted
AMOUNTLESS_KINDS = ("investment",)  # events that are money changing hands, which the events table gives no amount


def cannot_tell(view: View, figures) -> list[str]:
    """What a reader might assume but the sources do not establish, one plain sentence each."""
    found = [
        no_figures(view),
        amountless_relations(view),
        unattributed_funding(view),
        announced_only(view),
        valuation_unknowns(view),
        single_source_figures(view, figures),
        inferred_dates(view),
    ]
    return [s for s in found if s]


def listed(items: list[str], noun: str) -> str:
    """At most MAX_UNKNOWNS items in words, the rest counted: 'a, b and 3 other relations'."""
    shown = items[:MAX_UNKNOWNS]
    if len(items) > MAX_UNKNOWNS:
        shown.append(plural(len(items) - MAX_UNKNOWNS, f"other {noun}"))
    return join_words(shown)


def amountless_relations(view: View) -> str | None:
    """Investments the sources mention without an amount (events of kind investment)."""
    e = view.rec.events
    e = e[e["kind"].isin(AMOUNTLESS_KINDS) & ~e["event_id"].isin(quantified_events(view))].drop_duplicates("fact_id")
    if e.empty:
        return None
    said = [f"{str(r.description).rstrip('.')} (according to {view.source_name(r.source_id)})" for r in rows(e)]
    return f"How much: {listed(said, 'investment')}; no source says how much."


def quantified_events(view: View) -> set[str]:
    """The events between companies for which a source gives an amount invested (one of them in the other)."""
    reads = view.rec.interpretations
    pairs = {frozenset(p) for p in zip(reads["investor_id"], reads["investee_id"], strict=True)}
    parties = view.rec.event_parties.groupby("event_id")["company_id"].agg(frozenset)
    return {str(event) for event, companies in parties.items() if companies in pairs}


def no_figures(view: View) -> str | None:
    """For a subject the sources give no figure for: the amounts a reader might expect and no source gives."""
    if view.has_figures:
        return None
    return (
        f"Any figure: no source says how much {view.subject} has raised or invested, or what it is worth "
        "(no investment amount, valuation or total funding)."
    )


def dated(date, precision, inferred) -> str:
    """'March 2024, inferred' or '27 March 2024': a date for inside brackets."""
    return format_date(date, precision) + (", inferred" if inferred and not pd.isna(date) else "")


def unattributed_funding(view: View) -> str | None:
    """The part of the subject's reported funding that no source attributes to an investor."""
    if not view.is_investee:
        return None
    f = view.funding
    if f.total_usd is None or not f.unattributed_usd or f.unattributed_usd <= 0:
        return None
    rest = view.usd(f.unattributed_usd, f.total_qualifier)
    total = view.usd(f.total_usd, f.total_qualifier)
    return f"Who provided the rest: no source names the investors behind {rest} of {view.subject}'s {total}."


def announced_only(view: View) -> str | None:
    """Tranches every source reports as announced, none as committed."""
    i = view.readings
    committed = set(i.loc[i["status"] == "committed", "fact_id"].astype(str))
    t = view.rec.tranches
    involved = (t["investor_id"] == view.subject_id) | (t["investee_id"] == view.subject_id)
    t = t[involved.fillna(False) & ~t["fact_id"].astype(str).isin(committed)]
    if t.empty:
        return None
    said = [
        f"{view.name(r.investor_id)}'s {view.usd(r.amount_usd)} in {view.name(r.investee_id)}"
        f" ({dated(r.date, r.date_precision, r.date_inferred)})"
        for r in rows(t)
    ]
    verb = "is reported as announced; no source says it was"
    if len(said) > 1:
        verb = "are reported as announced; no source says they were"
    return f"Whether the money was paid: {listed(said, 'tranche')} {verb} committed."


def valuation_unknowns(view: View) -> str | None:
    """What the subject's latest valuation leaves open: its basis (pre- or post-money) and how its date is known."""
    v = latest_valuation(view, view.subject_id)
    if v is None:
        return None
    amount = view.usd(v["valuation_usd"], v["qualifier"])
    said = f"{view.source_name(v['source_id'])} reports {view.subject}'s valuation as {amount}"
    vague = v["basis"] in VAGUE_BASES
    if vague:
        said += " without saying whether it is before or after the new money (pre- or post-money)"
    if pd.isna(v["date"]):
        said += "; it gives no date"
    elif v["date_inferred"]:
        said += f"; its date, {format_date(v['date'], v['date_precision'])}, is inferred"
    elif not vague:
        return None
    if view.comparison is not None:
        said += ". Funding raised divided by it is not an ownership share"
    return f"What the valuation measures: {said}."


def single_source_figures(view: View, figures) -> str | None:
    """Key figures that rest on one source, grouped by that source."""
    by_source: dict[str, list[str]] = {}
    for f in figures:
        if len(f.source_ids) == 1 and f.value is not None:
            by_source.setdefault(f.source_ids[0], []).append(f"{f.label} ({f.display})")
    if not by_source:
        return None
    told = "; ".join(
        f"{view.source_name(sid)} alone reports {listed(by_source[sid], 'figure')}"
        for sid in view.source_names
        if sid in by_source
    )
    n = sum(map(len, by_source.values()))
    return f"Confirmation: {told}. No other source confirms {'it' if n == 1 else 'them'}."


def inferred_dates(view: View) -> str | None:
    """How many dates are inferred, and which sources give no date of publication."""
    c = view.rec.claims
    claims = c[c["date"].notna()]
    inferred = int(claims["date_inferred"].sum())
    s = view.rec.sources
    undated = [view.source_name(r.source_id) for r in rows(s[s["published_date_inferred"].astype(bool)])]
    parts = []
    if inferred:
        share = "all" if inferred == len(claims) else f"{inferred} of the"
        parts.append(f"{share} {plural(len(claims), 'dated claim')} carry a date inferred from the text, not stated")
    if undated:
        verb = "gives" if len(undated) == 1 else "give"
        parts.append(f"{join_words(undated)} {verb} no publication date; it is inferred from the text")
    return f"Exact dates: {'; '.join(parts)}." if parts else None


KIND_WORDS = {"valuations": "valuation", "funding_totals": "total funding", "statements": "words"}


def topic(view: View, row) -> str:
    """What a disagreement is about, in words: an event's label, never a fact id."""
    if row.table == "investments":
        return f"{view.name(row.investor_id)}'s investment in {view.name(row.company_id)}"
    if row.table == "events":
        return str(view.rec.events.set_index("event_id").loc[row.claim_ids[0], "label"])
    return f"{view.name(row.company_id)}'s {KIND_WORDS.get(row.table, 'figures')}"


READINGS = {
    codes.CURATED_TRANCHE: "one tranche (curated)",
    codes.CURATED_CUMULATIVE: "running total (curated)",
    codes.SAME_FACT_AS_TRANCHE: "one tranche (same fact)",
    codes.EQUALS_SUM_OF_TRANCHES: "running total: the sum of the tranches known then",
    codes.EQUALS_TRANCHE: "one tranche: equals a tranche known then",
    codes.ONLY_AMOUNT_KNOWN: "the total so far: no tranche known then",
    codes.MATCHES_NOTHING: "unexplained: no tranche known then, nor their sum",
    codes.BELOW_KNOWN_TRANCHES: "running total below the tranches known then",
}
STATUS = {codes.STATUS_DISAGREE: "disagree", codes.STATUS_AGREE: "agree", codes.STATUS_SINGLE: "single source"}
