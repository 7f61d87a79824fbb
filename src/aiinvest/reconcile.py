"""Derive the report's canonical figures from the claims, and say how.

The articles describe the same money in different ways. The rules here:

* An investor's total in a company is the sum of its *distinct tranches* (one amount per
  tranche, however many claims repeat it), never the sum of every claim that mentions it.
* A claim not tied to a tranche is interpreted by arithmetic: equal to the cumulative total
  -> it describes the cumulative total; equal to one tranche -> it describes that tranche.
* A funding total qualified 'at_least' is a lower bound; so is anything derived from it.
"""

import functools
import math
import weakref
from dataclasses import dataclass

import numpy as np
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

    @property
    def ratio_text(self) -> str:
        """'at least 54%' (or '54%' when the funding figure is exact)."""
        return ("at least " if self.raised_qualifier == "at_least" else "") + format_percent(self.ratio)


PAIR = ["investor_id", "investee_id"]
DISCREPANCY_COLUMNS = ["topic", "fact_id", "source_ids", "explanation"]


def per_frame(function):
    """Memoise a function of one DataFrame by the frame's identity, for as long as the frame lives.

    Tables are treated as immutable: derive a new frame (copy, filter) rather than edit one in place.
    """
    results: dict[int, object] = {}

    @functools.wraps(function)
    def wrapper(frame: pd.DataFrame):
        key = id(frame)
        if key not in results:
            results[key] = function(frame)
            weakref.finalize(frame, results.pop, key, None)
        return results[key]

    return wrapper


def joined_by(frame: pd.DataFrame, keys: list[str], column: str, unique_sorted: bool, separator: str = ", "):
    """A column's values joined per key group, groups in key order, vectorised.

    Within a group, values keep the frame's row order, or are de-duplicated and sorted.
    """
    data = frame[[*keys, column]]
    data = (
        data.drop_duplicates().sort_values([*keys, column]) if unique_sorted else data.sort_values(keys, kind="stable")
    )
    codes = data.groupby(keys, sort=False).ngroup().to_numpy()
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=int)
    values = data[column].astype(str).to_numpy(dtype=object)
    pieces = separator + values
    pieces[starts] = values[starts]
    joined = np.add.reduceat(pieces, starts) if len(starts) else values
    heads = data[keys].iloc[starts]
    index = pd.MultiIndex.from_frame(heads) if len(keys) > 1 else pd.Index(heads[keys[0]])
    return pd.Series(joined, index=index, name=column)


def usd_texts(amounts: pd.Series) -> pd.Series:
    """format_usd of each amount, formatting each distinct amount once."""
    distinct = amounts.dropna().unique()
    return amounts.map(dict(zip(distinct, map(format_usd, distinct), strict=True))).astype(object)


