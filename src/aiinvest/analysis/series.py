"""Step series carried over time: each investor's running total in a company, and each company's funding.

A level (a reported running total or funding total) is carried forward: at any date the figure is at least the
last level plus the increments (tranches) dated after it, a bound that never decreases.
"""

from typing import NamedTuple

import numpy as np
import pandas as pd

from . import arrays
from .reading import DESCRIBES_CUMULATIVE


class Carried(NamedTuple):
    """Running sums and carried-forward levels, per key, in date order (rows in `sort` order)."""

    sort: np.ndarray  # the events' positions, sorted by key, date, then increments before levels
    starts: np.ndarray  # where each key's rows start
    sums: np.ndarray  # the running sums, a column per running array
    carried: np.ndarray  # the largest (level + increments dated after it)
    from_level: np.ndarray  # whether each row's level is the one carried


def carry(key: np.ndarray, date: np.ndarray, order: np.ndarray, level: np.ndarray, *running: np.ndarray) -> Carried:
    """Running sums and the carried-forward levels, per key, in date order.

    key: integer codes that sort as the keys; order: 0 increments before 1 levels on one date; level: the
    levels (NaN for an increment); running: the increments, then any other amounts to sum along. carried = the
    largest (level + increments dated after it): a bound that never decreases.
    """
    sort = np.lexsort((order, date, key))
    starts = arrays.run_starts(key[sort])
    sums = arrays.group_sums(np.column_stack([values[sort] for values in running]), key[sort], cumulative=True)
    base = level[sort] - sums[:, 0]
    best = arrays.running_max(base, starts)
    from_level = np.isclose(base, best, rtol=1e-12, atol=0) & ~np.isnan(base)
    return Carried(sort=sort, starts=starts, sums=sums, carried=best + sums[:, 0], from_level=from_level)


def investor_series(tranches: pd.DataFrame, interpretations: pd.DataFrame) -> pd.DataFrame:
    """Each investor's running total in each company over time: one row per date it changes."""
    cumulative = arrays.rows(interpretations["describes"], DESCRIBES_CUMULATIVE)
    n = len(tranches)
    investor = arrays.concat([tranches["investor_id"].array, interpretations["investor_id"].array.take(cumulative)])
    investee = arrays.concat([tranches["investee_id"].array, interpretations["investee_id"].array.take(cumulative)])
    date = np.r_[tranches["effective_date"].to_numpy(), interpretations["effective_date"].to_numpy()[cumulative]]
    key = arrays.sort_codes(investor, investee)
    c = carry(
        key,
        date,
        np.r_[np.zeros(n, dtype=int), np.ones(len(cumulative), dtype=int)],
        np.r_[np.full(n, np.nan), interpretations["amount_usd"].to_numpy(dtype=float)[cumulative]],
        np.r_[tranches["amount_usd"].to_numpy(dtype=float), np.zeros(len(cumulative))],
    )
    sort = c.sort
    increments = c.sums[:, 0]
    reported = c.carried > increments + 1e-6 * np.abs(increments)
    qualifier = np.r_[
        np.full(n, "exact", dtype=object), interpretations["qualifier"].to_numpy(dtype=object)[cumulative]
    ]
    qualifier = np.where(reported, arrays.ffill(qualifier[sort], c.from_level, c.starts, np.nan), "exact")
    typed = pd.Series(qualifier).array  # typed as a frame types it
    last = np.flatnonzero(arrays.run_ends(key[sort], date[sort]))  # the last event of each day
    total = np.where(reported, c.carried, increments)[last]
    return pd.DataFrame(
        {
            "investor_id": arrays.kept(investor.take(sort[last])),
            "investee_id": arrays.kept(investee.take(sort[last])),
            "date": date[sort][last],
            "total_usd": total,
            "qualifier": arrays.kept(typed.take(last)),
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
    c = carry(
        key,
        date,
        np.r_[np.zeros(before, dtype=int), np.ones(len(reported), dtype=int)],
        np.r_[np.full(before, np.nan), claims["amount_usd"].to_numpy(dtype=float)[reported]],
        np.where(np.isnan(increment), 0.0, increment),
        np.where(np.isnan(named), 0.0, named),
    )
    sort = c.sort
    # The reported total each figure is carried from, as a row of claims (-1: none yet).
    origin = np.r_[np.full(before, -1), reported][sort]
    source = arrays.last_valid(c.from_level, c.starts)
    carried_from = np.where(source >= 0, origin[np.maximum(source, 0)], -1)
    qualifier = np.r_[np.full(before, np.nan, dtype=object), claims["qualifier"].to_numpy(dtype=object)[reported]]
    qualifier = arrays.ffill(qualifier[sort], c.from_level, c.starts, np.nan)
    last = np.flatnonzero(arrays.run_ends(key[sort], date[sort]))  # the last event of each day
    at = carried_from[last]
    reported_date = claims["effective_date"].to_numpy()
    return pd.DataFrame(
        {
            "company_id": arrays.kept(company.take(sort[last])),
            "date": date[sort][last],
            "named_usd": c.sums[last, 1],
            "carried_usd": c.carried[last],
            "reported_usd": np.where(at >= 0, claims["amount_usd"].to_numpy(dtype=float)[at], np.nan),
            "reported_qualifier": arrays.kept(qualifier[last]),
            "reported_claim_id": claims["claim_id"].array.take(at, allow_fill=True),
            "reported_source_id": claims["source_id"].array.take(at, allow_fill=True),
            "reported_date": np.where(at >= 0, reported_date[at], np.array("NaT", dtype=reported_date.dtype)),
        },
        copy=False,
    )
