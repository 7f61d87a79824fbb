"""The report's words, generated from the reconciliation: every count, name, unit and date computed.

One `View` (the reconciliation, the subject, the display unit and the company names) is passed
to every function here; nothing in this module states a fact about the data by itself.
"""

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..analysis import codes
from ..analysis.reconcile import FundingPosition, Reconciliation, ValuationComparison
from .formatting import format_date, format_day, format_ids, format_percent, format_usd, join_words, plural
from .rows import rows
from .source_names import source_names

TOP_INVESTORS = 5
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


def sources_sentence(view: View) -> str:
    """'Based on 2 news articles published on or before 27 March 2024 (art-000: March 2024 (inferred); ...).'"""
    dates = view.source_dates
    listed = "; ".join(f"{source}: {dates[source]}" for source in sorted(dates))
    return (
        f"Based on {plural(len(dates), 'news article')} published on or before {view.as_of} ({listed}); "
        "later articles are not used."
    )


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
    """'$1.25B (September 2023 (inferred)) and $2.75B (March 2024 (inferred))'."""
    return join_words(
        f"{view.usd(r.amount_usd)} ({format_date(r.date, r.date_precision, r.date_inferred)})"
        if not pd.isna(r.date)
        else f"{view.usd(r.amount_usd)} (undated; known from {format_day(r.known_date)})"
        for r in rows(parts)
    )


def funding_sentence(view: View, funding: FundingPosition) -> str:
    """Named investors against the reported total, both at the same date."""
    top = funding.by_investor.head(TOP_INVESTORS)
    named = join_words(f"{view.name(r.investor_id)} {view.usd(r.total_usd, r.qualifier)}" for r in rows(top))
    if len(funding.by_investor) > TOP_INVESTORS:
        named += f" and {plural(len(funding.by_investor) - TOP_INVESTORS, 'other')}"
    if len(funding.by_investor):
        text = f"As of {format_day(funding.date)}, named investors account for {view.usd(funding.named_usd)} ({named})."
    else:
        text = f"As of {format_day(funding.date)}, the sources name no investor in {view.subject}."
    if funding.total_usd is None or funding.reported_usd is None:  # both or neither: a total is a reported one
        return text + " No source reports a total, so this is a lower bound of the funding raised."
    reported = (
        f"{view.usd(funding.reported_usd, funding.total_qualifier)} "
        f"(as of {view.claim_date(funding.reported_claim_id)}, {funding.reported_claim_id})"
    )
    total = view.usd(funding.total_usd, funding.total_qualifier)
    if funding.added_usd > 0:
        text += (
            f" The sources last reported total funding of {reported}; with the {view.usd(funding.added_usd)} in "
            f"tranches announced after it, that makes {total}."
        )
    else:
        text += f" The sources report total funding of {reported}."
    if not len(funding.by_investor):
        pass
    elif funding.unattributed_usd and funding.unattributed_usd > 0:
        rest = view.usd(funding.unattributed_usd, funding.total_qualifier)
        text += f" That leaves {rest} from investors the sources do not name."
    else:
        text += " The named investors account for all of it."
    return text


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


def valuation_sentence(view: View) -> str | None:
    """Funding raised at the valuation's date against that valuation."""
    comparison = view.comparison
    if comparison is None:
        return None
    valuation = view.usd(comparison.valuation_usd, comparison.valuation_qualifier)
    when = view.claim_date(comparison.valuation_claim_id)
    raised = view.usd(comparison.raised_usd, comparison.raised_qualifier)
    ratio = ratio_text(comparison)
    share = f" is {ratio} of the valuation" if ratio else " sets no bound on its share of the valuation"
    return (
        f"As of {when}, funding raised ({raised}){share}, reported then as {valuation} "
        f"({comparison.valuation_source_id})."
    )


def summary(view: View) -> list[str]:
    """The summary paragraphs, every number computed from the reconciliation."""
    out = []
    if view.is_investee:
        lead = lead_investor(view)
        if lead is not None:
            parts = view.rec.tranches_of(lead, view.subject_id)
            totals = view.rec.totals_at()
            pair = (totals["investor_id"] == lead) & (totals["investee_id"] == view.subject_id)
            total = totals[pair].iloc[0].to_dict()  # the lead investor has a running total: it has tranches
            amount = view.usd(total["total_usd"], total["qualifier"])
            itemised = f"{plural(len(parts), 'distinct tranche')}, {tranche_list(view, parts)}"
            out.append(
                f"As of {view.as_of}, the sources put {view.name(lead)}'s investment in {view.subject} at {amount}: "
                f"{itemised}."
                if total["basis"] == "tranches"
                else f"As of {view.as_of}, the sources put {view.name(lead)}'s investment in {view.subject} at "
                f"{amount}, a running total they report; the tranches they itemise: {itemised}."
            )
        out.append(funding_sentence(view, view.funding))
        valuation = valuation_sentence(view)
        if valuation:
            out.append(valuation)
    else:
        out.append(investments_made_sentence(view))
    out.append(disagreement_sentence(view))
    return out


