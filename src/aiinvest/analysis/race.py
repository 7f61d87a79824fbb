"""The race as of a date: every investor-developer pair, every developer's position, the other ties, a timeline.

Pure numbers read from one reconciliation through its own queries (`totals_at`, `tranches_of`,
`sources_behind`, `funding_at`, `latest_valuation`): the overview never adds money a second way,
so each pair's figures are those a subject report of either company shows.
"""

from dataclasses import dataclass

import pandas as pd

from .positions import FundingPosition
from .result import Reconciliation

AMOUNTLESS_KINDS = ("investment",)  # events that are money changing hands, without an amount
TIE_KINDS = ("cloud_partnership", "consulting_partnership", "rumoured_collaboration", "backing")
INVESTOR_ROLE, INVESTEE_ROLE = (
    "subject",
    "partner",
)  # an investment event: the investor acts, the investee is acted with
DEVELOPER_ROLE = "ai_developer"


@dataclass(frozen=True, kw_only=True)
class Pair:
    """One investor's known commitment to one company on the as-of date."""

    investor_id: str
    investee_id: str
    total_usd: float | None  # None: a source reports the relation without an amount
    qualifier: str | None
    basis: str | None  # reported (a running total) or tranches (their sum)
    tranches: pd.DataFrame  # the pair's distinct tranches, in date order (the reconciliation's rows)
    source_ids: tuple[str, ...]

    @property
    def amount_known(self) -> bool:
        """Whether a source gives an amount for this pair."""
        return self.total_usd is not None


@dataclass(frozen=True, kw_only=True)
class Developer:
    """One company that receives money or is valued (or is curated as an AI developer), on the as-of date."""

    company_id: str
    funding: FundingPosition
    valuation: pd.Series | None  # the latest valuation claim's row
    investor_ids: tuple[str, ...]  # every investor of a pair into it, amounts known first


@dataclass(frozen=True, kw_only=True)
class Race:
    """The overview's numbers on one date."""

    rec: Reconciliation
    pairs: tuple[Pair, ...]
    developers: tuple[Developer, ...]
    ties: pd.DataFrame  # one row per tie fact: kind, status, label, description, date, companies, sources
    timeline: pd.DataFrame  # dated tranches, valuations and ties across companies


def race(rec: Reconciliation) -> Race:
    """The race as the sources published by the reconciliation's date tell it."""
    pairs = (*amount_pairs(rec), *amountless_pairs(rec))
    return Race(
        rec=rec,
        pairs=pairs,
        developers=tuple(developers(rec, pairs)),
        ties=ties(rec),
        timeline=timeline(rec),
    )


def amount_pairs(rec: Reconciliation) -> list[Pair]:
    """Every pair with an amount: its running total on the date, as the subject reports read it."""
    found = []
    totals = rec.totals_at().sort_values(["investor_id", "investee_id"], kind="stable")
    behind: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in totals.itertuples(index=False):
        investee = str(row.investee_id)
        if investee not in behind:
            behind[investee] = rec.sources_behind(investee, rec.as_of)
        found.append(
            Pair(
                investor_id=str(row.investor_id),
                investee_id=investee,
                total_usd=float(row.total_usd),  # type: ignore[arg-type]  # a number in this column
                qualifier=str(row.qualifier),
                basis=str(row.basis),
                tranches=rec.tranches_of(str(row.investor_id), investee),
                source_ids=behind[investee].get(str(row.investor_id), ()),
            )
        )
    return found


def amountless_pairs(rec: Reconciliation) -> list[Pair]:
    """Pairs only an investment event reports (no amount), unless an amount is known for the pair."""
    with_amount = _pairs_of(rec.tranches) | _pairs_of(rec.totals_at())
    sources: dict[tuple[str, str], set[str]] = {}
    for pair, source in _event_pairs(rec):
        if pair not in with_amount:
            sources.setdefault(pair, set()).add(source)
    empty = rec.tranches_of("", "")
    return [
        Pair(
            investor_id=investor,
            investee_id=investee,
            total_usd=None,
            qualifier=None,
            basis=None,
            tranches=empty,
            source_ids=tuple(sorted(ids)),
        )
        for (investor, investee), ids in sorted(sources.items())
    ]


