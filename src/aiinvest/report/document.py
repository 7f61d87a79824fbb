"""The report's content: everything the notebook shows, computed from one reconciliation.

The notebook stays thin: it calls `prepare(...)` with its parameters and then one method per
section. The data is reconciled once, as of the report date; every word about the data
comes from `text`, every number from the reconciliation.
"""

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import plotly.io as pio
from IPython.display import HTML, display
from markupsafe import Markup, escape

from ..analysis.reconcile import Reconciliation, reconcile
from ..config import DATA_DIR, TEMPLATES_DIR
from ..data.load import load_tables
from ..data.provenance import sha256_file
from ..data.schema import descriptor_path
from . import about, text
from .changes import COLUMNS, Row, compare, figures_text, read_figures
from .charts.describe import alt_text, marks, value_column
from .charts.drawings import plotly_json, svg_and_png
from .charts.figures import report_charts
from .charts.spec import Chart
from .exporters_meta import METADATA_KEY
from .formatting import format_date, plural, shorten
from .key_figures import Figure, figures_document, key_figures
from .params import ResolvedParams, resolve
from .rows import rows

MAX_TABLE_ROWS = 30  # tables in the report stay readable (and its size bounded) at any data size
MAX_STATEMENTS = 6
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
CHANGES_HEADING = "Changes since the previous report"
SOURCES_SECTION = "Sources and method"  # a caption's words that link to the appendix's sources
SOURCES_ANCHOR = "appendix-sources"
APPENDIX_HEADING = "Appendix: the evidence behind every figure"
APPENDIX_INTRO = (
    "The codes below (claim, fact and source ids) are the data's own: each figure in the report links to the rows "
    "it rests on, and figures.json and the files attached to the PDF use the same codes."
)
# The appendix's parts: anchor and heading of each.
APPENDIX_PARTS = {
    "facts": ("appendix-claims", "Every claim"),
    "coverage": ("appendix-coverage", "Which source reports which fact"),
    "sources": (SOURCES_ANCHOR, "The sources"),
    "method": ("appendix-method", "Method"),
}
# Nothing on a chart sends its data off the page: no plotly logo link, no "share"/"send to cloud" button (its
# name differs across plotly.js versions: JupyterLab's may be older than the report's). plotly 7 no longer knows
# Chart Studio's showLink and showEditInChartStudio (nor their buttons): it would warn about them, in the report.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "sendChartToCloud", "editInChartStudio"],
    "typesetMath": False,  # JupyterLab loads MathJax: no chart text is read as TeX (its dollars are escaped too)
}
RUNNING_TITLE_CHARS = 60  # the PDF footer repeats the title and the as-of date on one line: longer titles end in "…"

# Each chart's section: heading ("{subject}": the subject's name), a sentence on method (no data), topic.
SECTIONS = {
    "tranches": (
        "Investment by tranche",
        "An investor's total is the sum of its distinct tranches: a tranche that several articles mention is "
        "counted once.",
        "investment",
    ),
    "investments": (
        "Investments {subject} made, by tranche",
        "Each distinct tranche the subject made, counted once however many articles mention it.",
        "investment",
    ),
    "portfolio": ("{subject}'s investment in each company", None, "investment"),
    "funding": (
        "Who funds {subject}",
        "Named investors against the total funding the sources report, both measured on the report date. A "
        "reported total is carried forward: it is at least the last reported figure plus the tranches announced "
        "after it. Where the total is a lower bound ('exceeding'), the part no source attributes is a lower bound "
        "too, and is drawn hatched.",
        "funding",
    ),
    "valuation": (
        "Funding raised against the valuation",
        "Both figures are measured on the date of the valuation.",
        "valuation",
    ),
    "timeline": ("Timeline", None, None),
}

DATED_ONCE_TITLE = "Dated by one source only (not a disagreement: another source gives no date):"
CANNOT_TELL_NOTHING = "Every figure here rests on more than one source, with stated dates and amounts."
STATEMENT_TOPICS = ("investment", "funding", "valuation", "context")
WORDS_HEADING = text.WORDS_HEADING
RELATIONS = (
    "section-relations",
    "What the sources report about {subject}",
    "Each tie with another company that the sources report, once however many of them report it.",
)

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "report"),
    autoescape=True,  # text from the CSV files is shown as text, never as markup
    undefined=jinja2.StrictUndefined,
)


def render(template: str, **context) -> str:
    """Render one HTML fragment template."""
    return _ENV.get_template(template).render(**context)


