"""The result's query indexes: a frame's rows by key as positions, their dates as a numpy array.

Speed: the queries (funding_at above all, asked for every company at many dates) read indexes built once
per result. A pandas filter, groupby or sort on these frames costs about a millisecond each however few the
rows; a lookup here, microseconds.
"""

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from . import arrays


def moment(at) -> np.datetime64:
    """A date as numpy compares it with a date column: exactly, whatever the units."""
    return pd.Timestamp(at).to_datetime64()


class Rows:
    """A frame's rows (all, or those at `rows`) by one key column, dated: a key's rows up to a date, in row order.

    `columns` are kept as object arrays: the values iterating the frame's column yields (str, tuple, Timestamp,
    float, NA), without iterating it (text arrays iterate slowly).
    """

    def __init__(self, frame: pd.DataFrame, key: str, date: str, columns: tuple[str, ...] = (), rows=None):
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

    def items(self, key: str, at: np.datetime64, *names: str) -> Iterator[tuple]:
        """The key's rows dated by `at`: the kept columns' values, row by row."""
        rows = self(key, at)
        return zip(*(self.column(name, rows) for name in names), strict=True)

    def row(self, position: int) -> dict[str, Any]:
        """One row's kept columns by name."""
        return {name: values[position] for name, values in self.columns.items()}


class Totals(Rows):
    """investor_totals by investee and dated, with each row's pair (-1 when an id is missing: groupby drops it)
    and its investor as a code that sorts as the ids do (pandas' order)."""

    LISTED = ("investor_id", "total_usd", "qualifier", "basis")  # what funding_at lists of each investor

    def __init__(self, totals: pd.DataFrame):
        super().__init__(totals, "investee_id", "date", ("investor_id",))
        self.frame = totals
        self.listed = {name: totals[name].values for name in self.LISTED}
        self.total = totals["total_usd"].to_numpy()
        self.investor, _ = pd.factorize(totals["investor_id"], sort=True)
        investee, investees = pd.factorize(totals["investee_id"])
        pair = self.investor.astype(np.int64) * (len(investees) + 1) + investee
        self.pair = np.where((self.investor < 0) | (investee < 0), -1, pair)

    def listing(self, rows: np.ndarray) -> np.ndarray:
        """Rows of distinct investors in the order funding_at lists them: largest total first (NaN last), then by id."""
        return rows[np.lexsort((self.investor[rows], -self.total[rows]))]