def _pairs_of(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """The (investor, investee) pairs of a frame's rows."""
    return {(str(i), str(e)) for i, e in zip(frame["investor_id"], frame["investee_id"], strict=True)}


def _event_pairs(rec: Reconciliation) -> list[tuple[tuple[str, str], str]]:
    """(investor, investee) and source of each investment event, by its parties' roles."""
    events = rec.events[rec.events["kind"].isin(AMOUNTLESS_KINDS)]
    parties = rec.event_parties
    found = []
    for event in events.itertuples(index=False):
        own = parties[parties["event_id"] == event.event_id]
        investors = own.loc[own["role"] == INVESTOR_ROLE, "company_id"]
        investees = own.loc[own["role"] == INVESTEE_ROLE, "company_id"]
        found += [((str(i), str(e)), str(event.source_id)) for i in investors for e in investees]
    return found


def developers(rec: Reconciliation, pairs: tuple[Pair, ...]) -> list[Developer]:
    """Every company funded, valued or curated as an AI developer and named by a known source, in id order."""
    known = set(rec.sources["source_id"])
    companies = rec.companies
    curated = companies["role"].eq(DEVELOPER_ROLE) & companies["source_id"].isin(known)
    ids = set(companies.loc[curated, "company_id"]) | {p.investee_id for p in pairs}
    ids |= set(rec.valuations["company_id"]) | set(rec.funding["company_id"])
    found = []
    for company in sorted(str(i) for i in ids):
        own = [p for p in pairs if p.investee_id == company]
        ordered = [p.investor_id for p in own if p.amount_known] + [p.investor_id for p in own if not p.amount_known]
        found.append(
            Developer(
                company_id=company,
                funding=rec.funding_at(company),
                valuation=rec.latest_valuation(company),
                investor_ids=tuple(ordered),
            )
        )
    return found


def ties(rec: Reconciliation) -> pd.DataFrame:
    """One row per tie fact (partnerships, rumoured collaborations, backing): its first row, every source."""
    events = rec.events[rec.events["kind"].isin(TIE_KINDS)]
    parties = rec.event_parties
    rows = []
    for _, same in events.groupby("fact_id", sort=False, observed=True):
        first = same.iloc[0]
        own = parties[parties["event_id"].isin(same["event_id"])]
        dated = same.dropna(subset=["date"]).sort_values("date", kind="stable")
        when = dated.iloc[0] if len(dated) else first
        rows.append(
            {
                "fact_id": str(first["fact_id"]),
                "kind": str(first["kind"]),
                "status": str(first["status"]),
                "label": str(first["label"]),
                "description": str(first["description"]),
                "date": when["date"],
                "date_precision": when["date_precision"],
                "date_inferred": bool(when["date_inferred"]),
                "company_ids": tuple(dict.fromkeys(str(c) for c in own["company_id"])),
                "source_ids": tuple(sorted({str(s) for s in same["source_id"]})),
            }
        )
    return pd.DataFrame(rows, columns=TIE_COLUMNS)


TIE_COLUMNS = [
    "fact_id",
    "kind",
    "status",
    "label",
    "description",
    "date",
    "date_precision",
    "date_inferred",
    "company_ids",
    "source_ids",
]
TIMELINE_COLUMNS = ["date", "date_precision", "date_inferred", "kind", "company_ids", "amount_usd", "qualifier"]


def timeline(rec: Reconciliation) -> pd.DataFrame:
    """Dated tranches, valuations and ties across companies, in date order (undated ones left out)."""
    t = rec.tranches
    parts = [
        pd.DataFrame(
            {
                "date": t["date"],
                "date_precision": t["date_precision"],
                "date_inferred": t["date_inferred"],
                "kind": "tranche",
                "company_ids": [(str(i), str(e)) for i, e in zip(t["investor_id"], t["investee_id"], strict=True)],
                "amount_usd": t["amount_usd"],
                "qualifier": "exact",
                "source_ids": t["source_ids"],
            }
        )
    ]
    v = rec.valuations.drop_duplicates("fact_id", keep="last")
    parts.append(
        pd.DataFrame(
            {
                "date": v["date"],
                "date_precision": v["date_precision"],
                "date_inferred": v["date_inferred"],
                "kind": "valuation",
                "company_ids": [(str(c),) for c in v["company_id"]],
                "amount_usd": v["valuation_usd"],
                "qualifier": v["qualifier"],
                "source_ids": [(str(s),) for s in v["source_id"]],
            }
        )
    )
    tie = ties(rec)
    parts.append(tie.assign(amount_usd=float("nan"), qualifier=None)[[*TIMELINE_COLUMNS, "source_ids"]])
    found = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if found is None:
        return pd.DataFrame(columns=[*TIMELINE_COLUMNS, "source_ids"])
    found = found[found["date"].notna()]
    return found.sort_values("date", kind="stable").reset_index(drop=True)