class Described:
    """HTML displayed with metadata on its output, which the exporters read (the notebook keeps both)."""

    def __init__(self, html: str, metadata: dict):
        self.data, self.metadata = html, metadata

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.data}, {METADATA_KEY: self.metadata}


@dataclass
class Report:
    """One report run: its parameters, the one reconciliation, and the charts drawn from it."""

    params: ResolvedParams
    view: text.View
    charts: dict[str, Chart]
    figure_numbers: dict[str, int] = field(default_factory=dict)
    descriptor_sha256: str = ""  # of the datapackage.json it read: an exporter attaches that package's files only
    built: date = field(default_factory=about.build_date)  # SOURCE_DATE_EPOCH when set, else today

    @property
    def rec(self) -> Reconciliation:
        """The reconciliation as of the report date."""
        return self.view.rec

    def _html(self, html: str):
        return HTML(html)

    @cached_property
    def title(self) -> str:
        """The report's title: the parameter, else made from the subject and its role."""
        return about.title(self.view, self.params.title)

    @cached_property
    def stamp(self) -> about.Stamp:
        """Data cut-off, build date and short version, for the dateline, the footer and the citation."""
        return about.stamp(self.view, self.params.version, self.built)

    def header(self):
        """Title, dateline, summary, the note on the sources, key figures; its metadata describes the document
        (figures.json is recorded by the last cell, how_to_cite)."""
        return Described(
            render(
                "header.html.j2",
                title=self.title,
                running_title=f"{shorten(self.title, RUNNING_TITLE_CHARS)} · Data as of {self.view.as_of}",
                dateline=self.stamp.dateline(),
                unit=self.params.unit,
                about=about.sources_note(self.view),
                summary=self.summary(),
                key_figures=[{**f.row(), "sources": cited(self.view, f.source_ids)} for f in self.key_figures],
                no_key_figures=text.no_key_figures(self.view),
            ),
            {"document": self.document_metadata(), "evidence": {"descriptor_sha256": self.descriptor_sha256}},
        )

    @cached_property
    def key_figures(self) -> list[Figure]:
        """The headline figures: the key-figures table and figures.json are both made from these."""
        return key_figures(self.view)

    def summary(self) -> list[str]:
        """The summary's sentences, the finding first."""
        return text.summary(self.view)

    @cached_property
    def figures_data(self) -> dict:
        """figures_document(), made once: the last cell (how_to_cite) records it and "what changed" compares it."""
        return self.figures_document()

    def figures_document(self) -> dict:
        """What figures.json holds (and "what changed" compares)."""
        return figures_document(self.view, self.key_figures)

    def document_metadata(self) -> dict:
        """Title, subject, keywords, language and date of the report, for the PDF's metadata."""
        p, rec = self.params, self.rec
        money = rec.claims[rec.claims["amount_usd"].notna()]  # the companies in the figures
        ids = {p.company_id} | set(money["company_id"].dropna()) | set(money["counterparty_id"].dropna())
        companies = sorted(self.view.name(c) for c in ids)
        verb = "says" if len(rec.sources) == 1 else "say"
        return {
            "title": self.title,
            "subject": f"What {plural(len(rec.sources), 'news article')} published by {self.view.as_of} {verb} "
            f"about investment in {p.company_name}",
            "keywords": ["AI investment", "funding", "valuation", *companies],
            "as_of": p.as_of.date().isoformat(),
            "language": "en",
        }

    def changes(self):
        """'Changes since the previous report': sources, figures and disagreements, when the build names one."""
        if not self.params.previous:
            return None
        changes = compare(read_figures(Path(self.params.previous)), self.figures_data)
        when = format_date(pd.Timestamp(changes.old_as_of), "day")
        intro = f"Compared with the previous report (as of {when}): {changes.summary().split(': ', 1)[-1]}."
        if changes.empty:
            intro = f"Nothing has changed since the previous report (as of {when})."
        section = render("section.html.j2", anchor="section-changes", heading=CHANGES_HEADING, intro=intro)
        if changes.empty:
            return self._html(section)
        table = pd.DataFrame([change_cells(row) for row in changes.entries()], columns=list(COLUMNS))
        return self._html(section + self._table(table, "changes", None).data)

    def figures(self) -> None:
        """Every chart for the subject, each in its section with heading, chart, caption and statements; for a
        subject the sources give no figure for, first what they report about it."""
        if not self.view.has_figures and (ties := self.relations()) is not None:
            display(ties)
        shown = set()
        for chart_id in self.charts:
            heading, intro, topic = SECTIONS[chart_id]
            heading = heading.format(subject=self.view.subject)
            display(self._html(render("section.html.j2", anchor=f"section-{chart_id}", heading=heading, intro=intro)))
            self.chart(chart_id)
            if topic and topic not in shown and (said := self.statements(topic)) is not None:
                display(said)
                shown.add(topic)
        rest = [self.statements(t) for t in STATEMENT_TOPICS if t not in shown]  # their chart is absent, or context
        if any(r is not None for r in rest):
            display(self._html(render("section.html.j2", anchor="section-words", heading=WORDS_HEADING, intro=None)))
            for said in rest:
                if said is not None:
                    display(said)

    def relations(self):
        """'What the sources report about X': its ties with other companies, each with when and its sources."""
        ties = text.relations(self.view)
        if ties.empty:
            return None
        anchor, heading, intro = RELATIONS
        heading = heading.format(subject=self.view.subject)
        section = render("section.html.j2", anchor=anchor, heading=heading, intro=intro)
        table = pd.DataFrame(
            {
                "What the sources report": ties["what"],
                "With": ties["others"],
                "When": ties["when"],
                "Sources": [cited(self.view, ids) for ids in ties["source_ids"]],
            }
        )
        return self._html(section + self._table(table, "relations", None).data)

    def chart(self, chart_id: str) -> None:
        """Display one chart (interactive and print renderings) with its numbered caption."""
        chart = self.charts.get(chart_id)
        if chart is None:
            display(self._html(f"<p class='caption'>No data for this chart as of {self.view.as_of}.</p>"))
            return
        number = self.figure_numbers.setdefault(chart_id, len(self.figure_numbers) + 1)
        bundle, metadata = chart_bundle(chart, number, unit=self.view.unit)
        display(bundle, raw=True, metadata=metadata)

    def statements(self, topic: str):
        """What the sources say in words, without a figure, about this topic and the subject's deals."""
        said = statements_for(self.view, topic)
        if said.empty:
            return None
        shown = set(self.shown_facts["Claim"])
        items = [
            {
                "quote": r.quote,
                "source": self.view.source_name(r.source_id),
                "href": f"#claim-{r.claim_id}" if r.claim_id in shown else f"#{APPENDIX_PARTS['facts'][0]}",
                "codes": f"{r.claim_id}, {r.source_id}",
            }
            for r in rows(said.head(MAX_STATEMENTS))
        ]
        about = text.join_words(sorted({self.view.name(c) for c in said["company_id"]}))
        return self._html(
            render("statements.html.j2", title=f"In the sources' words, about {about}:", statements=items)
        )

    @cached_property
    def shown_facts(self) -> pd.DataFrame:
        """The appendix's claims table (bounded): the rows the body's quotes link to."""
        return facts_table(self.view, limit=MAX_TABLE_ROWS)

    def appendix(self) -> None:
        """The appendix: one section holding every claim, which source reports which fact, the sources, the method."""
        heading = render("section.html.j2", anchor="appendix", heading=APPENDIX_HEADING, intro=APPENDIX_INTRO)
        display(self._html(heading))
        for part in (self.facts(), self.coverage(), self.sources(), self.method()):
            display(part)

    def how_to_cite(self):
        """The closing line: how to cite this report (title, subject, data as of, version, build date). Its
        metadata records figures.json, as text: the last cell's, because papermill saves the whole notebook
        before and after every cell, and at 10^5 claims figures.json is 30 MB (a save took about 0.6 s)."""
        return Described(
            render("cite.html.j2", citation=about.how_to_cite(self.title, self.view, self.stamp)),
            {"figures": figures_text(self.figures_data)},
        )

    def facts(self):
        """Every curated claim with its source, how it was read and its quote; rows are claim-<id> anchors."""
        intro = "One row per claim; claims about the same fact share a fact id."
        table = self._table(self.shown_facts, "facts", intro, total=len(self.rec.claims), anchors=("Claim", "claim-"))
        return self._html(_subheading("facts") + table.data)

    def discrepancies(self):
        """Where the sources disagree (amounts, dates, readings), which reading is used and why; then the events
        dated by one source only, which are not disagreements."""
        d = self.rec.disagreements
        if d.empty:
            html = render("paragraphs.html.j2", paragraphs=[text.disagreement_sentence(self.view)])
        else:
            total = len(d)
            about = (d["company_id"] == self.view.subject_id) | (d["investor_id"] == self.view.subject_id)
            d = d.iloc[np.argsort(~about.fillna(False).to_numpy(), kind="stable")].head(MAX_TABLE_ROWS)
            table = pd.DataFrame(
                {
                    "Topic": [text.topic(self.view, r) for r in rows(d)],
                    "What the sources say": [text.explanation(self.view, r) for r in rows(d)],
                    "Reading used, and why": [text.reading(self.view, r) for r in rows(d)],
                    "Sources": [cited(self.view, ids) for ids in d["source_ids"]],
                    "Known since": [_opened(self.view, r) for r in rows(d)],
                }
            )
            html = self._table(table, "discrepancies", None, total=total).data
        return self._html(html + self._dated_once())

    def _dated_once(self) -> str:
        """Events that one source dates and another leaves undated: listed apart, not counted as disagreements."""
        once = self.rec.dated_once
        if once.empty:
            return ""
        items = [text.dated_once_entry(self.view, r) for r in rows(once.head(MAX_TABLE_ROWS))]
        if len(once) > MAX_TABLE_ROWS:
            items.append(f"and {plural(len(once) - MAX_TABLE_ROWS, 'other event')}")
        return render("list.html.j2", title=DATED_ONCE_TITLE, css_class="dated-once", items=items)

    def cannot_tell(self):
        """'What the sources cannot tell': what a reader might assume but the sources do not establish."""
        items = text.cannot_tell(self.view, self.key_figures)
        if not items:
            return self._html(render("paragraphs.html.j2", paragraphs=[CANNOT_TELL_NOTHING]))
        return self._html(render("list.html.j2", title=None, css_class="cannot-tell", items=items))

    def coverage(self):
        """Which source reports which fact."""
        coverage = self.rec.coverage
        order = coverage["status"].map({"disagree": 0, "agree": 1}).fillna(2)
        total = len(coverage)
        coverage = coverage.iloc[np.argsort(order.to_numpy(), kind="stable")].head(MAX_TABLE_ROWS)
        rows = pd.DataFrame(
            {
                "Fact": coverage["fact_id"],
                "Reported by": [cited(self.view, ids, codes=True) for ids in coverage["source_ids"]],
                "Claims": coverage["claims"],
                "Status": coverage["status"].map(text.STATUS),
            }
        )
        return self._html(_subheading("coverage") + self._table(rows, "coverage", None, total=total).data)

    def sources(self):
        """The articles with dates, precision and SHA-256, and how the report reads them."""
        s = self.rec.sources
        total = len(s)
        s = s.head(MAX_TABLE_ROWS)
        dates = self.view.source_dates
        rows = pd.DataFrame(
            {
                "Source": s["source_id"],
                "Name": [self.view.source_name(i) for i in s["source_id"]],
                "Title (first sentence)": s["title"],
                "Published": [dates[i] for i in s["source_id"]],
                "How the date is known": s["date_note"],
                "File and SHA-256": [f"data/raw/{f} · sha256 {h}" for f, h in zip(s["file"], s["sha256"], strict=True)],
            }
        )
        table = self._table(rows, "sources", None, total=total, anchors=("Source", "source-"))
        return self._html(_subheading("sources") + table.data)

    def method(self):
        """How the figures are derived, with the counts of this run."""
        rec = self.rec
        paragraphs = [
            f"Sources. {plural(len(rec.sources), 'news article')}, stored byte-for-byte; their SHA-256 is checked on "
            f"every build. {text.publisher_sentence(self.view)}",
            "Method. Every figure is a claim curated from one article, with a verbatim quote checked against the "
            "stored text. Claims about the same fact share a fact id, so agreement and disagreement between the "
            "articles can be shown. Each claim is read as of its own date: against the tranches published no later "
            "than its article and dated no later than the claim, never against later news. An investor's total is "
            "the sum of its distinct tranches, never the sum of every mention; a claim whose framing the text leaves "
            "open is read by arithmetic (equal to the sum of the tranches known then: a running total). A total "
            "described as 'exceeding' a figure is a lower bound, and stays one as later money is added. Dates the "
            "text implies but does not state are marked '(inferred)'. The data and the rules are in the project "
            "repository (data/README.md, docs/curation.md).",
        ]
        return self._html(_subheading("method") + render("paragraphs.html.j2", paragraphs=paragraphs))

    def _table(self, rows: pd.DataFrame, css_class: str, intro: str | None, total: int | None = None, anchors=None):
        """A table; `anchors` (column, prefix) gives each row an id to link to, e.g. source-art-001."""
        total = len(rows) if total is None else total
        if total > len(rows.head(MAX_TABLE_ROWS)):
            note = f"Showing the first {MAX_TABLE_ROWS} of {total} rows; all are in data/curated/."
            intro = f"{intro} {note}" if intro else note
            rows = rows.head(MAX_TABLE_ROWS)
        records = rows.astype(object).where(rows.notna(), "").to_dict("records")
        numeric = {"Amount", "Claims"}
        html = render(
            "table.html.j2",
            columns=list(rows.columns),
            rows=records,
            css_class=css_class,
            numeric=numeric,
            intro=intro,
            anchors=anchors,
        )
        return self._html(html)


