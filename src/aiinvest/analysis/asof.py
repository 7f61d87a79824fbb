"""What was known on a date: the claims of the sources published on or before it."""

import pandas as pd

from ..data.registry import SOURCE_DATE, SOURCES, Tables


def tables_as_of(tables: Tables, as_of: pd.Timestamp) -> Tables:
    """The tables as they stood on the as-of date: only sources published on or before it, and their claims.

    A source published later, and every claim it supports, is left out, so that adding an
    article never changes a report as of an earlier date.
    """
    sources = tables[SOURCES][tables[SOURCES][SOURCE_DATE] <= as_of].reset_index(drop=True)
    known = set(sources["source_id"])
    frames = {SOURCES: sources}
    for claim in tables.claims:
        frame = tables[claim.name]
        frames[claim.name] = frame[frame["source_id"].isin(known)].reset_index(drop=True)
        if claim.parties:
            parties = tables[claim.parties]
            kept = parties[claim.id].isin(frames[claim.name][claim.id])
            frames[claim.parties] = parties[kept].reset_index(drop=True)
    return tables.replace(**frames)


def known_dates(tables: Tables) -> pd.Series:
    """Publication date of each source, by source_id: when its claims became known."""
    return tables[SOURCES].set_index("source_id")[SOURCE_DATE]
