"""Reconcile the claims as of a date: one pure function, one immutable, numeric result.

Every claim is bitemporal: it describes a date (its own date, or its source's publication
date when it states none) and it became known on its source's publication date. The rules:

* Only sources published on or before the as-of date count (`asof.tables_as_of`).
* A tranche is one fact (claims sharing a `fact_id` with framing `tranche`); it is counted
  once, however many claims repeat it. An investor's running total in a company is the sum
  of its distinct tranches, or a reported running total plus the tranches dated after it,
  whichever is larger: a step series over time.
* A claim of `unknown` framing is read by arithmetic against the tranches *known at the
  claim's own date* (published no later than its source, dated no later than the claim),
  never against later news.
* A funding total is carried forward: at any date it is at least the last reported total
  plus the tranches announced after it, and never less than what the named investors put in.
  A lower bound stays a lower bound.

Nothing here formats text: the result holds ids, amounts in US dollars, dates and codes.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.registry import Tables
from . import codes
from .asof import known_dates, tables_as_of
from .frozen import Frames

PAIR = ["investor_id", "investee_id"]
DESCRIBES_TRANCHE, DESCRIBES_CUMULATIVE, DESCRIBES_UNEXPLAINED = "tranche", "cumulative", "unexplained"
SINGLE_TRANCHE_WORDS = ("initial", "another", "latest")


@dataclass(frozen=True)
class FundingPosition:
    """A company's funding at one date: named investors against the carried-forward reported total."""

    company_id: str
    date: pd.Timestamp
    by_investor: pd.DataFrame  # investor_id, total_usd, qualifier, basis, source_ids, largest first
    named_usd: float
    total_usd: float | None  # None when no source reports a total
    total_qualifier: str | None
    reported_usd: float | None  # the last reported total the figure is carried from
    reported_claim_id: str | None
    reported_date: pd.Timestamp | None
    added_usd: float  # tranches dated after the reported total, added to it
    unattributed_usd: float | None
    source_ids: tuple[str, ...]  # every source behind the position: named investors and the total
    total_source_ids: tuple[str, ...] = ()  # the reported total's source and those of the tranches added to it


@dataclass(frozen=True)
class ValuationComparison:
    """Funding raised at a valuation's date, set against that valuation."""

    company_id: str
    valuation_usd: float
    valuation_qualifier: str
    valuation_date: pd.Timestamp
    valuation_claim_id: str
    valuation_source_id: str
    raised: FundingPosition

    @property
    def raised_usd(self) -> float:
        """Funding raised as of the valuation's date."""
        return self.raised.total_usd if self.raised.total_usd is not None else self.raised.named_usd

    @property
    def raised_qualifier(self) -> str:
        """exact, or at_least when the funding figure is a lower bound."""
        return self.raised.total_qualifier if self.raised.total_usd is not None else "at_least"

    @property
    def ratio(self) -> float:
        """Raised / valuation; a lower bound when raised_qualifier is at_least."""
        return self.raised_usd / self.valuation_usd


