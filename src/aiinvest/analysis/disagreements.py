"""Where the sources disagree: structured records, each with a reason code (see `codes`)."""

from typing import NamedTuple

import numpy as np
import pandas as pd

from . import arrays, codes
from .arrays import Column
from .reading import DESCRIBES_TRANCHE

SINGLE_TRANCHE_WORDS = ("initial", "another", "latest")


class DisagreementColumns(NamedTuple):
    """The disagreements table's columns, in order."""

    code: Column  # why they disagree
    fact_id: Column
    table: Column  # the claim table of the claims
    claim_ids: Column  # tuple: the claims that disagree
    source_ids: Column  # tuple: their sources, and those of the related fact
    investor_id: Column
    company_id: Column
    amount_usd: Column  # the claim's amount (NaN for a fact's claims)
    expected_usd: Column  # the sum of the tranches known at the claim's date
    related_fact_id: Column  # the tranche a claim's wording points at
    related_source_ids: Column  # tuple: that tranche's sources, as known when the claim was published
    opened: Column  # when the disagreement became visible


DISAGREEMENT_COLUMNS = list(DisagreementColumns._fields)


class Related(NamedTuple):
    """What a claim's disagreement points at besides the claim itself."""

    source_ids: Column  # every source behind the record: the claim's and the related fact's
    fact_id: Column
    fact_source_ids: Column


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
    row, claim = arrays.join(facts.categories.get_indexer(pd.Index(latest)), facts.codes.to_numpy()[tied])
    claim = tied[claim]
    published = known[claim] <= known[rows[row]]
    related = arrays.tuples(row[published], sources[claim[published]], len(rows), unique=True)
    every = [tuple(sorted({s, *r})) for s, r in zip(sources[rows].tolist(), related.tolist(), strict=True)]
    code = np.where(says_one[rows], codes.WORDING_SAYS_TRANCHE, codes.WORDING_SAYS_TOTAL)
    return _claim_disagreements(i, rows, code, Related(source_ids=every, fact_id=latest, fact_source_ids=related))


def _arithmetic_disagreements(interpretations: pd.DataFrame) -> pd.DataFrame:
    """Amounts that are no known tranche and not their sum, and running totals below the tranches."""
    i = interpretations
    reason = i["reason"].to_numpy(dtype=object)
    rows = np.flatnonzero((reason == codes.MATCHES_NOTHING) | (reason == codes.BELOW_KNOWN_TRANCHES))
    if not len(rows):
        return pd.DataFrame()
    own = _singletons(i["source_id"].to_numpy(dtype=object)[rows])
    return _claim_disagreements(
        i, rows, reason[rows], Related(source_ids=own, fact_id=None, fact_source_ids=[()] * len(rows))
    )


def _claim_disagreements(
    interpretations: pd.DataFrame, rows: np.ndarray, code: Column, related: Related
) -> pd.DataFrame:
    """Disagreement records of single investment claims (interpretation rows)."""
    i = interpretations
    columns = DisagreementColumns(
        code=code,
        fact_id=i["fact_id"].to_numpy()[rows],
        table="investments",
        claim_ids=_singletons(i["claim_id"].to_numpy(dtype=object)[rows]),
        source_ids=related.source_ids,
        investor_id=i["investor_id"].to_numpy()[rows],
        company_id=i["investee_id"].to_numpy()[rows],
        amount_usd=i["amount_usd"].to_numpy(dtype=float)[rows],
        expected_usd=i["known_tranche_sum_usd"].to_numpy(dtype=float)[rows],
        related_fact_id=related.fact_id,
        related_source_ids=related.fact_source_ids,
        opened=i["known_date"].to_numpy()[rows],
    )
    return pd.DataFrame(columns._asdict())


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
    columns = DisagreementColumns(
        code=code,
        fact_id=claims["fact_id"].array.take(first),
        table=claims["table"].to_numpy()[first],
        claim_ids=arrays.tuples(group, claims["claim_id"].to_numpy(dtype=object)[rows], n, unique=False),
        source_ids=arrays.tuples(group, claims["source_id"].to_numpy(dtype=object)[rows], n, unique=True),
        investor_id=claims["counterparty_id"].to_numpy()[first],
        company_id=claims["company_id"].to_numpy()[first],
        amount_usd=np.nan,
        expected_usd=np.nan,
        related_fact_id=None,
        related_source_ids=[()] * n,
        opened=np.fmax.reduceat(known[rows], np.flatnonzero(starts)),  # NaT skipped
    )
    return pd.DataFrame(columns._asdict())


def _amount_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Facts whose claims give different amounts."""
    amounts = claims["amount_usd"].to_numpy(dtype=float)
    rows = np.flatnonzero(~np.isnan(amounts))
    facts = claims["fact_id"].cat.codes.to_numpy()[rows]
    # A count per fact code, plus a last one that stays 0: what the code -1 (no fact) reads.
    differ = arrays.distinct_counts(facts, amounts[rows], len(claims["fact_id"].cat.categories) + 1) > 1
    return _grouped_claims(claims, rows[differ[facts]], codes.AMOUNTS_DIFFER)


def _date_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Events that two or more sources date differently (a source giving no date does not count)."""
    return _grouped_claims(claims, _event_rows(claims, differ=True), codes.DATES_DIFFER)


def find_dated_once(claims: pd.DataFrame) -> pd.DataFrame:
    """Events that one source dates and another leaves undated: not a disagreement, listed apart."""
    found = _grouped_claims(claims, _event_rows(claims, differ=False), codes.DATED_BY_ONE_SOURCE)
    return found if len(found) else pd.DataFrame(columns=DISAGREEMENT_COLUMNS)


def _event_rows(claims: pd.DataFrame, differ: bool) -> np.ndarray:
    """Event claims of facts with several sources whose dates contradict each other (differ), or whose dates agree
    and another source gives none. Dates are periods at their precision: March 2024 and 27 March 2024 agree."""
    rows = arrays.rows(claims["kind"], "event")
    facts = claims["fact_id"].cat.codes.to_numpy()[rows]
    n = len(claims["fact_id"].cat.categories) + 1  # the last slot, never wanted, for no fact (-1)
    slot = np.where(facts < 0, n - 1, facts)
    sources = arrays.distinct_counts(facts, claims["source_id"].array.take(rows), n)
    start, end = _periods(
        claims["date"].to_numpy()[rows], claims["date_precision"].to_numpy(dtype=object, na_value="")[rows]
    )
    dated = ~np.isnat(start)
    # Periods that all overlap pairwise share a point (on a line): they contradict when the latest start is at or
    # after the earliest end.
    latest_start = np.full(n, np.iinfo(np.int64).min)
    earliest_end = np.full(n, np.iinfo(np.int64).max)
    np.maximum.at(latest_start, slot[dated], start[dated].astype(np.int64))
    np.minimum.at(earliest_end, slot[dated], end[dated].astype(np.int64))
    contradict = latest_start >= earliest_end
    undated = np.bincount(slot[~dated], minlength=n) > 0
    some_dated = np.bincount(slot[dated], minlength=n) > 0
    wanted = (sources > 1) & (contradict if differ else (~contradict & undated & some_dated))
    wanted[n - 1] = False
    return rows[wanted[slot]]


def _periods(dates: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each date as the period its precision covers, [start, end) in days (NaT where there is no date)."""
    start = dates.astype("datetime64[D]")
    month = (start.astype("datetime64[M]") + 1).astype("datetime64[D]")
    year = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]")
    end = np.where(precision == "month", month, np.where(precision == "year", year, start + 1))
    return start, end
