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
from functools import cached_property

import numpy as np
import pandas as pd

from ..data.registry import ClaimTable, Tables
from . import arrays, codes
from .asof import publication_dates, tables_as_of
from .frozen import Frames

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
        totals = self._totals
        dated = np.flatnonzero(totals.dates <= _moment(self.as_of if at is None else at))
        return arrays.take(totals.frame, dated[arrays.last_of_each(totals.pair[dated])])

    def sources_behind(self, investee_id: str, at: pd.Timestamp) -> dict[str, tuple[str, ...]]:
        """By investor: the sources of the tranches and running totals behind its total in a company at a date."""
        at = _moment(at)
        tranches, reads = self._tranches, self._cumulative_reads
        found: dict[str, set[str]] = {}
        for investor, ids in tranches.items(investee_id, at, "investor_id", "source_ids"):
            found.setdefault(investor, set()).update(ids)
        for investor, source in reads.items(investee_id, at, "investor_id", "source_id"):
            found.setdefault(investor, set()).add(source)
        return {investor: tuple(sorted(ids)) for investor, ids in found.items()}

    def funding_at(self, company_id: str, at: pd.Timestamp | None = None) -> FundingPosition:
        """The company's funding position on a date (default: as_of), everything measured at that date."""
        at = self.as_of if at is None else at
        moment = _moment(at)
        columns = self._by_investor(company_id, at, moment)
        by_investor = pd.DataFrame(columns, copy=False)
        usd = columns["total_usd"]
        named = float(np.where(np.isnan(usd), 0.0, usd).sum())  # as Series.sum adds (NaN skipped), in this order
        sources = tuple(sorted({s for ids in columns["source_ids"] for s in ids}))
        steps = self._funding(company_id, moment)
        last = self._funding.row(steps[-1]) if len(steps) else None
        if last is None or pd.isna(last["reported_usd"]):
            return FundingPosition(company_id, at, by_investor, named, None, None, None, None, None, 0.0, None, sources)
        carried = float(last["carried_usd"])
        total = max(carried, named)
        added = self._tranches(company_id, moment)
        added = added[self._tranches.dates[added] > _moment(last["reported_date"])]
        added_sources = (s for ids in self._tranches.column("source_ids", added) for s in ids)
        total_sources = {str(last["reported_source_id"]), *added_sources}
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

    def _by_investor(self, company_id: str, at: pd.Timestamp, moment: np.datetime64) -> dict:
        """The columns of the named investors' totals in a company at a date, largest first (then by id)."""
        totals = self._totals
        rows = totals(company_id, moment)
        rows = rows[arrays.last_of_each(totals.pair[rows])]
        rows = totals.listing(rows)
        columns = {name: arrays.kept(values.take(rows)) for name, values in totals.listed.items()}
        behind = self.sources_behind(company_id, at)
        columns["source_ids"] = [behind.get(i, ()) for i in totals.column("investor_id", rows)]  # typed as a list
        return columns

    def latest_valuation(self, company_id: str) -> pd.Series | None:
        """The newest valuation claim of a company (by date, then by when it became known)."""
        rows = self._valuations(company_id)
        return None if not len(rows) else self.valuations.iloc[rows[-1]]

    def valuation_comparison(self, company_id: str) -> ValuationComparison | None:
        """Funding raised as of the latest valuation's date, against that valuation."""
        rows = self._valuations(company_id)
        if not len(rows):
            return None
        latest = self._valuations.row(rows[-1])  # the values latest_valuation's row holds, without building it
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
        return {role for role, companies in self._quantified.items() if company_id in companies}

    # The queries' indexes, each built on first use (the frames never change): see `_Rows`.

    @cached_property
    def _totals(self) -> "_Totals":
        return _Totals(self.investor_totals)

    @cached_property
    def _tranches(self) -> "_Rows":
        return _Rows(self.tranches, "investee_id", "effective_date", ("investor_id", "source_ids"))

    @cached_property
    def _cumulative_reads(self) -> "_Rows":
        reads = self.interpretations
        cumulative = arrays.rows(reads["describes"], DESCRIBES_CUMULATIVE)
        return _Rows(reads, "investee_id", "effective_date", ("investor_id", "source_id"), cumulative)

    @cached_property
    def _funding(self) -> "_Rows":
        last = ("carried_usd", "reported_usd", "reported_qualifier", "reported_claim_id", "reported_source_id")
        return _Rows(self.funding, "company_id", "date", (*last, "reported_date"))

    @cached_property
    def _valuations(self) -> "_Rows":
        return _Rows(
            self.valuations, "company_id", "date", ("valuation_usd", "qualifier", "date", "claim_id", "source_id")
        )

    @cached_property
    def _quantified(self) -> dict[str, set]:
        """By role, the companies that have a claim with an amount in that role."""
        claims = self.claims
        quantified = claims["amount_usd"].notna().to_numpy()
        roles = {"investee": "company_id", "investor": "counterparty_id"}
        return {role: set(claims[column][quantified].dropna()) for role, column in roles.items()}


