"""How each investment claim is read: against the tranches known at the claim's own date, never later news."""

from typing import NamedTuple

import numpy as np
import pandas as pd

from . import arrays, codes
from .tranches import pair_codes

# What a claim is read as (interpretations.describes).
DESCRIBES_TRANCHE, DESCRIBES_CUMULATIVE, DESCRIBES_UNEXPLAINED = "tranche", "cumulative", "unexplained"


class KnownTranches(NamedTuple):
    """Each claim with each tranche of its pair known at the claim's date, by claim, then tranche date."""

    row: np.ndarray  # the claim (a row of the investment claims)
    fact: np.ndarray  # the tranche's fact code
    usd: np.ndarray  # the tranche's amount
    own: np.ndarray  # per claim: whether the curator tied it to a tranche's fact known by its date


class Tally(NamedTuple):
    """Per claim, the tranches known at its date."""

    number: np.ndarray  # how many
    total: np.ndarray  # their sum
    latest: np.ndarray  # the latest one's fact code (-1: none)
    equal: np.ndarray  # the latest one of the claim's amount, as a fact id (NaN: none)


def interpret(investments: pd.DataFrame, tranches: pd.DataFrame) -> pd.DataFrame:
    """Every investment claim read against the tranches known at its own date, with a reason code."""
    inv = investments
    fact_dtype = arrays.category_dtype(inv["fact_id"])
    known = known_tranches(inv, tranches)
    tally = _tally(known, inv["amount_usd"].to_numpy(dtype=float), fact_dtype)
    own = np.where(known.own, inv["fact_id"].cat.codes.to_numpy(), -1)
    own_tranche = np.asarray(pd.Categorical.from_codes(own, dtype=fact_dtype))
    reason = _reasons(inv, tally, own_tranche)
    describes = np.select(
        [np.isin(reason, codes.READ_AS_TRANCHE), np.isin(reason, codes.READ_AS_CUMULATIVE)],
        [DESCRIBES_TRANCHE, DESCRIBES_CUMULATIVE],
        default=DESCRIBES_UNEXPLAINED,
    )
    nothing = np.array(None, dtype=object)
    tranche_fact = np.where(
        reason == codes.CURATED_TRANCHE,
        inv["fact_id"].to_numpy(),
        np.where(
            reason == codes.SAME_FACT_AS_TRANCHE,
            own_tranche,
            np.where(reason == codes.EQUALS_TRANCHE, tally.equal, nothing),
        ),
    )
    fact_ids = np.asarray(fact_dtype.categories, dtype=np.object_)[known.fact]
    out = inv.drop(columns=["table", "kind", "company_id", "counterparty_id"])
    out["describes"] = describes
    out["reason"] = reason
    out["tranche_fact_id"] = tranche_fact
    out["known_tranches"] = tally.number
    out["known_tranche_sum_usd"] = tally.total
    out["latest_tranche_fact_id"] = np.asarray(pd.Categorical.from_codes(tally.latest, dtype=fact_dtype))
    out["known_tranche_fact_ids"] = arrays.tuples(known.row, fact_ids, len(inv), unique=False).tolist()
    return out


def _tally(known: KnownTranches, amount: np.ndarray, fact_dtype: pd.CategoricalDtype) -> Tally:
    """How many tranches each claim knew, their sum, the latest, and the latest of the claim's amount."""
    row, fact, usd = known.row, known.fact, known.usd
    n = len(amount)
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
    return Tally(number=np.bincount(row, minlength=n), total=total, latest=latest, equal=equal_fact)


def _reasons(inv: pd.DataFrame, tally: Tally, own_tranche: np.ndarray) -> np.ndarray:
    """Each claim's reason code: its framing, else what its amount matches among the tranches known then."""
    amount = inv["amount_usd"].to_numpy(dtype=float)
    framing = inv["framing"].to_numpy(dtype=object)
    count, total = tally.number, tally.total
    unknown = framing == "unknown"
    equals_sum = (count >= 2) & np.isclose(amount, total, rtol=1e-9, atol=0)
    conditions = [
        framing == "tranche",
        (framing == "cumulative") & (count > 0) & (amount < total) & ~np.isclose(amount, total, rtol=1e-9, atol=0),
        framing == "cumulative",
        unknown & pd.notna(own_tranche),
        unknown & equals_sum,
        unknown & pd.notna(tally.equal),
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
    return np.select(conditions, reasons, default=codes.MATCHES_NOTHING)


def known_tranches(inv: pd.DataFrame, tranches: pd.DataFrame) -> KnownTranches:
    """Each claim with each tranche of its pair known at the claim's own date, by claim, then tranche date.

    Known: reported by a source published by the claim's date, and dated no later than the claim, as the
    sources published by then dated it (the earliest date they state, else when it was first reported): a
    later source that re-dates it is later news and changes nothing here.
    """
    facts = inv["fact_id"].cat.codes.to_numpy().astype(np.int64)
    known, dates = inv["known_date"].to_numpy(), inv["date"].to_numpy()
    tied = arrays.rows(inv["framing"], "tranche")
    pair = pair_codes(inv)
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
    fact_ids = pd.Categorical(tranches["fact_id"], dtype=arrays.category_dtype(inv["fact_id"]))
    amounts[fact_ids.codes] = tranches["amount_usd"].to_numpy()
    return KnownTranches(row=row[order], fact=fact[order], usd=amounts[fact[order]], own=own)
