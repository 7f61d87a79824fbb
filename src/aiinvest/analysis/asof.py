"""What was known on a date: the claims of the sources published on or before it."""

import numpy as np
import pandas as pd

from ..data.registry import SOURCE_DATE, SOURCES, Tables


def tables_as_of(tables: Tables, as_of: pd.Timestamp) -> Tables:
    """The tables as they stood on the as-of date: only sources published on or before it, and their claims.

    A source published later, and every claim it supports, is left out, so that adding an
    article never changes a report as of an earlier date.
    """
    sources = _rows(tables[SOURCES], tables[SOURCES][SOURCE_DATE] <= as_of)
    known = set(sources["source_id"])
    frames = {SOURCES: sources}
    for claim in tables.claims:
        frame = tables[claim.name]
        frames[claim.name] = _rows(frame, frame["source_id"].isin(known))
        if claim.parties:
            parties = tables[claim.parties]
            frames[claim.parties] = _rows(parties, parties[claim.id].isin(frames[claim.name][claim.id]))
    return tables.replace(**frames)


def _rows(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """The rows to keep, under a fresh RangeIndex; the frame itself (shared, never edited) when it keeps all."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1 and keep.all():
        return frame
    return frame[keep].reset_index(drop=True)


def publication_dates(tables: Tables, source_ids) -> np.ndarray:
    """Publication date of each of these sources (NaT for one not in the table), by source_id."""
    sources = tables[SOURCES]
    dates = sources[SOURCE_DATE].to_numpy()
    position = pd.Index(sources["source_id"]).get_indexer(source_ids)
    return np.r_[dates, np.array(["NaT"], dtype=dates.dtype)][position]