class Reconciliation(Frames):
    """Everything the sources published by `as_of` say, reconciled. Read-only: see `Frames`."""

    FRAMES = (
        "sources",  # the sources known at as_of
        "claims",  # every claim, one row each, in the registry's common columns
        "tranches",  # one row per distinct tranche
        "interpretations",  # every investment claim read as known at its own date
        "investor_totals",  # step series: each investor's running total in each company
        "funding",  # step series: each company's funding, named and reported
        "valuations",  # each valuation claim, dated
        "statements",  # claims without a figure
        "events",  # the events table's rows known at as_of (kind, label, status, description)
        "event_parties",  # the companies taking part in those events
        "companies",  # every company, with its name
        "disagreements",  # structured, with a reason code
        "coverage",  # each fact: its sources and whether they agree
    )

    def tranches_of(self, investor_id: str | None = None, investee_id: str | None = None) -> pd.DataFrame:
        """The distinct tranches, optionally of one investor and/or into one company, in date order."""
        frame = self.tranches
        if investor_id is not None:
            frame = frame[frame["investor_id"] == investor_id]
        if investee_id is not None:
            frame = frame[frame["investee_id"] == investee_id]
        return frame.reset_index(drop=True)

    def totals_at(self, at: pd.Timestamp | None = None) -> pd.DataFrame:
        """Each investor's running total in each company on a date (default: as_of)."""
        at = self.as_of if at is None else at
        series = self.investor_totals
        series = series[series["date"] <= at]
        return series.groupby(PAIR, sort=False).tail(1).reset_index(drop=True)

    def sources_behind(self, investee_id: str, at: pd.Timestamp) -> dict[str, tuple[str, ...]]:
        """By investor: the sources of the tranches and running totals behind its total in a company at a date."""
        tranches = self.tranches
        tranches = tranches[(tranches["investee_id"] == investee_id) & (tranches["effective_date"] <= at)]
        reads = self.interpretations
        reads = reads[
            (reads["investee_id"] == investee_id)
            & (reads["describes"] == DESCRIBES_CUMULATIVE)
            & (reads["effective_date"] <= at)
        ]
        found: dict[str, set[str]] = {}
        for investor, ids in zip(tranches["investor_id"], tranches["source_ids"], strict=True):
            found.setdefault(investor, set()).update(ids)
        for investor, source in zip(reads["investor_id"], reads["source_id"], strict=True):
            found.setdefault(investor, set()).add(source)
        return {investor: tuple(sorted(ids)) for investor, ids in found.items()}

    def funding_at(self, company_id: str, at: pd.Timestamp | None = None) -> FundingPosition:
        """The company's funding position on a date (default: as_of), everything measured at that date."""
        at = self.as_of if at is None else at
        totals = self.totals_at(at)
        own = totals[totals["investee_id"] == company_id].sort_values(
            ["total_usd", "investor_id"], ascending=[False, True]
        )
        by_investor = own[["investor_id", "total_usd", "qualifier", "basis"]].reset_index(drop=True)
        behind = self.sources_behind(company_id, at)
        by_investor["source_ids"] = [behind.get(i, ()) for i in by_investor["investor_id"]]
        named = float(by_investor["total_usd"].sum())
        steps = self.funding
        steps = steps[(steps["company_id"] == company_id) & (steps["date"] <= at)]
        sources = tuple(sorted({s for ids in by_investor["source_ids"] for s in ids}))
        last = steps.iloc[-1] if len(steps) else None
        if last is None or pd.isna(last["reported_usd"]):
            return FundingPosition(company_id, at, by_investor, named, None, None, None, None, None, 0.0, None, sources)
        carried = float(last["carried_usd"])
        total = max(carried, named)
        tranches = self.tranches
        added = tranches[
            (tranches["investee_id"] == company_id)
            & (tranches["effective_date"] > last["reported_date"])
            & (tranches["effective_date"] <= at)
        ]
        total_sources = {str(last["reported_source_id"]), *(s for ids in added["source_ids"] for s in ids)}
        return FundingPosition(
            company_id=company_id,
            date=at,
            by_investor=by_investor,
            named_usd=named,
            total_usd=total,
            total_qualifier=str(last["reported_qualifier"]) if carried >= named else "at_least",
            reported_usd=float(last["reported_usd"]),
            reported_claim_id=str(last["reported_claim_id"]),
            reported_date=last["reported_date"],
            added_usd=carried - float(last["reported_usd"]),
            unattributed_usd=max(carried - named, 0.0),
            source_ids=tuple(sorted({*sources, str(last["reported_source_id"])})),
            total_source_ids=tuple(sorted(total_sources)),
        )

    def latest_valuation(self, company_id: str) -> pd.Series | None:
        """The newest valuation claim of a company (by date, then by when it became known)."""
        vals = self.valuations
        vals = vals[vals["company_id"] == company_id]
        return None if vals.empty else vals.iloc[-1]

    def valuation_comparison(self, company_id: str) -> ValuationComparison | None:
        """Funding raised as of the latest valuation's date, against that valuation."""
        latest = self.latest_valuation(company_id)
        if latest is None:
            return None
        return ValuationComparison(
            company_id=company_id,
            valuation_usd=float(latest["valuation_usd"]),
            valuation_qualifier=str(latest["qualifier"]),
            valuation_date=latest["date"],
            valuation_claim_id=str(latest["claim_id"]),
            valuation_source_id=str(latest["source_id"]),
            raised=self.funding_at(company_id, latest["date"]),
        )

    def roles(self, company_id: str) -> set[str]:
        """'investee' (has investments received, a valuation or a funding total) and/or 'investor'."""
        claims = self.claims
        quantified = claims["amount_usd"].notna()
        found = set()
        if (quantified & (claims["company_id"] == company_id)).any():
            found.add("investee")
        if (quantified & (claims["counterparty_id"] == company_id)).any():
            found.add("investor")
        return found