def change_cells(row: Row) -> tuple:
    """A changes row's cells: a source or claim of its own links to its appendix row; ids only in tooltips."""
    what: str | Markup = row.what
    if len(row.ids) == 1 and row.evidence in ("source", "claim"):
        what = Markup('<a href="#{0}-{1}" title="{1}">{2}</a>').format(row.evidence, row.ids[0], row.what)
    why: str | Markup = row.why
    if row.why and row.ids:
        why = Markup('<span title="{0}">{1}</span>').format(", ".join(row.ids), row.why)
    return what, row.before, row.now, why


def _subheading(part: str) -> str:
    """An appendix part's heading (h3), with its anchor."""
    anchor, heading = APPENDIX_PARTS[part]
    return render("section.html.j2", anchor=anchor, heading=heading, intro=None, level=3)


def _opened(view: text.View, row) -> str:
    """When a disagreement became visible: the publication of the latest of its sources."""
    dates = view.rec.sources.set_index("source_id")["published_date"]
    latest = max(row.source_ids, key=lambda s: (dates[s], s))
    return view.known_on(latest)


def prepare(**raw_params) -> Report:
    """Load and validate the data, validate the parameters, reconcile once as of the date, draw the charts."""
    data_dir = Path(raw_params.get("data_dir") or DATA_DIR)
    tables = load_tables(data_dir)  # validated: each table has the SHA-256 its descriptor records
    descriptor_sha256 = sha256_file(descriptor_path(data_dir))
    params = resolve(raw_params, tables)
    rec = reconcile(tables, params.as_of)
    names = dict(zip(rec.companies["company_id"], rec.companies["name"], strict=True))
    view = text.View(rec, params.company_id, params.unit, names)
    charts = {c.id: c for c in report_charts(view)}
    return Report(params, view, charts, descriptor_sha256=descriptor_sha256, built=about.build_date())


