"""Walking the reconciliation's frames row by row, for the words, tables and charts."""

from collections.abc import Iterator
from typing import Any

import pandas as pd


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Each row as a named tuple, one attribute per column, its values as the frame holds them.

    Typed Any: the columns are declared with the frames (`aiinvest.analysis`), and pandas' types give
    a row's cells only as the union of every scalar pandas knows.
    """
    return frame.itertuples()
