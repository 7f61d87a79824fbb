"""The headline figures, as data: one object per figure gives the report's table row and figures.json.

Each figure has a stable id, its value and unit, its qualifier (exact, at least, ...), the date it
is true at, how it is derived, and the claims and sources it comes from.
"""

from dataclasses import asdict, dataclass
from typing import NamedTuple

import pandas as pd

from ..analysis.reconcile import reconcile
from . import text
from .formatting import format_date, format_ids, plural
from .params import RACE_ID
from .rows import rows

MAX_FIGURES = 30  # the table stays readable at any data size
FIGURES_VERSION = 2  # of the figures.json layout (src/aiinvest/report/figures.schema.json)
HOW_TOTAL = {"tranches": "sum of its distinct tranches", "reported": "a reported amount, not itemised into tranches"}


@dataclass(frozen=True)
class Figure:
    """One headline figure."""

    id: str
    label: str
    value: float | None  # None when it cannot be bounded (a lower bound over a lower bound)
    unit: str  # "USD", or "share" for a ratio
    qualifier: str  # exact, at_least, at_most, about, unbounded
    display: str  # the value as the report shows it
    as_of: str  # the date it is true at, YYYY-MM-DD (the first day of its period)
    as_of_text: str  # the same date in words, at its precision
    how: str
    claim_ids: tuple[str, ...]
    source_ids: tuple[str, ...]

    def row(self) -> dict:
        """The key-figures table's row."""
        return {
            "label": self.label,
            "value": self.display,
            "as_of": self.as_of_text,
            "how": self.how,
            "sources": format_ids(self.source_ids),
        }

    def record(self) -> dict:
        """The figure as JSON-ready data."""
        data = asdict(self)
        data["claim_ids"], data["source_ids"] = list(self.claim_ids), list(self.source_ids)
        return data


def key_figures(view: text.View) -> list[Figure]:
    """The subject's headline figures as of the report date (bounded at any data size)."""
    figures = _investee_figures(view) if view.is_investee else []
    if view.is_investor:  # a company that also invests: its investments follow its funding
        seen = {f.id for f in figures}
        figures += [f for f in _investor_figures(view) if f.id not in seen]
    return figures[:MAX_FIGURES]


def figures_document(view: text.View, figures: list[Figure]) -> dict:
    """What figures.json holds: the report's subject and date, its sources, figures and disagreements."""
    rec = view.rec
    return {
        "version": FIGURES_VERSION,
        "company_id": view.subject_id,
        "company_name": view.subject,
        "as_of": rec.as_of.date().isoformat(),
        "sources": sorted(rec.sources["source_id"]),
        "figures": [f.record() for f in figures],
        "disagreements": [
            {
                "id": f"{d.code}:{d.fact_id}:{'+'.join(d.claim_ids)}",
                "topic": text.topic(view, d),
                "explanation": text.explanation(view, d),
                "source_ids": list(d.source_ids),
            }
            for d in rows(rec.disagreements)
        ],
        "source_details": source_details(view),
        "claims": claims_said(view, {c for f in figures for c in f.claim_ids}),
    }


def source_details(view: text.View) -> dict[str, dict]:
    """Each source the report uses, by id: its readers' name and publication date (for "what changed")."""
    dates = view.rec.sources.set_index("source_id")["published_date"]
    return {
        sid: {"name": name, "published": None if pd.isna(dates[sid]) else _day(dates[sid])}
        for sid, name in sorted(view.source_names.items())
    }


def claims_said(view: text.View, behind: set[str]) -> dict[str, dict]:
    """Each claim known on the report date, by id: its source, its quote, and whether it is about the subject (or
    behind a figure), for "what changed": a claim gone from the data is told from one about another company."""
    claims, subject = view.rec.claims.sort_values("claim_id", kind="stable"), view.subject_id
    parties = view.rec.event_parties
    events = set(parties.loc[parties["company_id"] == subject, "event_id"])
    about = (claims["company_id"] == subject) | (claims["counterparty_id"] == subject)
    about = about.fillna(False) | claims["claim_id"].isin(events | behind)
    columns = (claims[name].tolist() for name in ("claim_id", "source_id", "quote"))  # not row by row: 10^5 claims
    return {
        str(claim): {"source_id": str(source), "says": str(quote), "about_subject": bool(a)}
        for claim, source, quote, a in zip(*columns, about.tolist(), strict=True)
    }


