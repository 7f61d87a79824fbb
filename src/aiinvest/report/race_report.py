"""The race overview as a notebook shows it: the subject report's layout (header, changes, disagreements,
"what the sources cannot tell", appendix, citation) with the race's own sections in place of the charts."""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import display

from ..analysis.race import Race
from ..analysis.race import race as race_at
from ..analysis.reconcile import reconcile
from ..config import DATA_DIR
from ..data.load import load_tables
from ..data.provenance import sha256_file
from ..data.schema import descriptor_path
from . import about, race
from .document import CANNOT_TELL_NOTHING, Report, cited, render
from .formatting import plural
from .key_figures import Figure
from .params import resolve

# Each section: anchor, heading, a sentence on method (no data), and the rows it shows.
SECTIONS = {
    "investors": (
        "Investors side by side",
        "Every investor the sources name, with each company it backs: the amount read exactly as in a report on "
        "either company (distinct tranches counted once; a running total carried with the tranches after it), or "
        "'amount not reported' where a source reports the investment without an amount.",
        race.investor_rows,
    ),
    "developers": (
        "AI developers side by side",
        "Each company that raises money or is valued: its funding raised on the report date (a lower bound stays "
        "a lower bound), its latest valuation with its date and qualifier, and its named investors.",
        race.developer_rows,
    ),
    "ties": (
        "Other ties",
        "Cloud and consulting partnerships, backing without a figure and rumoured collaborations, each once, with "
        "every source that reports it.",
        race.tie_rows,
    ),
    "timeline": (
        "The race over time",
        "Tranches, valuations and ties across companies, by the date they describe; undated ones are in the tables "
        "above.",
        race.timeline_rows,
    ),
}


@dataclass
class RaceReport(Report):
    """The race overview: every investor and every AI developer, as of the report date."""

    race: Race = field(default=None)  # type: ignore[assignment]  # set by prepare_race

    @cached_property
    def title(self) -> str:
        """The title parameter, else the overview's own."""
        return self.params.title or race.RACE_TITLE

    @cached_property
    def key_figures(self) -> list[Figure]:
        """Every pair's and every developer's figures, made as the subject reports make them."""
        return race.race_figures(self.view, self.race)

    def summary(self) -> list[str]:
        """The race's finding first."""
        return race.summary(self.view, self.race)

    def figures_document(self) -> dict:
        """figures.json of the overview."""
        return race.race_document(self.view, self.key_figures)

    def document_metadata(self) -> dict:
        """The PDF's metadata: the subject report's, about the whole race."""
        found = super().document_metadata()
        n, verb = len(self.rec.sources), "says" if len(self.rec.sources) == 1 else "say"
        found["keywords"] = [k for k in found["keywords"] if k != self.view.subject]  # the companies, not "the race"
        found["subject"] = (
            f"What {plural(n, 'news article')} published by {self.view.as_of} {verb} about investment in AI developers"
        )
        return found

    def figures(self) -> None:
        """The race's sections, each a heading, a sentence on method and a table with sources by readers' names."""
        for part, (heading, intro, rows_of) in SECTIONS.items():
            found = rows_of(self.view, self.race)
            display(self._html(render("section.html.j2", anchor=f"section-{part}", heading=heading, intro=intro)))
            if found.empty:
                display(self._html(render("paragraphs.html.j2", paragraphs=[f"None known as of {self.view.as_of}."])))
                continue
            display(self._table(self._cited(found), f"race-{part}", None))
            if part in self.charts:
                self.chart(part)

    def _cited(self, found: pd.DataFrame) -> pd.DataFrame:
        """The rows with their sources as links (readers' names; ids only in tooltips)."""
        sources = [cited(self.view, ids) for ids in found["source_ids"]]
        return found.drop(columns="source_ids").assign(Sources=sources)

    def cannot_tell(self):
        """'What the sources cannot tell' about the race."""
        items = race.cannot_tell(self.view, self.race, self.key_figures)
        if not items:
            return self._html(render("paragraphs.html.j2", paragraphs=[CANNOT_TELL_NOTHING]))
        return self._html(render("list.html.j2", title=None, css_class="cannot-tell", items=items))


def prepare_race(**raw_params) -> RaceReport:
    """Load and validate the data, validate the parameters, reconcile once as of the date: the race overview."""
    data_dir = Path(raw_params.get("data_dir") or DATA_DIR)
    tables = load_tables(data_dir)
    descriptor_sha256 = sha256_file(descriptor_path(data_dir))
    params = resolve({**raw_params, "view": "race"}, tables)
    rec = reconcile(tables, params.as_of)
    names = dict(zip(rec.companies["company_id"], rec.companies["name"], strict=True))
    view = race.race_view(rec, params.unit, names)
    numbers = race_at(rec)
    drawn = (race.developers_chart(view, numbers), race.timeline_chart(view, numbers))
    charts = {c.id: c for c in drawn if c is not None}
    return RaceReport(params, view, charts, descriptor_sha256=descriptor_sha256, built=about.build_date(), race=numbers)