@per_frame
def tranches(investments: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (investor, investee, tranche) with its amount and claims."""
    tied = investments[investments["round"] != UNSPECIFIED]
    keys = [*PAIR, "round"]
    ordered = tied.sort_values([*keys, "announced_date"], na_position="last", kind="stable")
    groups = ordered.groupby(keys, sort=True)
    first = groups.head(1).set_index(keys)  # the earliest dated claim of each tranche
    frame = pd.DataFrame(
        {
            "amount_usd": groups["amount_usd"].median().astype(float),
            "amounts_agree": groups["amount_usd"].nunique() == 1,
            "announced_date": first["announced_date"],
            "announced_date_precision": first["announced_date_precision"],
            "announced_date_inferred": first["announced_date_inferred"].astype(bool),
            "claim_ids": joined_by(ordered, keys, "investment_id", unique_sorted=False),
            "source_ids": joined_by(ordered, keys, "source_id", unique_sorted=True),
        }
    ).reset_index()
    frame["cumulative_usd"] = frame.groupby(PAIR)["amount_usd"].cumsum()
    return frame


def lead_investor_tranches(investments: pd.DataFrame, company_id: str) -> pd.DataFrame:
    """The tranches of the company's investor with the most tranches (empty when there are none)."""
    parts = tranches(investments)
    parts = parts[parts["investee_id"] == company_id]
    if parts.empty:
        return parts
    return parts[parts["investor_id"] == parts["investor_id"].value_counts().index[0]].reset_index(drop=True)


@per_frame
def investor_totals(investments: pd.DataFrame) -> pd.DataFrame:
    """Each investor's canonical total in each company, with the method used."""
    parts = tranches(investments)
    by_pair = parts.groupby(PAIR)
    texts = parts.assign(amount_text=usd_texts(parts["amount_usd"]))
    summed = pd.DataFrame(
        {
            "tranche_total": by_pair["amount_usd"].sum(),
            "n_tranches": by_pair["amount_usd"].size(),
            "amounts": joined_by(texts, PAIR, "amount_text", unique_sorted=False, separator=" + "),
        }
    )
    by_claims = investments.groupby(PAIR)
    claims = by_claims.agg(largest=("amount_usd", "max"), distinct=("amount_usd", "nunique"))
    claims["source_ids"] = joined_by(investments, PAIR, "source_id", unique_sorted=True)
    frame = claims.join(summed, how="left").reset_index()
    has = frame["n_tranches"].notna()
    frame["amount_usd"] = frame["tranche_total"].where(has, frame["largest"]).astype(float)
    frame["method"] = [
        f"sum of {plural(int(n), 'distinct tranche')}: {amounts}"
        if ok
        else ("single reported amount" if distinct == 1 else "largest of differing amounts")
        for ok, n, amounts, distinct in zip(
            has, frame["n_tranches"].fillna(0), frame["amounts"], frame["distinct"], strict=True
        )
    ]
    return frame[["investor_id", "investee_id", "amount_usd", "method", "source_ids"]]


@per_frame
def interpret_claims(investments: pd.DataFrame) -> pd.DataFrame:
    """Each investment claim with what it describes: a tranche, the cumulative total or neither."""
    parts = tranches(investments)
    stats = parts.groupby(PAIR).agg(n_tranches=("round", "size"), total=("amount_usd", "sum")).reset_index()
    matches = parts[[*PAIR, "amount_usd", "round"]].drop_duplicates([*PAIR, "amount_usd"])
    matches = matches.rename(columns={"round": "matched"})
    merged = investments[[*PAIR, "amount_usd"]].astype({"amount_usd": float}).reset_index(drop=True)
    merged = merged.merge(stats, on=PAIR, how="left").merge(matches, on=[*PAIR, "amount_usd"], how="left")
    tied = (investments["round"] != UNSPECIFIED).to_numpy()
    cumulative = ((merged["n_tranches"] > 1) & np.isclose(merged["amount_usd"], merged["total"].fillna(-1))).to_numpy()
    describes = np.select(
        [tied, merged["n_tranches"].isna().to_numpy(), cumulative, merged["matched"].notna().to_numpy()],
        [investments["round"].to_numpy(), UNSPECIFIED, CUMULATIVE, merged["matched"].to_numpy()],
        default=UNEXPLAINED,
    )
    out = investments.copy()
    out["describes"] = describes
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


def fact_coverage(tables: dict[str, pd.DataFrame], disputed: set[str] | None = None) -> pd.DataFrame:
    """Each fact with the sources that report it: agree, disagree, or single source."""
    if disputed is None:
        disputed = set(discrepancies(tables)["fact_id"])
    frames = []
    for table in CLAIM_TABLES:
        groups = tables[table].groupby("fact_id", sort=False)["source_id"]
        frame = pd.DataFrame({"claims": groups.size(), "n_sources": groups.nunique()})
        frame["source_ids"] = joined_by(tables[table], ["fact_id"], "source_id", unique_sorted=True)
        frame["table"] = table
        frames.append(frame.reset_index())
    frame = pd.concat(frames, ignore_index=True)
    frame["status"] = np.where(
        frame["fact_id"].isin(disputed), "disagree", np.where(frame["n_sources"] > 1, "agree", "single source")
    )
    return frame[["table", "fact_id", "claims", "source_ids", "status"]]


def discrepancies(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Where the sources disagree, each with a plain-language explanation."""
    frames = [
        pd.DataFrame(_framing_discrepancies(tables), columns=DISCREPANCY_COLUMNS),
        _unexplained_amounts(tables),
        pd.DataFrame(
            [*_amount_discrepancies(tables), *_date_discrepancies(tables["events"])], columns=DISCREPANCY_COLUMNS
        ),
    ]
    found = [frame for frame in frames if len(frame)]
    return pd.concat(found, ignore_index=True) if found else frames[0]


def _row(topic: str, fact_id: str, sources, explanation: str) -> dict:
    joined = ", ".join(sorted(set(sources)))
    return {"topic": topic, "fact_id": fact_id, "source_ids": joined, "explanation": explanation}


def _framing_discrepancies(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Claims whose own framing contradicts what their amount adds up to."""
    names = tables["companies"].set_index("company_id")["name"]
    claims = interpret_claims(tables["investments"])
    latest = claims[(claims["describes"] == CUMULATIVE) & (claims["framing"] == "latest")]
    rows = []
    if len(latest):
        parts = tranches(tables["investments"]).groupby(PAIR)
        for row in latest.itertuples(index=False):
            own = parts.get_group((row.investor_id, row.investee_id))
            investor, investee = names.get(row.investor_id), names.get(row.investee_id)
            amount, last = format_usd(row.amount_usd), own.iloc[-1]
            sum_text = " + ".join(format_usd(a) for a in own["amount_usd"])
            explanation = (
                f"{row.source_id} calls {amount} the latest infusion, but {amount} equals the sum "
                f"of the distinct tranches ({sum_text}), so it is {investor}'s cumulative total. "
                f"{last['source_ids']} reports the latest tranche itself as "
                f"{format_usd(last['amount_usd'])}."
            )
            topic = f"{investor}'s latest investment in {investee}"
            rows.append(_row(topic, row.fact_id, [row.source_id, *last["source_ids"].split(", ")], explanation))
    return rows


def _unexplained_amounts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Claims whose amount is no tranche and not the sum (vectorised: synthetic data has thousands)."""
    names = tables["companies"].set_index("company_id")["name"]
    claims = interpret_claims(tables["investments"])
    claims = claims[claims["describes"] == UNEXPLAINED]
    explanation = " reports " + usd_texts(claims["amount_usd"]) + ", which matches no tranche and not their sum."
    return pd.DataFrame(
        {
            "topic": claims["investor_id"].map(names) + " in " + claims["investee_id"].map(names),
            "fact_id": claims["fact_id"],
            "source_ids": claims["source_id"],
            "explanation": claims["source_id"] + explanation,
        },
        columns=DISCREPANCY_COLUMNS,
    )


def _amount_discrepancies(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Facts whose claims give different amounts."""
    rows = []
    for table, amount in AMOUNT_COLUMNS.items():
        claims = tables[table]
        counts = claims.groupby("fact_id", sort=False)[amount].nunique()
        differing = claims[claims["fact_id"].isin(counts.index[counts > 1])]
        for fact, group in differing.groupby("fact_id", sort=False):
            if group[amount].nunique() > 1:
                pairs = zip(group["source_id"], group[amount], strict=True)
                told = "; ".join(f"{source} says {format_usd(value)}" for source, value in pairs)
                explanation = f"The sources give different amounts: {told}."
                rows.append(_row(fact, fact, group["source_id"], explanation))
    return rows


def _date_discrepancies(events: pd.DataFrame) -> list[dict]:
    """Events that two or more sources place at different times."""
    rows = []
    counts = events.groupby("fact_id", sort=False)["source_id"].nunique()
    events = events[events["fact_id"].isin(counts.index[counts > 1])]
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