def _day(stamp) -> str:
    return pd.Timestamp(stamp).date().isoformat()


def _claims(view: text.View, kinds: set[str], company: str, counterparty: str | None = None, sources=None) -> tuple:
    """The claims of these kinds about a company (and counterparty), from these sources, known by the date."""
    c = view.rec.claims
    keep = c["kind"].isin(kinds) & (c["company_id"] == company)
    if counterparty is not None:
        keep &= c["counterparty_id"] == counterparty
    if sources is not None:
        keep &= c["source_id"].isin(list(sources))
    return tuple(sorted(c.loc[keep.fillna(False), "claim_id"]))


def _tranche(view: text.View, investor: str, investee: str, tranche) -> Figure:
    return Figure(
        id=f"tranche:{tranche.fact_id}",
        label=f"{view.name(investor)} in {view.name(investee)}, tranche {tranche.number}",
        value=float(tranche.amount_usd),
        unit="USD",
        qualifier="exact",
        display=view.usd(tranche.amount_usd),
        as_of=_day(tranche.date) if pd.notna(tranche.date) else _day(tranche.effective_date),
        as_of_text=format_date(tranche.date, tranche.date_precision, tranche.date_inferred),
        how=f"one tranche, reported by {plural(len(tranche.source_ids), 'source')}",
        claim_ids=tuple(sorted(tranche.claim_ids)),
        source_ids=tuple(tranche.source_ids),
    )


def _total(view: text.View, investor: str, investee: str, total, sources) -> Figure:
    """An investor's running total in one company on the report date."""
    return _on_report_date(
        view,
        f"total:{investor}:{investee}",
        f"{view.name(investor)} in {view.name(investee)}, in all",
        (total.total_usd, total.qualifier),
        _Basis(HOW_TOTAL[total.basis], _claims(view, {"investment"}, investee, investor, sources), tuple(sources)),
    )


class _Basis(NamedTuple):
    """How a figure is derived, and the claims and sources behind it."""

    how: str
    claim_ids: tuple[str, ...]
    source_ids: tuple[str, ...]


def _on_report_date(view: text.View, id_: str, label: str, amount: tuple, basis: _Basis) -> Figure:
    value, qualifier = amount
    how, claim_ids, source_ids = basis
    return Figure(
        id=id_,
        label=label,
        value=float(value),
        unit="USD",
        qualifier=qualifier or "exact",
        display=view.usd(value, qualifier),
        as_of=_day(view.rec.as_of),
        as_of_text=view.as_of,
        how=how,
        claim_ids=tuple(claim_ids),
        source_ids=tuple(source_ids),
    )


def _investee_figures(view: text.View) -> list[Figure]:
    rec, company, subject = view.rec, view.subject, view.subject_id
    figures = []
    lead = text.lead_investor(view)
    if lead is not None:
        figures += [_tranche(view, lead, subject, r) for r in rows(rec.tranches_of(lead, subject))]
    funding = view.funding
    for r in rows(funding.by_investor.head(text.TOP_INVESTORS)):
        figures.append(_total(view, r.investor_id, subject, r, r.source_ids))
    named_claims = _claims(view, {"investment"}, subject, sources=funding.source_ids)
    if len(funding.by_investor):
        basis = _Basis("sum of the named investors' totals", named_claims, funding.source_ids)
        named = (funding.named_usd, text.named_qualifier(funding))
        figures.append(_on_report_date(view, f"named:{subject}", "Named investors, in all", named, basis))
    if funding.total_usd is not None:
        how = f"reported as of {view.claim_date(funding.reported_claim_id)}"
        if funding.added_usd > 0:
            how += f", plus {view.usd(funding.added_usd)} in tranches announced since"
        if funding.total_qualifier == "at_least":
            how += "; a lower bound"
        total_claims = tuple(c for c in (funding.reported_claim_id, *_added_since(view, funding.reported_date)) if c)
        basis = _Basis(how, tuple(sorted(set(total_claims))), funding.total_source_ids)
        amount = (funding.total_usd, funding.total_qualifier)
        figures.append(_on_report_date(view, f"funding:{subject}", f"{company}'s total funding", amount, basis))
        if funding.unattributed_usd and funding.unattributed_usd > 0:
            claims = tuple(sorted(set(total_claims) | set(named_claims)))
            basis = _Basis("total funding minus named investors, both on this date", claims, funding.source_ids)
            amount = (funding.unattributed_usd, funding.total_qualifier)
            label = "From investors the sources do not name"
            figures.append(_on_report_date(view, f"unattributed:{subject}", label, amount, basis))
    figures += _valuation_figures(view)
    return figures


