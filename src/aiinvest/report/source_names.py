"""Readers' names for sources, made from their data: 'Reuters, 27 March 2024', 'Article of 27 March 2024',
'Undated article (March 2024, inferred)'. Source ids (art-000) stay in the appendix; these names go in the body.

Two sources that would share a name are told apart by a letter in publication order ('... (a)', '... (b)').
"""

from string import ascii_lowercase

import pandas as pd

from .formatting import format_date
from .rows import rows


def when(row) -> str:
    """A source's publication date at its precision, without the '(inferred)' mark."""
    return format_date(row.published_date, row.published_date_precision)


def base_name(row) -> str:
    """One source's name before de-duplication."""
    dated = not pd.isna(row.published_date)
    inferred = bool(row.published_date_inferred) if dated else False
    publisher = row.publisher if isinstance(row.publisher, str) and row.publisher.strip() else None
    if publisher:
        if not dated:
            return f"{publisher}, undated"
        return f"{publisher}, {when(row)}" + (" (date inferred)" if inferred else "")
    if not dated:
        return "Undated article"
    if inferred:
        return f"Undated article ({when(row)}, inferred)"
    return f"Article of {when(row)}"


def _letter(i: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa': enough letters for any number of namesakes."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, len(ascii_lowercase))
        out = ascii_lowercase[r] + out
    return out


def source_names(sources: pd.DataFrame) -> dict[str, str]:
    """Each source's reader name by source id; namesakes get '(a)', '(b)' in (date, id) order."""
    ordered = sources.sort_values(["published_date", "source_id"], na_position="last", kind="stable")
    names = {str(r.source_id): base_name(r) for r in rows(ordered)}
    seen: dict[str, list[str]] = {}
    for source_id, name in names.items():
        seen.setdefault(name, []).append(source_id)
    for name, ids in seen.items():
        if len(ids) > 1:
            for i, source_id in enumerate(ids):
                names[source_id] = f"{name} ({_letter(i)})"
    return names
