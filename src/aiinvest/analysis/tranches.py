"""Tranches: a tranche is one fact (investment claims sharing a fact_id with framing tranche), counted once."""

import numpy as np
import pandas as pd

from . import arrays


def pair_codes(inv: pd.DataFrame) -> np.ndarray:
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
    earliest = _earliest_dated(tied, group, dates, n)
    has_date = earliest >= 0
    precision = inv["date_precision"]
    none = np.array([arrays.na_value(precision)], dtype=object)
    columns = {
        "fact_id": pd.Categorical.from_codes(facts[first], dtype=arrays.category_dtype(inv["fact_id"])),
        "investor_id": inv["investor_id"].to_numpy()[first],
        "investee_id": inv["investee_id"].to_numpy()[first],
        "amount_usd": inv["amount_usd"].to_numpy(dtype=float)[first],
        "amounts_agree": arrays.distinct_counts(group, inv["amount_usd"].to_numpy()[tied], n) == 1,
        "date": np.where(has_date, dates[earliest], np.array("NaT", dtype=dates.dtype)),
        "date_precision": np.append(precision.to_numpy(), none)[earliest],
        "date_inferred": np.where(has_date, inv["date_inferred"].to_numpy(dtype=bool)[earliest], False),
        "known_date": known[first],
        "claim_ids": arrays.tuples(group, inv["claim_id"].to_numpy(dtype=object)[tied], n, unique=False),
        "source_ids": arrays.tuples(group, inv["source_id"].to_numpy(dtype=object)[tied], n, unique=True),
    }
    columns["effective_date"] = arrays.fill_dates(columns["date"], columns["known_date"])
    order = np.argsort(columns["effective_date"], kind="stable")
    columns = {name: values[order] for name, values in columns.items()}
    by_pair = pd.Series(columns["amount_usd"], copy=False).groupby(pair_codes(inv)[first[order]], sort=False)
    columns["number"] = by_pair.cumcount().to_numpy() + 1
    columns["cumulative_usd"] = by_pair.cumsum().to_numpy()
    return pd.DataFrame(columns, copy=False)


def _earliest_dated(tied: np.ndarray, group: np.ndarray, dates: np.ndarray, n: int) -> np.ndarray:
    """Each fact's earliest stated date, as a claim row (ties: the earliest known claim), -1 where none states one."""
    dated = np.flatnonzero(~np.isnat(dates[tied]))
    dated = dated[np.argsort(dates[tied[dated]], kind="stable")]
    found, at = np.unique(group[dated], return_index=True)
    earliest = np.full(n, -1)
    earliest[found] = tied[dated[at]]
    return earliest
