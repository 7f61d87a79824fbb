"""Derive the report's canonical figures from the claims, and say how.

The articles describe the same money in different ways. The rules here:

* An investor's total in a company is the sum of its *distinct tranches* (one amount per
  tranche, however many claims repeat it), never the sum of every claim that mentions it.
* A claim not tied to a tranche is interpreted by arithmetic: equal to the cumulative total
  -> it describes the cumulative total; equal to one tranche -> it describes that tranche.
* A funding total qualified 'at_least' is a lower bound; so is anything derived from it.
"""

import math
from dataclasses import dataclass

import pandas as pd

from .formatting import format_date, format_percent, format_usd, plural

CUMULATIVE = "cumulative"
UNEXPLAINED = "unexplained"
UNSPECIFIED = "unspecified"
CLAIM_TABLES = ("investments", "valuations", "funding_totals", "events")
AMOUNT_COLUMNS = {
    "investments": "amount_usd",
    "valuations": "valuation_usd",
    "funding_totals": "total_usd",
}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9)


@dataclass(frozen=True)
class FundingBreakdown:
    """A company's funding: named investors against the reported total."""

    company_id: str
    by_investor: pd.DataFrame  # investor_id, name, amount_usd, method
    named_usd: float
    total_usd: float | None
    total_qualifier: str | None
    total_source_id: str | None
    unattributed_usd: float | None
    unattributed_qualifier: str | None


@dataclass(frozen=True)
class ValuationComparison:
    """Funding raised set against a reported valuation."""

    company_id: str
    valuation_usd: float
    valuation_source_id: str
    valuation_as_of: pd.Timestamp
    raised_usd: float
    raised_qualifier: str
    ratio: float  # raised / valuation, a lower bound when raised_qualifier is at_least