# Speed: the queries (funding_at above all, asked for every company at many dates) read indexes built once
# per result: a key's rows as positions, their dates as a numpy array. A pandas filter, groupby or sort on
# these frames costs about a millisecond each however few the rows; a lookup here, microseconds.


def _moment(at) -> np.datetime64:
    """A date as numpy compares it with a date column: exactly, whatever the units."""
    return pd.Timestamp(at).to_datetime64()


class _Rows:
    """A frame's rows (all, or those at `rows`) by one key column, dated: a key's rows up to a date, in row order.

    `columns` are kept as object arrays: the values iterating the frame's column yields (str, tuple, Timestamp,
    float, NA), without iterating it (text arrays iterate slowly).
    """

    def __init__(self, frame: pd.DataFrame, key: str, date: str, columns=(), rows: np.ndarray | None = None):
        rows = np.arange(len(frame)) if rows is None else rows
        self.by_key = {k: rows[p] for k, p in arrays.positions_by(frame[key].array.take(rows)).items()}
        self.none = rows[:0]
        self.dates = frame[date].to_numpy()
        self.columns = {name: frame[name].to_numpy(dtype=object) for name in columns}

    def __call__(self, key: str, at: np.datetime64 | None = None) -> np.ndarray:
        """The key's rows (missing keys match none), only those dated on or before `at` if given."""
        rows = self.by_key.get(key, self.none)
        return rows if at is None else rows[self.dates[rows] <= at]

    def column(self, name: str, rows: np.ndarray) -> list:
        """A kept column's values at these rows."""
        return self.columns[name][rows].tolist()

    def items(self, key: str, at: np.datetime64, *names: str):
        """The key's rows dated by `at`: the kept columns' values, row by row."""
        rows = self(key, at)
        return zip(*(self.column(name, rows) for name in names), strict=True)

    def row(self, position: int) -> dict:
        """One row's kept columns by name."""
        return {name: values[position] for name, values in self.columns.items()}


class _Totals(_Rows):
    """investor_totals by investee and dated, with each row's pair (-1 when an id is missing: groupby drops it)
    and its investor as a code that sorts as the ids do (pandas' order)."""

    def __init__(self, totals: pd.DataFrame):
        super().__init__(totals, "investee_id", "date", ("investor_id",))
        self.frame = totals
        self.listed = {name: totals[name].values for name in ("investor_id", "total_usd", "qualifier", "basis")}
        self.investor, _ = pd.factorize(totals["investor_id"], sort=True)
        investee, investees = pd.factorize(totals["investee_id"])
        pair = self.investor.astype(np.int64) * (len(investees) + 1) + investee
        self.pair = np.where((self.investor < 0) | (investee < 0), -1, pair)

    def listing(self, rows: np.ndarray) -> np.ndarray:
        """Rows of distinct investors in the order funding_at lists them: largest total first (NaN last), then by id."""
        return rows[np.lexsort((self.investor[rows], -self.listed["total_usd"][rows]))]


def reconcile(tables: Tables, as_of: pd.Timestamp) -> Reconciliation:
    """Reconcile every claim published on or before `as_of`: the one computation a build makes."""
    known = tables_as_of(tables, pd.Timestamp(as_of))
    claims = long_claims(known)
    investments = investment_claims(known, claims)
    tranches = distinct_tranches(investments)
    interpretations = interpret(investments, tranches)
    investor_totals = investor_series(tranches, interpretations)
    disagreements = find_disagreements(claims, interpretations)
    return Reconciliation(
        as_of=pd.Timestamp(as_of),
        sources=known["sources"],
        claims=claims,
        tranches=tranches,
        interpretations=interpretations,
        investor_totals=investor_totals,
        funding=funding_series(claims, tranches, investor_totals),
        valuations=_valuations(claims),
        statements=_statements(known, claims),
        events=known["events"],
        event_parties=known["event_parties"],
        companies=known["companies"],
        disagreements=disagreements,
        coverage=fact_coverage(claims, set(disagreements["fact_id"])),
    )


