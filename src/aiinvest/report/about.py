"""What the report says about itself: its title, dateline, the note on its sources and how to cite it.

Every word is made from the data (the sources table, the subject's role) and the build (its date and version).
"""

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from .formatting import format_day, in_words, plural
from .text import View

TITLE_PREFIX = "The AI investment race"
UNVERSIONED = "unversioned (interactive run)"


@dataclass(frozen=True)
class Stamp:
    """When and from what a report was built: the data's cut-off, the build date and the short version."""

    as_of: str  # in words: '27 March 2024'
    built: str  # in words
    version: str  # the input fingerprint's first hex digits, or UNVERSIONED

    def dateline(self) -> str:
        """'Data as of 27 March 2024 · Built 2 December 2026 · Version 0123456789ab'."""
        return f"Data as of {self.as_of} · Built {self.built} · Version {self.version}"


def build_date(environ=os.environ) -> date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def stamp(view: View, version: str, built: date) -> Stamp:
    """The report's stamp for its dateline, footer and citation."""
    return Stamp(view.as_of, format_day(pd.Timestamp(built)), version.strip() or UNVERSIONED)


def title(view: View, given: str = "") -> str:
    """The given title, else one made from the subject and its role: '... Anthropic's funding'."""
    if given.strip():
        return given.strip()
    return f"{TITLE_PREFIX}: {subject_title(view)}"


def subject_title(view: View) -> str:
    """The subject and its role(s): "Anthropic's funding", "X's funding and investments", "what the sources say..."."""
    if view.is_investee and view.is_investor:
        return f"{view.subject}'s funding and investments"
    if view.is_investee:
        return f"{view.subject}'s funding"
    if view.is_investor:
        return f"{view.subject}'s investments in AI"
    return f"what the sources say about {view.subject}"


def _count(n: int) -> str:
    """A small count in words ('two'), a large one in digits."""
    return "no" if n == 0 else in_words(n)


def _dated(sources: pd.DataFrame) -> str:
    """How the sources are dated: 'one dated in its text and one with a date inferred from its content'."""
    dated = sources["published_date"].notna()
    inferred = dated & sources["published_date_inferred"].fillna(False).astype(bool)
    kinds = (
        (int((dated & ~inferred).sum()), "dated in its text", "dated in their text"),
        (int(inferred.sum()), "with a date inferred from its content", "with dates inferred from their content"),
        (int((~dated).sum()), "undated", "undated"),
    )
    found = [(k, one, many) for k, one, many in kinds if k]
    if len(found) == 1:  # every source is dated the same way
        k, one, many = found[0]
        return one if k == 1 else ("both " if k == 2 else f"all {_count(k)} ") + many
    parts = [f"{_count(k)} {one if k == 1 else many}" for k, one, many in found]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _who(k: int, n: int) -> str:
    """Who of n sources, with the verb 'name': 'both name', 'one of the three names', 'neither names'."""
    if n == 1:
        return "it names" if k else "it does not name"
    if k == n:
        return "both name" if n == 2 else f"all {_count(n)} name"
    if k == 0:
        return "neither names" if n == 2 else "none names"
    return f"one of the {_count(n)} names" if k == 1 else f"{_count(k)} of the {_count(n)} name"


def _named(sources: pd.DataFrame) -> str:
    """Whether the sources name a publisher or an address (as sources.csv records them); its authors, if recorded."""
    n = len(sources)
    publishers = int(sources["publisher"].notna().sum())
    addresses = int(sources["url"].notna().sum())
    if publishers == addresses == 0:
        said = f"{_who(0, n)} a publisher or an address"
    elif publishers == addresses == n:
        said = f"{_who(n, n)} a publisher and an address"
    else:
        said = f"{_who(publishers, n)} a publisher and {_who(addresses, n)} an address"
    if "author" in sources:
        said += f"; {_who(int(sources['author'].notna().sum()), n)} an author"
    else:
        said += "; the data records no authors"
    return said[0].upper() + said[1:] + "."


def sources_note(view: View) -> str:
    """About the sources: how many, how they are dated, what they name, and that later articles are not used."""
    s = view.rec.sources
    return (
        f"This report rests on {plural(len(s), 'news article')} published on or before {view.as_of}, "
        f"{_dated(s)}. {_named(s)} Articles published after {view.as_of} are not used; the evidence behind "
        "every figure is in the appendix."
    )


def how_to_cite(report_title: str, view: View, mark: Stamp) -> str:
    """'Title. Subject: Anthropic. Data as of 27 March 2024. Version 0123456789ab. Built 2 December 2026.'"""
    return (
        f"{report_title.rstrip('.')}. Subject: {view.subject}. Data as of {mark.as_of}. "
        f"Version {mark.version}. Built {mark.built}. Generated by aiinvest from the sources listed in the appendix."
    )