def investments_made_sentence(view: View) -> str:
    """An investor subject: its running total in each company as of the report date."""
    totals = view.rec.totals_at()
    own = totals[totals["investor_id"] == view.subject_id].sort_values("total_usd", ascending=False)
    listed = join_words(f"{view.name(r.investee_id)} {view.usd(r.total_usd, r.qualifier)}" for r in rows(own))
    tranches = view.rec.tranches_of(view.subject_id)
    return (
        f"As of {view.as_of}, the sources put {view.subject}'s investments at "
        f"{view.usd(own['total_usd'].sum())} in {plural(len(own), 'company', 'companies')} ({listed}), "
        + (f"from {plural(len(tranches), 'distinct tranche')}." if len(tranches) else "none of it itemised by tranche.")
    )


def disagreement_sentence(view: View) -> str:
    """How many points the sources disagree on, and how many concern the subject."""
    n_sources = len(view.rec.sources)
    d = view.rec.disagreements
    if n_sources == 0:
        return "No source is known at this date."
    if n_sources < 2:
        return "Only one source is known at this date, so nothing can be compared across sources."
    if d.empty:
        return f"The {n_sources} sources do not contradict each other."
    own = int(((d["company_id"] == view.subject_id) | (d["investor_id"] == view.subject_id)).fillna(False).sum())
    about = f", {own} of them about {view.subject}" if own != len(d) else ""
    return (
        f"The {n_sources} sources disagree on {plural(len(d), 'point')}{about}, explained in "
        "'Where the sources disagree'."
    )


def explanation(view: View, row) -> str:
    """One disagreement in words, from its reason code and numbers."""
    source = format_ids(row.source_ids)
    if row.code in (codes.WORDING_SAYS_TRANCHE, codes.WORDING_SAYS_TOTAL):
        claim = view.readings.loc[row.claim_ids[0]]
        parts = view.rec.tranches_of(row.investor_id, row.company_id).set_index("fact_id")
        known = parts.loc[list(claim["known_tranche_fact_ids"])].reset_index()
        amount, when = view.usd(row.amount_usd), view.known_on(claim["source_id"])
        if row.code == codes.WORDING_SAYS_TRANCHE:
            latest = known[known["fact_id"] == row.related_fact_id].iloc[0]
            cited = row.related_source_ids
            return (
                f"{claim['source_id']} calls {amount} {WORDING.get(claim['wording'], 'one tranche')}, but {amount} "
                f"equals the sum of the {plural(len(known), 'tranche')} known on {when} "
                f"({' + '.join(view.usd(a) for a in known['amount_usd'])}), so it is {view.name(row.investor_id)}'s "
                f"running total then. {format_ids(cited)} {'reports' if len(cited) == 1 else 'report'} the latest "
                f"tranche itself as {view.usd(latest['amount_usd'])}."
            )
        return (
            f"{claim['source_id']} calls {amount} a total, but it equals one of the "
            f"{plural(len(known), 'tranche')} known on {when}, which sum to {view.usd(row.expected_usd)}."
        )
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
        told = "; ".join(f"{c.source_id} says {view.usd(c.amount_usd, c.qualifier)}" for c in rows(claims))
        return f"The sources give different amounts: {told}."
    told = "; ".join(
        f"{c.source_id} gives no date"
        if pd.isna(c.date)
        else f"{c.source_id} dates it to {format_date(c.date, c.date_precision, c.date_inferred)}"
        for c in rows(claims)
    )
    return f"The sources place this event at different times: {told}."


def topic(view: View, row) -> str:
    """What a disagreement is about, in words."""
    if row.table == "investments":
        return f"{view.name(row.investor_id)}'s investment in {view.name(row.company_id)}"
    if row.table == "events":
        return f"{row.fact_id.replace('-', ' ')} ({view.name(view.claims.loc[row.claim_ids[0], 'company_id'])})"
    return f"{view.name(row.company_id)}: {row.fact_id.replace('-', ' ')}"


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