def cited(view: text.View, source_ids, codes: bool = False) -> Markup:
    """Sources by their readers' names, each a link to its row in the appendix (its id in the tooltip; `codes`:
    also after the name, as the appendix shows it)."""
    wanted = {str(i) for i in source_ids if i == i and i is not None}
    links = [source_link(sid, name, codes) for sid, name in view.source_names.items() if sid in wanted]
    return Markup(text.join_words(links))


def source_link(source_id: str, name: str, codes: bool = False) -> Markup:
    """A source's reader's name, a link to its appendix row with its id in the tooltip (`codes`: also after it)."""
    return Markup('<a href="#source-{0}" title="{0}">{1}</a>' + (" ({0})" if codes else "")).format(source_id, name)


def chart_caption(chart: Chart) -> Markup:
    """The chart's caption, then its sources by their readers' names, each a link to its row in the appendix."""
    links = [source_link(sid, name) for sid, name in chart.sources]
    if not links:
        return Markup(escape(chart.caption))
    label = "Sources" if len(links) > 1 else "Source"
    return Markup("{0} {1}: {2}.").format(chart.caption, label, Markup(text.join_words(links)))


def chart_bundle(chart: Chart, number: int, unit: str | None = None) -> tuple[dict, dict]:
    """A display bundle and its metadata: plotly JSON (JupyterLab), SVG (print) and text; PNG in the metadata.

    The bundle holds no HTML, so that JupyterLab shows the interactive plotly figure (and plain
    nbconvert the SVG). The report's HTML figure (the chart, its numbered caption, its data as a
    table) travels in the metadata, for the report's exporter; the print template wraps the SVG
    in a figure with the same caption and the text alternative. The caption names its sources from the
    chart (source_ids is kept for callers, and no longer used: the chart knows its own sources).
    """
    figure_json = plotly_json(chart)  # drawn once per content (charts.drawings)
    spec = json.loads(figure_json)
    div = pio.to_html(
        json.loads(figure_json),
        include_plotlyjs=False,
        full_html=False,
        div_id=f"chart-{chart.id}",
        config=PLOTLY_CONFIG,
        validate=False,
    )
    found = marks(chart, unit)
    alt = alt_text(chart, found)
    caption = chart_caption(chart)
    heading, numeric = value_column(found)
    figure = render(
        "figure.html.j2",
        chart=chart,
        number=number,
        div=div,
        alt=alt,
        marks=found,
        caption=caption,
        value_heading=heading,
        numeric=numeric,
    )
    svg, png_bytes = svg_and_png(chart)  # one drawing of the print figure for both, once per content
    bundle = {
        PLOTLY_MIMETYPE: {**spec, "config": PLOTLY_CONFIG},
        "image/svg+xml": svg,
        "text/plain": alt,
    }
    numbered = f"<strong>Figure {number}.</strong> {caption}"
    # The PNG (for slides) stays out of the bundle: JupyterLab's plotly renderer would show it instead.
    png = base64.b64encode(png_bytes).decode("ascii")
    about = {
        "chart": chart.id,
        "number": number,
        "caption_html": numbered,
        "alt": alt,
        "figure_html": figure,
        "png": png,
    }
    return bundle, {METADATA_KEY: about}