def _added_since(view: text.View, reported) -> tuple[str, ...]:
    """The claims of the tranches a reported total is carried forward by: those dated after the report."""
    t = view.rec.tranches
    later = t[(t["investee_id"] == view.subject_id) & (t["effective_date"] > reported)]
    return tuple(c for ids in later["claim_ids"] for c in ids)


def _valuation_figures(view: text.View) -> list[Figure]:
    comparison = view.comparison
    if comparison is None:
        return []
    when, day = view.claim_date(comparison.valuation_claim_id), _day(comparison.valuation_date)
    subject = view.subject_id
    valuation = Figure(
        id=f"valuation:{subject}",
        label=f"{view.subject}'s valuation",
        value=float(comparison.valuation_usd),
        unit="USD",
        qualifier=comparison.valuation_qualifier,
        display=view.usd(comparison.valuation_usd, comparison.valuation_qualifier),
        as_of=day,
        as_of_text=when,
        how="reported",
        claim_ids=(comparison.valuation_claim_id,),
        source_ids=(comparison.valuation_source_id,),
    )
    ratio = text.ratio_text(comparison)
    raised = comparison.raised
    share = Figure(
        id=f"funding-to-valuation:{subject}",
        label="Funding raised / valuation",
        value=None if ratio is None else float(comparison.ratio),
        unit="share",
        qualifier="unbounded" if ratio is None else _ratio_qualifier(ratio),
        display=ratio or "not bounded",
        as_of=day,
        as_of_text=when,
        how=f"total funding on the valuation's date divided by the valuation; {text.ratio_caveat(view)}",
        claim_ids=tuple(
            sorted({c for c in (comparison.valuation_claim_id, raised.reported_claim_id) if c is not None})
        ),
        source_ids=tuple(sorted({comparison.valuation_source_id, *raised.total_source_ids})),
    )
    return [valuation, share]


def _ratio_qualifier(ratio: str) -> str:
    for prefix, qualifier in (("at least ", "at_least"), ("at most ", "at_most"), ("about ", "about")):
        if ratio.startswith(prefix):
            return qualifier
    return "exact"


def _investor_figures(view: text.View) -> list[Figure]:
    rec, subject = view.rec, view.subject_id
    figures = [_tranche(view, subject, r.investee_id, r) for r in rows(rec.tranches_of(subject))]
    totals = rec.totals_at()
    for r in rows(totals[totals["investor_id"] == subject]):
        sources = rec.sources_behind(r.investee_id, rec.as_of).get(subject, ())
        figures.append(_total(view, subject, r.investee_id, r, sources))
    return figures


def figures_as_of(tables, params) -> dict:
    """figures.json for resolved parameters, without drawing anything (what `build --dry-run` compares)."""
    rec = reconcile(tables, params.as_of)
    names = dict(zip(rec.companies["company_id"], rec.companies["name"], strict=True))
    if params.company_id == RACE_ID:
        from .race import race_document_as_of  # imported here: it builds on this module

        return race_document_as_of(rec, params.unit, names)
    view = text.View(rec, params.company_id, params.unit, names)
    return figures_document(view, key_figures(view))