def reconcile(tables: Tables, as_of: pd.Timestamp) -> Reconciliation:
    """Reconcile every claim published on or before `as_of`: the one computation a build makes."""
    known = tables_as_of(tables, pd.Timestamp(as_of))
    claims = long_claims(known)
    investments = investment_claims(known, claims)
    tranches = distinct_tranches(investments)
    interpretations = interpret(investments, tranches)
    investor_totals = investor_series(tranches, interpretations)
    valuations = claims[claims["kind"] == "valuation"].sort_values(["company_id", "date", "known_date"])
    disagreements = find_disagreements(claims, interpretations)
    return Reconciliation(
        as_of=pd.Timestamp(as_of),
        sources=known["sources"],
        claims=claims,
        tranches=tranches,
        interpretations=interpretations,
        investor_totals=investor_totals,
        funding=funding_series(claims, tranches, investor_totals),
        valuations=valuations.rename(columns={"amount_usd": "valuation_usd"}).reset_index(drop=True),
        statements=_statements(known, claims),
        events=known["events"],
        event_parties=known["event_parties"],
        companies=known["companies"],
        disagreements=disagreements,
        coverage=fact_coverage(claims, set(disagreements["fact_id"])),
    )


def _statements(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """Statement claims with their topic and kind."""
    own = claims[claims["kind"] == "statement"].reset_index(drop=True)
    table = tables["statements"].reset_index(drop=True)
    return own.assign(topic=table["topic"].to_numpy(), statement_kind=table["kind"].to_numpy())


CLAIM_COLUMNS = [
    "claim_id",
    "table",
    "kind",
    "fact_id",
    "source_id",
    "known_date",
    "company_id",
    "counterparty_id",
    "amount_usd",
    "qualifier",
    "date",
    "date_precision",
    "date_inferred",
    "effective_date",
    "quote",
]


def long_claims(tables: Tables) -> pd.DataFrame:
    """Every claim of every registered claim table in one frame, with when it became known."""
    published = known_dates(tables)
    parts = []
    for t in tables.claims:
        frame = tables[t.name]
        n = len(frame)
        company = frame[t.company] if t.company else pd.Series(pd.NA, index=frame.index, dtype="string")
        if t.parties:
            parties = tables[t.parties]
            subjects = parties[parties["role"] == "subject"].groupby(t.id)["company_id"].first()
            company = frame[t.id].map(subjects).astype("string")
        part = pd.DataFrame(
            {
                "claim_id": frame[t.id],
                "table": t.name,
                "kind": t.kind,
                "fact_id": frame["fact_id"],
                "source_id": frame["source_id"],
                # reindex, not map: pandas cannot map through an empty datetime Series (no source known yet)
                "known_date": published.reindex(frame["source_id"]).to_numpy(),
                "company_id": company,
                "counterparty_id": frame[t.counterparty] if t.counterparty else pd.Series([pd.NA] * n, dtype="string"),
                "amount_usd": frame[t.amount].astype(float) if t.amount else np.nan,
                "qualifier": frame[t.qualifier] if t.qualifier else pd.Series([pd.NA] * n, dtype="string"),
                "date": frame[t.date],
                "date_precision": frame[t.precision],
                "date_inferred": frame[t.inferred].astype(bool),
                "quote": frame["quote"],
            }
        )
        parts.append(part.reset_index(drop=True))
    claims = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CLAIM_COLUMNS)
    claims["effective_date"] = claims["date"].fillna(claims["known_date"])
    claims["fact_id"] = claims["fact_id"].astype("category")  # grouped on at scale: hashed once, then codes
    return claims[CLAIM_COLUMNS]


