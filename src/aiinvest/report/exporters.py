"""nbconvert exporters for the report: interactive HTML, print HTML and PDF (WeasyPrint).

They are registered as nbconvert entry points named `AI_report_HTML` and `AI_report_PDF`, so
`jupyter nbconvert --to AI_report_HTML` and JupyterLab's "Save and Export Notebook As" menu offer them.
"""

import base64
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from plotly.offline import get_plotlyjs
from traitlets import default
from traitlets.config import Config

from .. import __version__
from ..config import TEMPLATES_DIR
from .evidence import Attachment, standalone
from .exporters_meta import METADATA_KEY, document_metadata, output_metadata
from .params import ReportParams

PLOTLY_PLACEHOLDER = "/*aiinvest:plotly.js*/"
CONTENTS_PLACEHOLDER = "<!--aiinvest:contents-->"
HEADING = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h2>', re.S)
REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters"}
REMOVE_INPUT_TAGS = {"remove-input"}
NO_EVIDENCE = (
    "the PDF carries no data files: the data folder this notebook read (%s) is not found here with the "
    "datapackage.json it read; build the report with 'aiinvest build' to attach them"
)


def inline_plotlyjs() -> str:
    """plotly.js for a <script> element: the raw control characters in two of its string literals
    (U+0001, U+001A), which HTML forbids, written as JavaScript escapes with the same meaning."""
    return get_plotlyjs().replace("\x01", "\\x01").replace("\x1a", "\\x1a")


class NotExecutedError(ValueError):
    """The notebook has no outputs to export."""


def report_parameters(nb) -> dict:
    """The parameters a run used: papermill's record, else the defaults."""
    recorded = nb.metadata.get("papermill", {}).get("parameters", {})
    defaults = ReportParams()
    return {
        "title": recorded.get("title") or defaults.title,
        "page_size": recorded.get("page_size") or defaults.page_size,
        "data_dir": recorded.get("data_dir") or "",
    }


def add_contents(html: str) -> str:
    """Replace the contents placeholder with links to every second-level heading after it."""
    at = html.find(CONTENTS_PLACEHOLDER)
    if at < 0:
        return html
    entries = []
    for match in HEADING.finditer(html, at):
        title = re.sub(r"<[^>]+>|¶", "", match.group("inner")).strip()
        entries.append(f'<li><a href="#{match.group("id")}">{title}</a></li>')
    nav = (
        '<nav class="contents" aria-labelledby="contents-heading"><h2 id="contents-heading">Contents</h2>'
        f"<ol>{''.join(entries)}</ol></nav>"
    )
    return html.replace(CONTENTS_PLACEHOLDER, nav if entries else "", 1)


class _ReportExporter(HTMLExporter):
    """Shared set-up: our templates, code hidden, Jupyter Book cell tags honoured."""

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [str(TEMPLATES_DIR / "nbconvert")]

    @default("exclude_input")
    def _default_exclude_input(self):
        return True

    @default("exclude_input_prompt")
    def _default_exclude_input_prompt(self):
        return True

    @default("exclude_output_prompt")
    def _default_exclude_output_prompt(self):
        return True

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=REMOVE_CELL_TAGS, remove_input_tags=REMOVE_INPUT_TAGS, enabled=True),
            enabled=True,
        )

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)
        resources["aiinvest_version"] = __version__
        return resources

    def from_notebook_node(self, nb, resources=None, **kw):
        if not document_metadata(nb):
            raise NotExecutedError(
                "this report notebook has not been run: its cells have no output to export. Run all cells "
                "(Run > Run All Cells) or build it with 'aiinvest build', then export"
            )
        resources = dict(resources or {})
        params = report_parameters(nb)
        title = document_metadata(nb).get("title") or params["title"]  # the report's own: made from its subject
        resources["report_title"] = title
        resources["page_size"] = params["page_size"]
        resources["document"] = document_metadata(nb)
        nb = nb.copy()
        nb.metadata["title"] = title
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return add_contents(html), resources