# Speed: each step works on numpy arrays, row positions and integer codes, and builds its frame once.
# On frames of many text columns every pandas filter, sort, merge or groupby costs about a millisecond
# however few the rows, and the as-of views run this many times per build; numpy stays vectorised at scale.


def _statements(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """Statement claims with their topic and kind."""
    own = arrays.take(claims, arrays.rows(claims["kind"], "statement"))
    table = tables["statements"]
    own["topic"] = table["topic"].to_numpy()
    own["statement_kind"] = table["kind"].to_numpy()
    return own


def _valuations(claims: pd.DataFrame) -> pd.DataFrame:
    """Valuation claims by company, date, then when they became known; the amount is valuation_usd."""
    rows = arrays.rows(claims["kind"], "valuation")
    company = arrays.sort_codes(claims["company_id"].array.take(rows))
    order = np.lexsort((claims["known_date"].to_numpy()[rows], claims["date"].to_numpy()[rows], company))
    valuations = arrays.take(claims, rows[order])
    valuations.columns = ["valuation_usd" if c == "amount_usd" else c for c in valuations.columns]
    return valuations


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
    parts = [_claim_columns(tables, t) for t in tables.claims]
    if not parts:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    columns = {name: arrays.concat([part[name] for part in parts]) for name in parts[0]}
    columns["table"] = pd.array(columns["table"], dtype="str")
    columns["kind"] = pd.array(columns["kind"], dtype="str")
    columns["fact_id"] = pd.Categorical(columns["fact_id"])  # grouped on at scale: hashed once, then codes
    columns["known_date"] = publication_dates(tables, columns["source_id"])
    columns["effective_date"] = arrays.fill_dates(columns["date"], columns["known_date"])
    return pd.DataFrame({name: columns[name] for name in CLAIM_COLUMNS}, copy=False)


def _claim_columns(tables: Tables, t: ClaimTable) -> dict:
    """One claim table's columns in the long table's terms (but known_date and effective_date)."""
    frame = tables[t.name]
    n = len(frame)
    missing = pd.array([pd.NA] * n, dtype="string")
    company = frame[t.company].array if t.company else missing
    if t.parties:
        company = _subjects(tables[t.parties], t.id, frame[t.id])
    return {
        "claim_id": frame[t.id].array,
        "table": np.full(n, t.name, dtype=object),
        "kind": np.full(n, t.kind, dtype=object),
        "fact_id": frame["fact_id"].array,
        "source_id": frame["source_id"].array,
        "company_id": company,
        "counterparty_id": frame[t.counterparty].array if t.counterparty else missing,
        "amount_usd": frame[t.amount].to_numpy(dtype=float, na_value=np.nan) if t.amount else np.full(n, np.nan),
        "qualifier": frame[t.qualifier].array if t.qualifier else missing,
        "date": frame[t.date].to_numpy(),
        "date_precision": frame[t.precision].array,
        "date_inferred": frame[t.inferred].to_numpy(dtype=bool),
        "quote": frame["quote"].array,
    }


def _subjects(parties: pd.DataFrame, id_column: str, ids: pd.Series):
    """Each claim's subject: the first company its parties name with role subject (NA when none)."""
    keys = parties[id_column].to_numpy(dtype=object)
    companies = parties["company_id"].to_numpy(dtype=object)
    subject = (parties["role"].to_numpy(dtype=object, na_value="") == "subject") & ~pd.isna(keys) & ~pd.isna(companies)
    keys, companies = keys[subject], companies[subject]
    key_codes, uniques = pd.factorize(keys)
    _, first = np.unique(key_codes, return_index=True)
    position = pd.Index(uniques).get_indexer(ids.to_numpy(dtype=object))
    return pd.array(np.append(companies[first], pd.NA)[position], dtype="string")


def investment_claims(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """The investment claims of the long table, with investor, investee, framing and wording."""
    inv = tables["investments"]
    own = arrays.take(claims, arrays.rows(claims["table"], "investments"))
    own["investor_id"] = pd.Categorical(inv["investor_id"])
    own["investee_id"] = pd.Categorical(inv["investee_id"])
    own["framing"] = inv["framing"].to_numpy()
    own["wording"] = inv["wording"].to_numpy()
    return own


def _pair_codes(inv: pd.DataFrame) -> np.ndarray:
    """One integer per (investor_id, investee_id) of the investment claims; missing values match each other."""
    investor = inv["investor_id"].cat.codes.to_numpy(np.int64) + 1
    investee = inv["investee_id"].cat.codes.to_numpy(np.int64) + 1
    return investor * (len(inv["investee_id"].cat.categories) + 1) + investee


def distinct_tranches(inv: pd.DataFrame) -> pd.DataFrame:
    """One row per tranche fact: the amount first reported, the earliest stated date, its claims and sources."""
    facts = inv["fact_id"].cat.codes.to_numpy()
    known, dates = inv["known_date"].to_numpy(), inv["date"].to_numpy()
    # Earliest known first (ties in file order); sorting dates, never text, keeps this fast at scale.
    tied = np.flatnonzero((inv["framing"].to_numpy(dtype=object) == "tranche") & (facts >= 0))
    tied = tied[np.argsort(known[tied], kind="stable")]
    group, heads = arrays.first_appearance(facts[tied])
    first, n = tied[heads], len(heads)
    # Each fact's earliest stated date (ties: the earliest known claim), -1 where no claim states one.
    dated = np.flatnonzero(~np.isnat(dates[tied]))
    dated = dated[np.argsort(dates[tied[dated]], kind="stable")]
    found, at = np.unique(group[dated], return_index=True)
    earliest = np.full(n, -1)
    earliest[found] = tied[dated[at]]
    has_date = earliest >= 0
    precision = inv["date_precision"]
    columns = {
        "fact_id": pd.Categorical.from_codes(facts[first], dtype=inv["fact_id"].dtype),
        "investor_id": inv["investor_id"].to_numpy()[first],
        "investee_id": inv["investee_id"].to_numpy()[first],
        "amount_usd": inv["amount_usd"].to_numpy(dtype=float)[first],
        "amounts_agree": arrays.distinct_counts(group, inv["amount_usd"].to_numpy()[tied], n) == 1,
        "date": np.where(has_date, dates[earliest], np.array("NaT", dtype=dates.dtype)),
        "date_precision": np.append(precision.to_numpy(), precision.dtype.na_value)[earliest],
        "date_inferred": np.where(has_date, inv["date_inferred"].to_numpy(dtype=bool)[earliest], False),
        "known_date": known[first],
        "claim_ids": arrays.tuples(group, inv["claim_id"].to_numpy(dtype=object)[tied], n, unique=False),
        "source_ids": arrays.tuples(group, inv["source_id"].to_numpy(dtype=object)[tied], n, unique=True),
    }
    columns["effective_date"] = arrays.fill_dates(columns["date"], columns["known_date"])
    order = np.argsort(columns["effective_date"], kind="stable")
    columns = {name: values[order] for name, values in columns.items()}
    by_pair = pd.Series(columns["amount_usd"], copy=False).groupby(_pair_codes(inv)[first[order]], sort=False)
    columns["number"] = by_pair.cumcount().to_numpy() + 1
    columns["cumulative_usd"] = by_pair.cumsum().to_numpy()
    return pd.DataFrame(columns, copy=False)


def interpret(investments: pd.DataFrame, tranches: pd.DataFrame) -> pd.DataFrame:
    """Every investment claim read against the tranches known at its own date, with a reason code."""
    inv = investments
    n = len(inv)
    fact_dtype = inv["fact_id"].dtype
    amount = inv["amount_usd"].to_numpy(dtype=float)
    framing = inv["framing"].to_numpy(dtype=object)
    row, fact, usd, own = _known_tranches(inv, tranches)
    # Per claim: how many tranches were known, their sum, the latest, and the latest of equal amount.
    count = np.bincount(row, minlength=n)
    total = np.zeros(n)
    total[np.unique(row)] = arrays.group_sums(usd, row, cumulative=False)[:, 0]
    last = arrays.run_ends(row)
    latest = np.full(n, -1)
    latest[row[last]] = fact[last]
    equal = np.isclose(usd, amount[row], rtol=1e-9, atol=0)
    last_equal = arrays.run_ends(row[equal])
    equal_code = np.full(n, -1)
    equal_code[row[equal][last_equal]] = fact[equal][last_equal]
    equal_fact = np.asarray(pd.Categorical.from_codes(equal_code, dtype=fact_dtype))
    own_tranche = np.asarray(
        pd.Categorical.from_codes(np.where(own, inv["fact_id"].cat.codes.to_numpy(), -1), dtype=fact_dtype)
    )
    known_ids = arrays.tuples(row, np.asarray(fact_dtype.categories, dtype=object)[fact], n, unique=False)

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
    out = inv.drop(columns=["table", "kind", "company_id", "counterparty_id"])
    out["describes"] = describes
    out["reason"] = reason
    out["tranche_fact_id"] = tranche_fact
    out["known_tranches"] = count
    out["known_tranche_sum_usd"] = total
    out["latest_tranche_fact_id"] = np.asarray(pd.Categorical.from_codes(latest, dtype=fact_dtype))
    out["known_tranche_fact_ids"] = known_ids.tolist()
    return out


def _known_tranches(inv: pd.DataFrame, tranches: pd.DataFrame):
    """Each claim with each tranche of its pair known at the claim's own date, by claim, then tranche date.

    Known: reported by a source published by the claim's date, and dated no later than the claim, as the
    sources published by then dated it (the earliest date they state, else when it was first reported): a
    later source that re-dates it is later news and changes nothing here. Returns the claims' rows, the
    tranches' fact codes and amounts, and per claim whether the curator tied it to a tranche's fact known
    by its date.
    """
    facts = inv["fact_id"].cat.codes.to_numpy().astype(np.int64)
    known, dates = inv["known_date"].to_numpy(), inv["date"].to_numpy()
    tied = arrays.rows(inv["framing"], "tranche")
    pair = _pair_codes(inv)
    row, claim = arrays.join(pair, pair[tied])  # each claim against each tranche claim of its pair, in file order
    claim = tied[claim]
    published = known[claim] <= known[row]
    row, claim = row[published], claim[published]
    own = np.zeros(len(inv), dtype=bool)
    own[row[(facts[claim] == facts[row]) & (facts[row] >= 0)]] = True
    row, claim = row[facts[claim] >= 0], claim[facts[claim] >= 0]
    # Each (claim, tranche) once, in order of first appearance, dated as known by then.
    group, heads = arrays.first_appearance(row * (facts.max(initial=0) + 1) + facts[claim])
    t_known = arrays.group_reduce(np.minimum, known[claim], group)
    t_date = arrays.fill_dates(arrays.group_reduce(np.fmin, dates[claim], group), t_known)  # NaT skipped
    row, fact = row[heads], facts[claim[heads]]
    dated = t_date <= inv["effective_date"].to_numpy()[row]
    order = np.flatnonzero(dated)[np.lexsort((t_date[dated], row[dated]))]
    amounts = np.full(len(inv["fact_id"].cat.categories) + 1, np.nan)
    amounts[pd.Categorical(tranches["fact_id"], dtype=inv["fact_id"].dtype).codes] = tranches["amount_usd"].to_numpy()
    return row[order], fact[order], amounts[fact[order]], own


def _carry(key: np.ndarray, date: np.ndarray, order: np.ndarray, level: np.ndarray, *running: np.ndarray):
    """Running sums and the carried-forward levels, per key, in date order.

    key: integer codes that sort as the keys; order: 0 increments before 1 levels on one date; running:
    the increments, then any other amounts to sum along. carried = the largest (level + increments dated
    after it): a bound that never decreases. Returns the sorted positions, where each key's rows start,
    the running sums (a column per array), carried, and whether each row's level is the one carried.
    """
    sort = np.lexsort((order, date, key))
    starts = arrays.run_starts(key[sort])
    sums = arrays.group_sums(np.column_stack([values[sort] for values in running]), key[sort], cumulative=True)
    base = level[sort] - sums[:, 0]
    best = arrays.running_max(base, starts)
    from_level = np.isclose(base, best, rtol=1e-12, atol=0) & ~np.isnan(base)
    return sort, starts, sums, best + sums[:, 0], from_level


def investor_series(tranches: pd.DataFrame, interpretations: pd.DataFrame) -> pd.DataFrame:
    """Each investor's running total in each company over time: one row per date it changes."""
    cumulative = arrays.rows(interpretations["describes"], DESCRIBES_CUMULATIVE)
    n = len(tranches)
    investor = arrays.concat([tranches["investor_id"].array, interpretations["investor_id"].array.take(cumulative)])
    investee = arrays.concat([tranches["investee_id"].array, interpretations["investee_id"].array.take(cumulative)])
    date = np.r_[tranches["effective_date"].to_numpy(), interpretations["effective_date"].to_numpy()[cumulative]]
    key = arrays.sort_codes(investor, investee)
    sort, starts, sums, carried, from_level = _carry(
        key,
        date,
        np.r_[np.zeros(n, dtype=int), np.ones(len(cumulative), dtype=int)],
        np.r_[np.full(n, np.nan), interpretations["amount_usd"].to_numpy(dtype=float)[cumulative]],
        np.r_[tranches["amount_usd"].to_numpy(dtype=float), np.zeros(len(cumulative))],
    )
    increments = sums[:, 0]
    reported = carried > increments + 1e-6 * np.abs(increments)
    qualifier = np.r_[
        np.full(n, "exact", dtype=object), interpretations["qualifier"].to_numpy(dtype=object)[cumulative]
    ]
    qualifier = np.where(reported, arrays.ffill(qualifier[sort], from_level, starts, np.nan), "exact")
    qualifier = pd.Series(qualifier).array  # typed as a frame types it
    last = np.flatnonzero(arrays.run_ends(key[sort], date[sort]))  # the last event of each day
    total = np.where(reported, carried, increments)[last]
    return pd.DataFrame(
        {
            "investor_id": arrays.kept(investor.take(sort[last])),
            "investee_id": arrays.kept(investee.take(sort[last])),
            "date": date[sort][last],
            "total_usd": total,
            "qualifier": arrays.kept(qualifier.take(last)),
            "basis": np.where(reported, "reported", "tranches")[last],
            "change_usd": total - np.where(arrays.run_starts(key[sort][last]), 0.0, np.r_[0.0, total[:-1]]),
        },
        copy=False,
    )


def funding_series(claims: pd.DataFrame, tranches: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Each company's funding over time: named investors, and reported totals carried forward."""
    reported = arrays.rows(claims["kind"], "funding_total")
    before, after = len(totals) + len(tranches), np.zeros(len(reported))
    # Events: the named investors' changes and the tranches (order 0), then the reported totals (order 1).
    company = arrays.concat(
        [totals["investee_id"].array, tranches["investee_id"].array, claims["company_id"].array.take(reported)]
    )
    date = np.r_[
        totals["date"].to_numpy(), tranches["effective_date"].to_numpy(), claims["effective_date"].to_numpy()[reported]
    ]
    named = np.r_[totals["change_usd"].to_numpy(dtype=float), np.zeros(len(tranches)), after]
    increment = np.r_[np.zeros(len(totals)), tranches["amount_usd"].to_numpy(dtype=float), after]
    key = arrays.sort_codes(company)
    sort, starts, sums, carried, from_level = _carry(
        key,
        date,
        np.r_[np.zeros(before, dtype=int), np.ones(len(reported), dtype=int)],
        np.r_[np.full(before, np.nan), claims["amount_usd"].to_numpy(dtype=float)[reported]],
        np.where(np.isnan(increment), 0.0, increment),
        np.where(np.isnan(named), 0.0, named),
    )
    # The reported total each figure is carried from, as a row of claims (-1: none yet).
    origin = np.r_[np.full(before, -1), reported][sort]
    source = arrays.last_valid(from_level, starts)
    carried_from = np.where(source >= 0, origin[np.maximum(source, 0)], -1)
    qualifier = np.r_[np.full(before, np.nan, dtype=object), claims["qualifier"].to_numpy(dtype=object)[reported]]
    qualifier = arrays.ffill(qualifier[sort], from_level, starts, np.nan)
    last = np.flatnonzero(arrays.run_ends(key[sort], date[sort]))  # the last event of each day
    at = carried_from[last]
    reported_date = claims["effective_date"].to_numpy()
    return pd.DataFrame(
        {
            "company_id": arrays.kept(company.take(sort[last])),
            "date": date[sort][last],
            "named_usd": sums[last, 1],
            "carried_usd": carried[last],
            "reported_usd": np.where(at >= 0, claims["amount_usd"].to_numpy(dtype=float)[at], np.nan),
            "reported_qualifier": arrays.kept(qualifier[last]),
            "reported_claim_id": claims["claim_id"].array.take(at, allow_fill=True),
            "reported_source_id": claims["source_id"].array.take(at, allow_fill=True),
            "reported_date": np.where(at >= 0, reported_date[at], np.array("NaT", dtype=reported_date.dtype)),
        },
        copy=False,
    )


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
    return found[0] if len(found) == 1 else pd.concat(found, ignore_index=True)


def _wording_disagreements(interpretations: pd.DataFrame) -> pd.DataFrame:
    """A source calls a running total one tranche ('the latest infusion'), or the reverse."""
    i = interpretations
    wording = i["wording"].to_numpy(dtype=object)
    says_one = np.logical_or.reduce([wording == word for word in SINGLE_TRANCHE_WORDS])
    says_one &= i["reason"].to_numpy(dtype=object) == codes.EQUALS_SUM_OF_TRANCHES
    says_total = (wording == "total") & (i["describes"].to_numpy(dtype=object) == DESCRIBES_TRANCHE)
    says_total &= i["known_tranches"].to_numpy() >= 2
    rows = np.flatnonzero(says_one | says_total)
    if not len(rows):
        return pd.DataFrame()
    # The sources of the latest tranche as known when the claim was published, never later restatements.
    facts, known, sources = i["fact_id"].cat, i["known_date"].to_numpy(), i["source_id"].to_numpy(dtype=object)
    latest = i["latest_tranche_fact_id"].to_numpy(dtype=object)[rows]
    tied = arrays.rows(i["framing"], "tranche")
    row, claim = arrays.join(facts.categories.get_indexer(latest), facts.codes.to_numpy()[tied])
    claim = tied[claim]
    published = known[claim] <= known[rows[row]]
    related = arrays.tuples(row[published], sources[claim[published]], len(rows), unique=True)
    return _claim_disagreements(
        i,
        rows,
        code=np.where(says_one[rows], codes.WORDING_SAYS_TRANCHE, codes.WORDING_SAYS_TOTAL),
        source_ids=[tuple(sorted({s, *r})) for s, r in zip(sources[rows].tolist(), related.tolist(), strict=True)],
        related_fact_id=latest,
        related_source_ids=related,
    )


def _arithmetic_disagreements(interpretations: pd.DataFrame) -> pd.DataFrame:
    """Amounts that are no known tranche and not their sum, and running totals below the tranches."""
    i = interpretations
    reason = i["reason"].to_numpy(dtype=object)
    rows = np.flatnonzero((reason == codes.MATCHES_NOTHING) | (reason == codes.BELOW_KNOWN_TRANCHES))
    if not len(rows):
        return pd.DataFrame()
    return _claim_disagreements(
        i,
        rows,
        code=reason[rows],
        source_ids=_singletons(i["source_id"].to_numpy(dtype=object)[rows]),
        related_fact_id=None,
        related_source_ids=[()] * len(rows),
    )


def _claim_disagreements(interpretations: pd.DataFrame, rows: np.ndarray, **varying) -> pd.DataFrame:
    """Disagreement records of single investment claims (interpretation rows); `varying` gives the rest."""
    i = interpretations
    columns = {
        "fact_id": i["fact_id"].to_numpy()[rows],
        "table": "investments",
        "claim_ids": _singletons(i["claim_id"].to_numpy(dtype=object)[rows]),
        "investor_id": i["investor_id"].to_numpy()[rows],
        "company_id": i["investee_id"].to_numpy()[rows],
        "amount_usd": i["amount_usd"].to_numpy(dtype=float)[rows],
        "expected_usd": i["known_tranche_sum_usd"].to_numpy(dtype=float)[rows],
        "opened": i["known_date"].to_numpy()[rows],
        **varying,
    }
    return pd.DataFrame({name: columns[name] for name in DISAGREEMENT_COLUMNS})


def _singletons(ids: np.ndarray) -> list[tuple]:
    """Each id as a one-element tuple (iterating a plain list: text arrays iterate slowly)."""
    return [(i,) for i in ids.tolist()]


def _grouped_claims(claims: pd.DataFrame, rows: np.ndarray, code: str) -> pd.DataFrame:
    """One record per fact of these claims, its claims in the order they became known (then by id)."""
    if not len(rows):
        return pd.DataFrame()
    facts, known = claims["fact_id"].cat.codes.to_numpy(), claims["known_date"].to_numpy()
    rows = rows[np.lexsort((arrays.sort_codes(claims["claim_id"].array.take(rows)), known[rows], facts[rows]))]
    starts = arrays.run_starts(facts[rows])
    group, first = np.cumsum(starts) - 1, rows[starts]
    n = len(first)
    return pd.DataFrame(
        {
            "code": code,
            "fact_id": claims["fact_id"].array.take(first),
            "table": claims["table"].to_numpy()[first],
            "claim_ids": arrays.tuples(group, claims["claim_id"].to_numpy(dtype=object)[rows], n, unique=False),
            "source_ids": arrays.tuples(group, claims["source_id"].to_numpy(dtype=object)[rows], n, unique=True),
            "investor_id": claims["counterparty_id"].to_numpy()[first],
            "company_id": claims["company_id"].to_numpy()[first],
            "amount_usd": np.nan,
            "expected_usd": np.nan,
            "related_fact_id": None,
            "related_source_ids": [()] * n,
            "opened": np.fmax.reduceat(known[rows], np.flatnonzero(starts)),  # NaT skipped
        }
    )


def _amount_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Facts whose claims give different amounts."""
    amounts = claims["amount_usd"].to_numpy(dtype=float)
    rows = np.flatnonzero(~np.isnan(amounts))
    facts = claims["fact_id"].cat.codes.to_numpy()[rows]
    # A count per fact code, plus a last one that stays 0: what the code -1 (no fact) reads.
    differ = arrays.distinct_counts(facts, amounts[rows], len(claims["fact_id"].cat.categories) + 1) > 1
    return _grouped_claims(claims, rows[differ[facts]], codes.AMOUNTS_DIFFER)


def _date_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Events that two or more sources place at different times (or that one dates and another does not)."""
    rows = arrays.rows(claims["kind"], "event")
    facts = claims["fact_id"].cat.codes.to_numpy()[rows]
    n = len(claims["fact_id"].cat.categories) + 1  # the last count, 0, for no fact (-1)
    sources = arrays.distinct_counts(facts, claims["source_id"].array.take(rows), n)
    # A date and its precision, compared as values; a missing date or precision is one value of its own.
    date, _ = pd.factorize(claims["date"].to_numpy()[rows].view(np.int64))
    precision, _ = pd.factorize(claims["date_precision"].array.take(rows), use_na_sentinel=False)
    dates = arrays.distinct_counts(facts, date.astype(np.int64) * (len(rows) + 1) + precision, n)
    differ = (sources > 1) & (dates > 1)
    return _grouped_claims(claims, rows[differ[facts]], codes.DATES_DIFFER)


def fact_coverage(claims: pd.DataFrame, disputed: set[str]) -> pd.DataFrame:
    """Each fact with the sources that report it: agree, disagree, or single source."""
    table, _ = pd.factorize(claims["table"].array, use_na_sentinel=False)
    facts = claims["fact_id"].cat
    group, heads = arrays.first_appearance(table * (len(facts.categories) + 1) + facts.codes.to_numpy() + 1)
    n = len(heads)
    sources = arrays.tuples(group, claims["source_id"].to_numpy(dtype=object), n, unique=True)
    fact = claims["fact_id"].array.take(heads)
    several = np.fromiter(map(len, sources), dtype=np.int64, count=n) > 1
    return pd.DataFrame(
        {
            "table": claims["table"].array.take(heads),
            "fact_id": fact,
            "claims": np.bincount(group, minlength=n),
            "source_ids": sources,
            "status": np.where(
                fact.isin(disputed), codes.STATUS_DISAGREE, np.where(several, codes.STATUS_AGREE, codes.STATUS_SINGLE)
            ),
        }
    )