def tuples_by(frame: pd.DataFrame, keys: list[str], column: str, unique: bool) -> pd.Series:
    """Per key group, the column's values as a tuple (vectorised on integer codes: no sort of text).

    With unique, each tuple holds the distinct values sorted; otherwise the frame's row order.
    """
    group = frame.groupby(keys, sort=False, dropna=False)
    key_codes = group.ngroup().to_numpy()
    values, uniques = pd.factorize(frame[column], sort=unique)  # sorted values only where they are sorted
    if unique:
        combined = np.unique(key_codes.astype(np.int64) * (len(uniques) + 1) + values)
        key_codes, values = combined // (len(uniques) + 1), combined % (len(uniques) + 1)
    else:
        order = np.argsort(key_codes, kind="stable")
        key_codes, values = key_codes[order], values[order]
    items = np.asarray(uniques, dtype=object)[values].tolist()  # list slices make tuples fastest
    starts = np.flatnonzero(np.r_[True, key_codes[1:] != key_codes[:-1]]) if len(key_codes) else np.array([], int)
    begins = starts.tolist()
    tuples = [tuple(items[a:b]) for a, b in zip(begins, [*begins[1:], len(items)][: len(begins)], strict=True)]
    heads = group.head(1).set_index(keys).index  # one row per group, in ngroup order
    return pd.Series(tuples, index=heads[key_codes[starts]] if len(starts) else heads, dtype=object, name=column)


def _singletons(ids: pd.Series) -> list[tuple]:
    """Each id as a one-element tuple (iterating a plain list: text arrays iterate slowly)."""
    return [(i,) for i in ids.to_numpy(dtype=object).tolist()]