class InteractiveFigures(Preprocessor):
    """Show each chart as the report's interactive figure, which the notebook keeps in its output's metadata."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            figure = output.get("metadata", {}).get(METADATA_KEY, {}).get("figure_html")
            if figure:
                output["data"] = {"text/html": figure}
        return cell, resources


class ReportHTMLExporter(_ReportExporter):
    """Self-contained interactive HTML: plotly.js inlined once, no outside requests."""

    export_from_notebook = "AI investment report (HTML)"

    @default("template_name")
    def _default_template_name(self):
        return "aiinvest_html"

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self.register_preprocessor(InteractiveFigures(), enabled=True)

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)
        resources["plotly_js_placeholder"] = PLOTLY_PLACEHOLDER
        return resources

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        # Inserted after nbconvert's HTML post-processing, which need not parse 4.8 MB of JS.
        return html.replace(PLOTLY_PLACEHOLDER, inline_plotlyjs(), 1), resources


class ReportPrintExporter(_ReportExporter):
    """Print HTML for WeasyPrint: charts as vector SVG (matplotlib), page size by parameter."""

    # Not offered in JupyterLab's export menu: nbconvert reads None so, though its own exporters declare a str.
    export_from_notebook: str | None = None  # type: ignore[assignment]

    @default("template_name")
    def _default_template_name(self):
        return "aiinvest_print"

    def default_filters(self):
        yield from super().default_filters()
        yield ("b64encode", b64encode)

    @property
    def default_config(self):
        config = super().default_config.copy()
        config.merge(
            Config(
                {
                    "NbConvertBase": {
                        "display_data_priority": [
                            "image/svg+xml",
                            "text/html",
                            "text/markdown",
                            "image/png",
                            "image/jpeg",
                            "text/plain",
                        ]
                    }
                }
            )
        )
        return config


class ReportPDFExporter(ReportPrintExporter):
    """PDF of the print layout, typeset by WeasyPrint (no browser, no download)."""

    export_from_notebook = "AI investment report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _default_file_extension(self):
        return ".pdf"

    @default("template_file")
    def _default_template_file(self):
        return "index.html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        attachments = [*self.evidence(nb, resources), *resources.get("attachments", [])]
        return html_to_pdf(html, attachments, dated=resources.get("document", {}).get("as_of", "")), resources

    def evidence(self, nb, resources) -> list[Attachment]:
        """The data the report was made from: as a build hands it over (the bytes it hashed), else, exported on
        its own, the declared files of the data folder the notebook names, checked against datapackage.json."""
        given = resources.get("evidence")
        if given is not None:
            return list(given)
        label = report_parameters(nb)["data_dir"]
        found = standalone(label, output_metadata(nb, "evidence").get("descriptor_sha256", ""))
        if not found:
            self.log.warning(NO_EVIDENCE, label or "data")
        return found


def html_to_pdf(html: str, attachments: Sequence[tuple[str, bytes, str]] = (), dated: str = "") -> bytes:
    """Typeset print HTML into a tagged PDF/A-3a, with the given files attached as its evidence.

    Each attachment is dated `dated` (the report's as-of date, YYYY-MM-DD) rather than by the clock, so that
    the same inputs give the same bytes; without one, WeasyPrint dates them now.
    """
    import weasyprint  # imported here: 1.2 s, which exporting HTML alone (as in JupyterLab) never needs

    when = datetime.fromisoformat(dated).replace(tzinfo=UTC) if dated else None
    files = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=about,
            relationship="Source",
            created=when,
            modified=when,
        )
        for name, data, about in attachments
    ]
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR))
    return document.write_pdf(pdf_variant="pdf/a-3a", pdf_tags=True, attachments=files)


def b64encode(text: str) -> str:
    """Base64 of text's UTF-8 bytes (for data: URLs in templates)."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