def tranches(investments: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (investor, investee, tranche) with its amount and claims."""
    tied = investments[investments["round"] != UNSPECIFIED]
    rows = []
    for (investor, investee, rnd), group in tied.groupby(["investor_id", "investee_id", "round"]):
        dated = group.dropna(subset=["announced_date"]).sort_values("announced_date")
        first = dated.iloc[0] if len(dated) else group.iloc[0]
        rows.append(
            {
                "investor_id": investor,
                "investee_id": investee,
                "round": rnd,
                "amount_usd": float(group["amount_usd"].median()),
                "amounts_agree": group["amount_usd"].nunique() == 1,
                "announced_date": first["announced_date"],
                "announced_date_precision": first["announced_date_precision"],
                "announced_date_inferred": bool(first["announced_date_inferred"]),
                "claim_ids": ", ".join(group["investment_id"]),
                "source_ids": ", ".join(sorted(group["source_id"].unique())),
            }
        )
    columns = [
        "investor_id",
        "investee_id",
        "round",
        "amount_usd",
        "amounts_agree",
        "announced_date",
        "announced_date_precision",
        "announced_date_inferred",
        "claim_ids",
        "source_ids",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["cumulative_usd"] = frame.groupby(["investor_id", "investee_id"])["amount_usd"].cumsum()
    return frame.reset_index(drop=True)


def investor_totals(investments: pd.DataFrame) -> pd.DataFrame:
    """Each investor's canonical total in each company, with the method used."""
    parts = tranches(investments)
    rows = []
    for (investor, investee), group in investments.groupby(["investor_id", "investee_id"]):
        own = parts[(parts["investor_id"] == investor) & (parts["investee_id"] == investee)]
        if len(own):
            amounts = " + ".join(format_usd(a) for a in own["amount_usd"])
            method = f"sum of {plural(len(own), 'distinct tranche')}: {amounts}"
            total = float(own["amount_usd"].sum())
        else:
            amounts = group["amount_usd"].unique()
            total = float(amounts.max())
            method = "single reported amount" if len(amounts) == 1 else "largest of differing amounts"
        rows.append(
            {
                "investor_id": investor,
                "investee_id": investee,
                "amount_usd": total,
                "method": method,
                "source_ids": ", ".join(sorted(group["source_id"].unique())),
            }
        )
    return pd.DataFrame(rows, columns=["investor_id", "investee_id", "amount_usd", "method", "source_ids"])


def interpret_claims(investments: pd.DataFrame) -> pd.DataFrame:
    """Each investment claim with what it describes: a tranche, the cumulative total or neither."""
    parts = tranches(investments)
    totals = investor_totals(investments).set_index(["investor_id", "investee_id"])["amount_usd"]
    has_tranches = set(zip(parts["investor_id"], parts["investee_id"], strict=True))
    out = investments.copy()
    meanings = []
    for row in investments.itertuples(index=False):
        pair = (row.investor_id, row.investee_id)
        if row.round != UNSPECIFIED:
            meanings.append(row.round)
            continue
        if pair not in has_tranches:
            meanings.append(UNSPECIFIED)
            continue
        own = parts[(parts["investor_id"] == row.investor_id) & (parts["investee_id"] == row.investee_id)]
        match = own[[_same(a, row.amount_usd) for a in own["amount_usd"]]]
        if len(own) > 1 and _same(totals[pair], row.amount_usd):
            meanings.append(CUMULATIVE)
        elif len(match):
            meanings.append(match.iloc[0]["round"])
        else:
            meanings.append(UNEXPLAINED)
    out["describes"] = meanings
    return out


def funding_breakdown(tables: dict[str, pd.DataFrame], company_id: str) -> FundingBreakdown:
    """Named investors' totals against the company's reported total funding."""
    names = tables["companies"].set_index("company_id")["name"]
    totals = investor_totals(tables["investments"])
    own = totals[totals["investee_id"] == company_id].sort_values("amount_usd", ascending=False)
    own = own.assign(name=[names.get(i, i) for i in own["investor_id"]])
    named = float(own["amount_usd"].sum())
    claims = tables["funding_totals"]
    claims = claims[claims["company_id"] == company_id].sort_values("as_of_date")
    if claims.empty:
        return FundingBreakdown(company_id, own.reset_index(drop=True), named, None, None, None, None, None)
    latest = claims.iloc[-1]
    total, qualifier = float(latest["total_usd"]), str(latest["amount_qualifier"])
    remainder = max(total - named, 0.0)
    return FundingBreakdown(
        company_id,
        own.reset_index(drop=True),
        named,
        total,
        qualifier,
        str(latest["source_id"]),
        remainder,
        qualifier if qualifier in {"at_least", "exact", "about"} else None,
    )


def valuation_comparison(tables: dict[str, pd.DataFrame], company_id: str) -> ValuationComparison | None:
    """Funding raised (the reported total, else named investors) against the latest valuation."""
    vals = tables["valuations"]
    vals = vals[vals["company_id"] == company_id].sort_values("as_of_date")
    if vals.empty:
        return None
    latest = vals.iloc[-1]
    funding = funding_breakdown(tables, company_id)
    if funding.total_usd is not None:
        raised, qualifier = funding.total_usd, funding.total_qualifier
    else:
        raised, qualifier = funding.named_usd, "at_least"
    valuation = float(latest["valuation_usd"])
    return ValuationComparison(
        company_id,
        valuation,
        str(latest["source_id"]),
        latest["as_of_date"],
        raised,
        qualifier,
        raised / valuation,
    )


def fact_coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each fact with the sources that report it: agree, disagree, or single source."""
    disputed = set(discrepancies(tables)["fact_id"])
    rows = []
    for table in CLAIM_TABLES:
        for fact, group in tables[table].groupby("fact_id", sort=False):
            sources = sorted(group["source_id"].unique())
            status = "disagree" if fact in disputed else ("agree" if len(sources) > 1 else "single source")
            rows.append(
                {
                    "table": table,
                    "fact_id": fact,
                    "claims": len(group),
                    "source_ids": ", ".join(sources),
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=["table", "fact_id", "claims", "source_ids", "status"])


def discrepancies(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Where the sources disagree, each with a plain-language explanation."""
    rows = [
        *_framing_discrepancies(tables),
        *_amount_discrepancies(tables),
        *_date_discrepancies(tables["events"]),
    ]
    return pd.DataFrame(rows, columns=["topic", "fact_id", "source_ids", "explanation"])


def _row(topic: str, fact_id: str, sources, explanation: str) -> dict:
    joined = ", ".join(sorted(set(sources)))
    return {"topic": topic, "fact_id": fact_id, "source_ids": joined, "explanation": explanation}


def _framing_discrepancies(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Claims whose own framing contradicts what their amount adds up to."""
    names = tables["companies"].set_index("company_id")["name"]
    parts = tranches(tables["investments"])
    rows = []
    for row in interpret_claims(tables["investments"]).itertuples(index=False):
        investor, investee = names.get(row.investor_id), names.get(row.investee_id)
        amount = format_usd(row.amount_usd)
        if row.describes == CUMULATIVE and row.framing == "latest":
            own = parts[(parts["investor_id"] == row.investor_id) & (parts["investee_id"] == row.investee_id)]
            last = own.iloc[-1]
            sum_text = " + ".join(format_usd(a) for a in own["amount_usd"])
            explanation = (
                f"{row.source_id} calls {amount} the latest infusion, but {amount} equals the sum "
                f"of the distinct tranches ({sum_text}), so it is {investor}'s cumulative total. "
                f"{last['source_ids']} reports the latest tranche itself as "
                f"{format_usd(last['amount_usd'])}."
            )
            topic = f"{investor}'s latest investment in {investee}"
            sources = [row.source_id, *last["source_ids"].split(", ")]
            rows.append(_row(topic, row.fact_id, sources, explanation))
        elif row.describes == UNEXPLAINED:
            explanation = f"{row.source_id} reports {amount}, which matches no tranche and not their sum."
            rows.append(_row(f"{investor} in {investee}", row.fact_id, [row.source_id], explanation))
    return rows


def _amount_discrepancies(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Facts whose claims give different amounts."""
    rows = []
    for table, amount in AMOUNT_COLUMNS.items():
        for fact, group in tables[table].groupby("fact_id", sort=False):
            if group[amount].nunique() > 1:
                pairs = zip(group["source_id"], group[amount], strict=True)
                told = "; ".join(f"{source} says {format_usd(value)}" for source, value in pairs)
                explanation = f"The sources give different amounts: {told}."
                rows.append(_row(fact, fact, group["source_id"], explanation))
    return rows


def _date_discrepancies(events: pd.DataFrame) -> list[dict]:
    """Events that two or more sources place at different times."""
    rows = []
    for fact, group in events.groupby("fact_id", sort=False):
        dates = {(str(d), p) for d, p in zip(group["date"], group["date_precision"], strict=True)}
        if group["source_id"].nunique() < 2 or len(dates) < 2:
            continue
        claims = list(group.itertuples(index=False))
        told = "; ".join(
            f"{r.source_id} gives no date"
            if pd.isna(r.date)
            else f"{r.source_id} dates it to {format_date(r.date, r.date_precision)}"
            for r in claims
        )
        why = " ".join(f"{r.source_id}: {r.date_note}" for r in claims if not pd.isna(r.date_note))
        explanation = f"The sources place this event at different times: {told}. {why}"
        topic = str(group["description"].iloc[0]).rstrip(".")
        rows.append(_row(topic, fact, group["source_id"], explanation))
    return rows


def summary_figures(tables: dict[str, pd.DataFrame], company_id: str) -> dict[str, str]:
    """Plain-text figures for prose; every number computed from the data."""
    funding = funding_breakdown(tables, company_id)
    comparison = valuation_comparison(tables, company_id)
    figures = {"named_usd": format_usd(funding.named_usd)}
    if funding.total_usd is not None:
        figures["total"] = format_usd(funding.total_usd, qualifier=funding.total_qualifier)
        figures["unattributed"] = format_usd(funding.unattributed_usd, qualifier=funding.unattributed_qualifier)
    if comparison is not None:
        figures["valuation"] = format_usd(comparison.valuation_usd)
        figures["ratio"] = ("at least " if comparison.raised_qualifier == "at_least" else "") + format_percent(
            comparison.ratio
        )
    return figures
