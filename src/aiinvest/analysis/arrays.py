"""Vectorised building blocks of the reconciliation: positions, integer codes and runs of sorted keys.

Each works on numpy arrays as a pandas groupby, merge or fill would, without its per-call overhead
(about 1 ms, which dominated the reconciliation of a few dozen claims).
"""

import itertools
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

Column = Any  # what a frame's column is made from: a numpy or pandas array, a list, or one value for every row


class Groups(NamedTuple):
    """Each row's group, and each group's first row."""

    group: np.ndarray
    first: np.ndarray


class Pairs(NamedTuple):
    """Matching positions: left[k] pairs with right[k]."""

    left: np.ndarray
    right: np.ndarray


def rows(column: pd.Series, value: str) -> np.ndarray:
    """Positions of the rows holding this value."""
    return np.flatnonzero(column.to_numpy(dtype=object) == value)


def take(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The rows at these positions, under a fresh RangeIndex."""
    out = frame.take(rows)
    out.index = pd.RangeIndex(len(rows))
    return out


def category_dtype(column: pd.Series) -> pd.CategoricalDtype:
    """A categorical column's dtype: its categories, which its codes number."""
    dtype = column.dtype
    if not isinstance(dtype, pd.CategoricalDtype):
        raise TypeError(f"column {column.name!r} is not categorical")
    return dtype


def na_value(column: pd.Series) -> object:
    """What a column of a pandas extension type holds where a value is missing (pd.NA, NaN...)."""
    dtype = column.dtype
    if not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        raise TypeError(f"column {column.name!r} is not of a pandas extension type")
    return dtype.na_value


def kept(values):
    """Values to put in a frame as typed: an object array stays object (a frame would read its text as str)."""
    return pd.Series(np.asarray(values), dtype=object, copy=False) if values.dtype == object else values


def concat(arrays: list):
    """Arrays end to end, typed as pd.concat types them (directly when they share one dtype)."""
    dtypes = {a.dtype for a in arrays}
    if len(dtypes) == 1 and all(isinstance(a, np.ndarray) for a in arrays):
        return np.concatenate(arrays)
    if len(dtypes) == 1:
        return pd.array(np.concatenate([np.asarray(a, dtype=object) for a in arrays]), dtype=dtypes.pop())
    joined = pd.concat([pd.Series(a, copy=False) for a in arrays], ignore_index=True)
    return joined.array if isinstance(joined.dtype, pd.api.extensions.ExtensionDtype) else joined.to_numpy()


def sort_codes(*columns) -> np.ndarray:
    """Integer codes that sort as the columns' values do, column after column (missing values last)."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes_, uniques = pd.factorize(column, sort=True)
        combined = combined * (len(uniques) + 1) + np.where(codes_ < 0, len(uniques), codes_)
    return combined


def first_appearance(keys: np.ndarray) -> Groups:
    """Each row's group, numbered by first appearance as groupby(sort=False) numbers them; each group's first row."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return Groups(group=rank[inverse.reshape(-1)], first=first[order])


def run_starts(*keys: np.ndarray) -> np.ndarray:
    """Rows sorted by the keys: True where a run of equal keys begins."""
    same = np.ones(len(keys[0]), dtype=bool)
    same[:1] = False
    for key in keys:
        same[1:] &= key[1:] == key[:-1]
    return ~same


def run_ends(*keys: np.ndarray) -> np.ndarray:
    """Rows sorted by the keys: True where a run of equal keys ends."""
    ends = np.ones(len(keys[0]), dtype=bool)
    ends[:-1] = run_starts(*keys)[1:]
    return ends


def join(left: np.ndarray, right: np.ndarray) -> Pairs:
    """Every (i, j) with left[i] == right[j], by i then j: the row order of an inner merge."""
    order = np.argsort(right, kind="stable")
    lo = np.searchsorted(right[order], left, side="left")
    counts = np.searchsorted(right[order], left, side="right") - lo
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return Pairs(left=np.repeat(np.arange(len(left)), counts), right=order[np.repeat(lo, counts) + offsets])


def positions_by(values) -> dict:
    """Per distinct value (missing ones left out), the positions of its rows in order: groupby(...).indices."""
    codes_, uniques = pd.factorize(values)
    order = np.argsort(codes_, kind="stable")
    bounds = np.searchsorted(codes_[order], np.arange(len(uniques) + 1)).tolist()
    return {value: order[a:b] for value, (a, b) in zip(uniques, itertools.pairwise(bounds), strict=True)}


def last_of_each(groups: np.ndarray) -> np.ndarray:
    """Positions of each group's last row, in row order, group -1 (missing) left out: groupby(...).tail(1)."""
    _, from_end = np.unique(groups[::-1], return_index=True)
    last = np.sort(len(groups) - 1 - from_end)
    return last[groups[last] >= 0]


def tuples(groups: np.ndarray, values: np.ndarray, n: int, unique: bool) -> np.ndarray:
    """Per group 0..n-1, its values as a tuple (empty when none): in row order, or distinct and sorted."""
    codes_, uniques = pd.factorize(values, sort=unique)  # sorted values only where they are sorted
    groups = groups.astype(np.int64)
    if unique:
        combined = np.unique(groups * (len(uniques) + 1) + codes_)
        groups, codes_ = combined // (len(uniques) + 1), combined % (len(uniques) + 1)
    else:
        order = np.argsort(groups, kind="stable")
        groups, codes_ = groups[order], codes_[order]
    items = np.asarray(uniques, dtype=object)[codes_].tolist()  # list slices make tuples fastest
    bounds = np.searchsorted(groups, np.arange(n + 1)).tolist()
    return np.fromiter((tuple(items[a:b]) for a, b in itertools.pairwise(bounds)), dtype=object, count=n)


def distinct_counts(groups: np.ndarray, values, n: int) -> np.ndarray:
    """Per group 0..n-1, how many distinct values it holds, missing values not counted (groupby nunique)."""
    codes_, uniques = pd.factorize(values)
    keep = (groups >= 0) & (codes_ >= 0)
    pairs = np.unique(groups[keep].astype(np.int64) * (len(uniques) + 1) + codes_[keep])
    return np.bincount(pairs // (len(uniques) + 1), minlength=n)


def group_reduce(ufunc: np.ufunc, values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """ufunc reduced over each group 0..n-1 (none empty)."""
    order = np.argsort(groups, kind="stable")
    starts = np.flatnonzero(run_starts(groups[order]))
    return ufunc.reduceat(values[order], starts) if len(starts) else values[:0]


def group_sums(values: np.ndarray, groups: np.ndarray, cumulative: bool) -> np.ndarray:
    """Sums or running sums per group, a column per column of values, exactly as pandas adds them."""
    grouped = pd.DataFrame(values, copy=False).groupby(groups, sort=False)
    return (grouped.cumsum() if cumulative else grouped.sum()).to_numpy()


def last_valid(valid: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per row, the last valid row at or before it in its run (runs begin at `starts`), else -1."""
    position = np.arange(len(valid))
    if not len(valid):
        return position
    last = np.maximum.accumulate(np.where(valid, position, -1))
    return np.where(last >= np.maximum.accumulate(np.where(starts, position, 0)), last, -1)


def ffill(values: np.ndarray, keep: np.ndarray, starts: np.ndarray, na) -> np.ndarray:
    """values.where(keep), forward filled within runs, as pandas does it (a kept missing value stays as it is)."""
    source = last_valid(keep & ~pd.isna(values), starts)
    masked = np.where(keep, values, np.array(na, dtype=values.dtype))
    return np.where(source >= 0, values[np.maximum(source, 0)], masked)


def running_max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per run, the largest value so far, NaN skipped (groupby cummax, then ffill); ties keep the earliest."""
    n = len(values)
    valid = ~np.isnan(values)
    # Rank the values (among equal ones the earliest ranks highest), then offset each run above the last.
    order = np.lexsort((-np.arange(n), np.where(valid, values, -np.inf)))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    offset = (np.cumsum(starts) - 1) * (n + 1)
    best = np.maximum.accumulate(np.where(valid, offset + rank, offset)) - offset if n else rank
    return np.where(best > 0, values[order[np.maximum(best - 1, 0)]], np.nan)


def fill_dates(dates: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Each date, else the fallback (Series.fillna)."""
    if dates.dtype == fallback.dtype:
        return np.where(np.isnat(dates), fallback, dates)
    return pd.Series(dates).fillna(pd.Series(fallback)).to_numpy()