def statements_for(view: text.View, topic: str) -> pd.DataFrame:
    """Statements on a topic about the subject, or by or about the parties of its deals."""
    s = view.rec.statements
    s = s[s["topic"] == topic]
    tranches = view.rec.tranches
    partners = set(tranches.loc[tranches["investee_id"] == view.subject_id, "investor_id"])
    partners |= set(tranches.loc[tranches["investor_id"] == view.subject_id, "investee_id"])
    involved = (s["company_id"] == view.subject_id) | (s["counterparty_id"] == view.subject_id)
    if topic == "investment":  # a partner's words about its deal with the subject, or about itself alone
        about_subject = s["counterparty_id"].isna() | (s["counterparty_id"] == view.subject_id)
        involved |= s["company_id"].isin(partners) & about_subject
    return s[involved.fillna(False)].reset_index(drop=True)


KIND_WHAT = {"valuation": "valuation", "funding_total": "total funding"}


def facts_table(view: text.View, limit: int | None = None) -> pd.DataFrame:
    """Claims as rows (id, fact, what, amount, dates, reading, source, quote); the subject's largest first if cut."""
    rec = view.rec
    claims = rec.claims
    reads = view.readings["reason"]
    events = rec.events.set_index("event_id")
    statements = rec.statements.set_index("claim_id")
    parties = rec.event_parties
    involved = set(parties.loc[parties["company_id"] == view.subject_id, "event_id"])

    def what(row) -> str:
        if row.kind == "investment":
            return f"{view.name(row.counterparty_id)} invests in {view.name(row.company_id)}"
        if row.kind == "event":
            e = events.loc[row.claim_id]
            return str(e["description"]) + (" (rumoured)" if e["status"] == "rumoured" else "")
        if row.kind == "statement":
            return f"About {view.name(row.company_id)} ({statements.loc[row.claim_id, 'statement_kind']})"
        return f"{view.name(row.company_id)} {KIND_WHAT[row.kind]}"

    subject = (
        (claims["company_id"] == view.subject_id)
        | (claims["counterparty_id"] == view.subject_id)
        | claims["claim_id"].isin(involved)
    ).fillna(False)
    frame = claims.assign(subject=subject.to_numpy())
    if limit is not None and len(frame) > limit:  # only then reorder: a short table keeps the tables' own order
        frame = frame.assign(size=frame["amount_usd"].fillna(0)).sort_values(["subject", "size"], ascending=False)
        frame = frame.head(limit)
    return pd.DataFrame(
        {
            "Claim": frame["claim_id"],
            "Fact": frame["fact_id"],
            "What": [
                what(r) + (f"; read as {text.READINGS[reads[r.claim_id]]}" if r.claim_id in reads.index else "")
                for r in rows(frame)
            ],
            "Amount": [
                "" if pd.isna(a) else view.usd(a, q)
                for a, q in zip(frame["amount_usd"], frame["qualifier"], strict=True)
            ],
            "Date": [
                format_date(d, p, bool(i))
                for d, p, i in zip(frame["date"], frame["date_precision"], frame["date_inferred"], strict=True)
            ],
            "Source": frame["source_id"],
            "Quote": frame["quote"],
        }
    ).reset_index(drop=True)
