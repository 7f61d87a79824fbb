"""The registry of claim tables, read from the data package descriptor (declared once, there).

Each claim resource in `datapackage.json` carries a `claim` object naming its columns by
role: `id`, `kind`, and where the table has them `company`, `counterparty`, `amount`,
`qualifier`, `date` (its precision and inferred flag are `<date>_precision` and
`<date>_inferred`) and `parties` (a resource listing each claim's companies). Everything
that treats claims generically (validation rules, the as-of filter, the long claims table,
fact coverage, the facts table) reads this registry instead of naming columns by hand.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: the registry is read before pandas is needed
    import pandas as pd

SOURCES = "sources"
SOURCE_DATE = "published_date"  # when a claim became known: its source's publication date


@dataclass(frozen=True)
class ClaimTable:
    """One table of claims and the role of each of its columns."""

    name: str
    kind: str
    id: str
    date: str
    company: str | None = None
    counterparty: str | None = None
    amount: str | None = None
    qualifier: str | None = None
    parties: str | None = None

    @property
    def precision(self) -> str:
        """The column holding the date's precision (day, month, year)."""
        return f"{self.date}_precision"

    @property
    def inferred(self) -> str:
        """The column saying the date was inferred rather than stated."""
        return f"{self.date}_inferred"


def claim_tables(descriptor: dict) -> tuple[ClaimTable, ...]:
    """The claim tables a descriptor declares, in its resource order."""
    return tuple(ClaimTable(name=res["name"], **res["claim"]) for res in descriptor["resources"] if "claim" in res)


def date_groups(descriptor: dict) -> dict[str, tuple[str, str, str]]:
    """(date, precision, inferred) column names of every table with dated rows, sources included."""
    groups = {SOURCES: (SOURCE_DATE, f"{SOURCE_DATE}_precision", f"{SOURCE_DATE}_inferred")}
    groups.update({t.name: (t.date, t.precision, t.inferred) for t in claim_tables(descriptor)})
    return groups


class Tables(dict[str, "pd.DataFrame"]):
    """The curated tables by name (pandas DataFrames), with the registry of their claim tables."""

    def __init__(self, frames: dict, claims: tuple[ClaimTable, ...]):
        super().__init__(frames)
        self.claims = claims

    def replace(self, **frames) -> "Tables":
        """A copy with some tables replaced (the frames themselves are shared, never edited)."""
        return Tables({**self, **frames}, self.claims)

    def claim_table(self, name: str) -> ClaimTable:
        """The registry entry of one claim table."""
        return next(t for t in self.claims if t.name == name)


# The tables the analysis and the report read by name: a descriptor without one of them is refused.
REQUIRED_RESOURCES = (
    SOURCES,
    "companies",
    "investments",
    "valuations",
    "funding_totals",
    "statements",
    "events",
    "event_parties",
)