def investment_claims(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """The investment claims of the long table, with investor, investee, framing and wording."""
    inv = tables["investments"]
    own = claims[claims["table"] == "investments"].reset_index(drop=True)
    return own.assign(
        investor_id=pd.Categorical(inv["investor_id"]),
        investee_id=pd.Categorical(inv["investee_id"]),
        framing=inv["framing"].to_numpy(),
        wording=inv["wording"].to_numpy(),
    )


def distinct_tranches(inv: pd.DataFrame) -> pd.DataFrame:
    """One row per tranche fact: the amount first reported, the earliest stated date, its claims and sources."""
    # Earliest known first (ties in file order); sorting dates, never text, keeps this fast at scale.
    tied = inv[inv["framing"] == "tranche"].sort_values("known_date", kind="stable")
    groups = tied.groupby("fact_id", sort=False)
    first = groups.head(1).set_index("fact_id")
    dated = tied.dropna(subset=["date"]).sort_values("date", kind="stable").groupby("fact_id", sort=False).head(1)
    dated = dated.set_index("fact_id")
    frame = pd.DataFrame(
        {
            "fact_id": first.index,
            "investor_id": first["investor_id"].to_numpy(),
            "investee_id": first["investee_id"].to_numpy(),
            "amount_usd": first["amount_usd"].to_numpy(dtype=float),
            "amounts_agree": (groups["amount_usd"].nunique() == 1).reindex(first.index).to_numpy(),
            "date": dated["date"].reindex(first.index).to_numpy(),
            "date_precision": dated["date_precision"].reindex(first.index).to_numpy(),
            "date_inferred": dated["date_inferred"].reindex(first.index).fillna(False).to_numpy(dtype=bool),
            "known_date": first["known_date"].to_numpy(),
            "claim_ids": tuples_by(tied, ["fact_id"], "claim_id", unique=False).reindex(first.index).to_numpy(),
            "source_ids": tuples_by(tied, ["fact_id"], "source_id", unique=True).reindex(first.index).to_numpy(),
        }
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["effective_date"] = frame["date"].fillna(frame["known_date"])
    frame = frame.sort_values("effective_date", kind="stable").reset_index(drop=True)
    frame["number"] = frame.groupby(PAIR, sort=False).cumcount() + 1
    frame["cumulative_usd"] = frame.groupby(PAIR)["amount_usd"].cumsum()
    return frame


def interpret(investments: pd.DataFrame, tranches: pd.DataFrame) -> pd.DataFrame:
    """Every investment claim read against the tranches known at its own date, with a reason code."""
    inv = investments.assign(row=np.arange(len(investments)))
    # Each claim against each tranche of its pair that was known (published and dated) by the claim's date.
    # The tranche is dated as the sources published by then dated it (the earliest date they state, else
    # when it was first reported): a later source that re-dates it is later news and changes nothing here.
    tied = inv.loc[inv["framing"] == "tranche", [*PAIR, "fact_id", "known_date", "date"]]
    seen = inv[["row", *PAIR, "known_date", "effective_date"]].merge(
        tied.rename(columns={"fact_id": "tranche_fact_id", "known_date": "t_known", "date": "t_date"}), on=PAIR
    )
    seen = seen[seen["t_known"] <= seen["known_date"]]
    pairs = (
        seen.groupby(["row", "tranche_fact_id"], sort=False)
        .agg(effective_date=("effective_date", "first"), t_known=("t_known", "min"), t_date=("t_date", "min"))
        .reset_index()
    )
    pairs["t_date"] = pairs["t_date"].fillna(pairs["t_known"])
    pairs["tranche_usd"] = tranches.set_index("fact_id")["amount_usd"].reindex(pairs["tranche_fact_id"]).to_numpy()
    pairs = pairs[pairs["t_date"] <= pairs["effective_date"]]
    pairs = pairs.sort_values(["row", "t_date"], kind="stable")
    by_row = pairs.groupby("row")
    count = by_row.size().reindex(inv["row"], fill_value=0).to_numpy()
    total = by_row["tranche_usd"].sum().reindex(inv["row"], fill_value=0.0).to_numpy()
    latest = by_row["tranche_fact_id"].last().reindex(inv["row"]).to_numpy()
    equal = pairs[np.isclose(pairs["tranche_usd"], pairs["row"].map(inv["amount_usd"]), rtol=1e-9, atol=0)]
    equal_fact = equal.groupby("row")["tranche_fact_id"].last().reindex(inv["row"]).to_numpy()
    # A claim the curator tied to a tranche's fact, where that tranche was known by the claim's own date.
    facts = inv["fact_id"].astype(object).to_numpy()
    same = seen[seen["tranche_fact_id"].astype(object).to_numpy() == facts[seen["row"].to_numpy()]]
    own_tranche = same.groupby("row")["tranche_fact_id"].first().reindex(inv["row"]).astype(object).to_numpy()
    known_ids = tuples_by(pairs.astype({"tranche_fact_id": object}), ["row"], "tranche_fact_id", unique=False)

    amount = inv["amount_usd"].to_numpy(dtype=float)
    framing = inv["framing"].to_numpy()
    unknown = framing == "unknown"
    equals_sum = (count >= 2) & np.isclose(amount, total, rtol=1e-9, atol=0)
    has_equal = pd.notna(equal_fact)
    conditions = [
        framing == "tranche",
        (framing == "cumulative") & (count > 0) & (amount < total) & ~np.isclose(amount, total, rtol=1e-9, atol=0),
        framing == "cumulative",
        unknown & pd.notna(own_tranche),
        unknown & equals_sum,
        unknown & has_equal,
        unknown & (count == 0),
    ]
    reasons = [
        codes.CURATED_TRANCHE,
        codes.BELOW_KNOWN_TRANCHES,
        codes.CURATED_CUMULATIVE,
        codes.SAME_FACT_AS_TRANCHE,
        codes.EQUALS_SUM_OF_TRANCHES,
        codes.EQUALS_TRANCHE,
        codes.ONLY_AMOUNT_KNOWN,
    ]
    reason = np.select(conditions, reasons, default=codes.MATCHES_NOTHING)
    describes = np.select(
        [np.isin(reason, codes.READ_AS_TRANCHE), np.isin(reason, codes.READ_AS_CUMULATIVE)],
        [DESCRIBES_TRANCHE, DESCRIBES_CUMULATIVE],
        default=DESCRIBES_UNEXPLAINED,
    )
    tranche_fact = np.where(
        reason == codes.CURATED_TRANCHE,
        inv["fact_id"].to_numpy(),
        np.where(
            reason == codes.SAME_FACT_AS_TRANCHE,
            own_tranche,
            np.where(reason == codes.EQUALS_TRANCHE, equal_fact, None),
        ),
    )
    out = inv.drop(columns=["row", "table", "kind", "company_id", "counterparty_id"])
    out["describes"] = describes
    out["reason"] = reason
    out["tranche_fact_id"] = tranche_fact
    out["known_tranches"] = count
    out["known_tranche_sum_usd"] = total
    out["latest_tranche_fact_id"] = latest
    known_ids = known_ids.reindex(np.arange(len(inv))).to_numpy(dtype=object).tolist()
    out["known_tranche_fact_ids"] = [ids if isinstance(ids, tuple) else () for ids in known_ids]
    return out


def _carry(events: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Running sums of increments and the carried-forward levels, per key, in date order.

    events: keys, date, order (0 increments before 1 levels on one date), increment, level.
    carried = the largest (level + increments dated after it): a bound that never decreases.
    """
    events = events.sort_values([*keys, "date", "order"], kind="stable").reset_index(drop=True)
    group = events.groupby(keys, sort=False)
    events["increments"] = group["increment"].cumsum()
    base = events["level"] - events["increments"]
    by_key = [events[k] for k in keys]
    events["base"] = base.groupby(by_key, sort=False).cummax().groupby(by_key, sort=False).ffill()
    events["carried"] = events["base"] + events["increments"]
    winner = base.where(np.isclose(base, events["base"], rtol=1e-12, atol=0) & base.notna())
    events["from_level"] = winner.notna()
    return events


def investor_series(tranches: pd.DataFrame, interpretations: pd.DataFrame) -> pd.DataFrame:
    """Each investor's running total in each company over time: one row per date it changes."""
    increments = pd.DataFrame(
        {
            "investor_id": tranches["investor_id"],
            "investee_id": tranches["investee_id"],
            "date": tranches["effective_date"],
            "order": 0,
            "increment": tranches["amount_usd"],
            "level": np.nan,
            "qualifier": "exact",
        }
    )
    cumulative = interpretations[interpretations["describes"] == DESCRIBES_CUMULATIVE]
    levels = pd.DataFrame(
        {
            "investor_id": cumulative["investor_id"],
            "investee_id": cumulative["investee_id"],
            "date": cumulative["effective_date"],
            "order": 1,
            "increment": 0.0,
            "level": cumulative["amount_usd"],
            "qualifier": cumulative["qualifier"].astype(object),
        }
    )
    events = _carry(pd.concat([increments, levels], ignore_index=True), PAIR)
    reported = events["carried"] > events["increments"] + 1e-6 * events["increments"].abs()
    events["total_usd"] = np.where(reported, events["carried"], events["increments"])
    events["basis"] = np.where(reported, "reported", "tranches")
    level_qualifier = events["qualifier"].where(events["from_level"])
    level_qualifier = level_qualifier.groupby([events[k] for k in PAIR], sort=False).ffill()
    events["qualifier"] = np.where(reported, level_qualifier, "exact")
    series = events.groupby([*PAIR, "date"], sort=False).tail(1)
    series = series[["investor_id", "investee_id", "date", "total_usd", "qualifier", "basis"]]
    series = series.reset_index(drop=True)
    series["change_usd"] = series["total_usd"] - series.groupby(PAIR)["total_usd"].shift(fill_value=0.0)
    return series


def funding_series(claims: pd.DataFrame, tranches: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Each company's funding over time: named investors, and reported totals carried forward."""
    reported = claims[claims["kind"] == "funding_total"]
    named = pd.DataFrame(
        {"company_id": totals["investee_id"], "date": totals["date"], "order": 0, "named": totals["change_usd"]}
    )
    added = pd.DataFrame(
        {
            "company_id": tranches["investee_id"],
            "date": tranches["effective_date"],
            "order": 0,
            "increment": tranches["amount_usd"],
        }
    )
    levels = pd.DataFrame(
        {
            "company_id": reported["company_id"],
            "date": reported["effective_date"],
            "order": 1,
            "level": reported["amount_usd"],
            "reported_qualifier": reported["qualifier"].astype(object),
            "reported_claim_id": reported["claim_id"],
            "reported_source_id": reported["source_id"],
            "reported_date": reported["effective_date"],
        }
    )
    events = pd.concat([named, added, levels], ignore_index=True)
    events[["named", "increment"]] = events[["named", "increment"]].fillna(0.0)
    events = _carry(events, ["company_id"])
    group = [events["company_id"]]
    events["named_usd"] = events["named"].groupby(group, sort=False).cumsum()
    for column in ("level", "reported_qualifier", "reported_claim_id", "reported_source_id", "reported_date"):
        events[column] = events[column].where(events["from_level"]).groupby(group, sort=False).ffill()
    events["reported_usd"] = events["level"]
    series = events.groupby(["company_id", "date"], sort=False).tail(1)
    columns = [
        "company_id",
        "date",
        "named_usd",
        "carried_usd",
        "reported_usd",
        "reported_qualifier",
        "reported_claim_id",
        "reported_source_id",
        "reported_date",
    ]
    return series.rename(columns={"carried": "carried_usd"})[columns].reset_index(drop=True)


DISAGREEMENT_COLUMNS = [
    "code",
    "fact_id",
    "table",
    "claim_ids",
    "source_ids",
    "investor_id",
    "company_id",
    "amount_usd",
    "expected_usd",
    "related_fact_id",
    "related_source_ids",
    "opened",
]


def find_disagreements(claims: pd.DataFrame, interpretations: pd.DataFrame) -> pd.DataFrame:
    """Where the sources disagree, as structured records with a reason code (see `codes`)."""
    frames = [
        _wording_disagreements(interpretations),
        _arithmetic_disagreements(interpretations),
        _amount_disagreements(claims),
        _date_disagreements(claims),
    ]
    found = [f for f in frames if len(f)]
    if not found:
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    return pd.concat(found, ignore_index=True)[DISAGREEMENT_COLUMNS]


def _wording_disagreements(interpretations: pd.DataFrame) -> pd.DataFrame:
    """A source calls a running total one tranche ('the latest infusion'), or the reverse."""
    i = interpretations
    says_one = i["wording"].isin(SINGLE_TRANCHE_WORDS) & (i["reason"] == codes.EQUALS_SUM_OF_TRANCHES)
    says_total = (i["wording"] == "total") & (i["describes"] == DESCRIBES_TRANCHE) & (i["known_tranches"] >= 2)
    rows = i[says_one | says_total]
    # The sources of the latest tranche as known when the claim was published, never later restatements.
    tied = i[i["framing"] == "tranche"][["fact_id", "source_id", "known_date"]].astype({"fact_id": object})
    pairs = rows[["claim_id", "latest_tranche_fact_id", "known_date"]].merge(
        tied.rename(columns={"fact_id": "latest_tranche_fact_id", "known_date": "t_known"}), on="latest_tranche_fact_id"
    )
    pairs = pairs[pairs["t_known"] <= pairs["known_date"]]
    related = tuples_by(pairs, ["claim_id"], "source_id", unique=True).reindex(rows["claim_id"]).to_numpy()
    return _claim_disagreements(
        rows,
        code=np.where(says_one[rows.index], codes.WORDING_SAYS_TRANCHE, codes.WORDING_SAYS_TOTAL),
        source_ids=[tuple(sorted({s, *r})) for s, r in zip(rows["source_id"], related, strict=True)],
        related_fact_id=rows["latest_tranche_fact_id"].to_numpy(),
        related_source_ids=related,
    )


def _arithmetic_disagreements(interpretations: pd.DataFrame) -> pd.DataFrame:
    """Amounts that are no known tranche and not their sum, and running totals below the tranches."""
    i = interpretations
    rows = i[i["reason"].isin([codes.MATCHES_NOTHING, codes.BELOW_KNOWN_TRANCHES])]
    return _claim_disagreements(
        rows,
        code=rows["reason"].to_numpy(),
        source_ids=_singletons(rows["source_id"]),
        related_fact_id=None,
        related_source_ids=[()] * len(rows),
    )


def _claim_disagreements(rows: pd.DataFrame, **varying) -> pd.DataFrame:
    """Disagreement records of single investment claims (interpretation rows); `varying` gives the rest."""
    return pd.DataFrame(
        {
            "fact_id": rows["fact_id"].to_numpy(),
            "table": "investments",
            "claim_ids": _singletons(rows["claim_id"]),
            "investor_id": rows["investor_id"].to_numpy(),
            "company_id": rows["investee_id"].to_numpy(),
            "amount_usd": rows["amount_usd"].to_numpy(dtype=float),
            "expected_usd": rows["known_tranche_sum_usd"].to_numpy(dtype=float),
            "opened": rows["known_date"].to_numpy(),
            **varying,
        }
    )[DISAGREEMENT_COLUMNS]


def _grouped_claims(differing: pd.DataFrame, code: str) -> pd.DataFrame:
    ordered = differing.sort_values(["fact_id", "known_date", "claim_id"], kind="stable")
    groups = ordered.groupby("fact_id", sort=False)
    first = groups.head(1).set_index("fact_id")
    return pd.DataFrame(
        {
            "code": code,
            "fact_id": first.index,
            "table": first["table"].to_numpy(),
            "claim_ids": tuples_by(ordered, ["fact_id"], "claim_id", unique=False).reindex(first.index).to_numpy(),
            "source_ids": tuples_by(ordered, ["fact_id"], "source_id", unique=True).reindex(first.index).to_numpy(),
            "investor_id": first["counterparty_id"].to_numpy(),
            "company_id": first["company_id"].to_numpy(),
            "amount_usd": np.nan,
            "expected_usd": np.nan,
            "related_fact_id": None,
            "related_source_ids": [()] * len(first),
            "opened": groups["known_date"].max().to_numpy(),
        }
    )


def _amount_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Facts whose claims give different amounts."""
    amounts = claims[claims["amount_usd"].notna()]
    counts = amounts.groupby("fact_id")["amount_usd"].nunique()
    return _grouped_claims(amounts[amounts["fact_id"].isin(counts.index[counts > 1])], codes.AMOUNTS_DIFFER)


def _date_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Events that two or more sources place at different times (or that one dates and another does not)."""
    events = claims[claims["kind"] == "event"]
    key = events["date"].astype(str).fillna("") + "|" + events["date_precision"].astype(str).fillna("")
    stats = events.assign(key=key).groupby("fact_id").agg(sources=("source_id", "nunique"), dates=("key", "nunique"))
    differing = stats.index[(stats["sources"] > 1) & (stats["dates"] > 1)]
    return _grouped_claims(events[events["fact_id"].isin(differing)], codes.DATES_DIFFER)


def fact_coverage(claims: pd.DataFrame, disputed: set[str]) -> pd.DataFrame:
    """Each fact with the sources that report it: agree, disagree, or single source."""
    sources = tuples_by(claims, ["table", "fact_id"], "source_id", unique=True)
    frame = pd.DataFrame(
        {
            "claims": claims.groupby(["table", "fact_id"], sort=False).size().reindex(sources.index),
            "n_sources": sources.map(len),
            "source_ids": sources,
        }
    ).reset_index()
    frame["status"] = np.where(
        frame["fact_id"].isin(disputed),
        codes.STATUS_DISAGREE,
        np.where(frame["n_sources"] > 1, codes.STATUS_AGREE, codes.STATUS_SINGLE),
    )
    return frame[["table", "fact_id", "claims", "source_ids", "status"]]
