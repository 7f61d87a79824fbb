"""nbconvert exporters for the report: interactive HTML, print HTML and PDF (WeasyPrint).

They are registered as nbconvert entry points, so `jupyter nbconvert --to aiinvest_html`
(or `aiinvest_pdf`) and JupyterLab's "Save and Export Notebook As" menu offer them.
"""

from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from plotly.offline import get_plotlyjs
from traitlets import default
from traitlets.config import Config

from .. import __version__
from ..config import TEMPLATES_DIR
from .params import ReportParams

PLOTLY_PLACEHOLDER = "/*aiinvest:plotly.js*/"
REMOVE_CELL_TAGS = {"remove-cell", "parameters", "injected-parameters"}
REMOVE_INPUT_TAGS = {"remove-input"}


def report_parameters(nb) -> dict:
    """The parameters a run used: papermill's record, else the defaults."""
    recorded = nb.metadata.get("papermill", {}).get("parameters", {})
    defaults = ReportParams()
    return {
        "title": recorded.get("title") or defaults.title,
        "page_size": recorded.get("page_size") or defaults.page_size,
    }


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
        resources = dict(resources or {})
        params = report_parameters(nb)
        resources["report_title"] = params["title"]
        resources["page_size"] = params["page_size"]
        nb = nb.copy()
        nb.metadata["title"] = params["title"]
        return super().from_notebook_node(nb, resources, **kw)


class ReportHTMLExporter(_ReportExporter):
    """Self-contained interactive HTML: plotly.js inlined once, no outside requests."""

    export_from_notebook = "AI investment report (HTML)"

    @default("template_name")
    def _default_template_name(self):
        return "aiinvest_html"

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)
        resources["plotly_js_placeholder"] = PLOTLY_PLACEHOLDER
        return resources

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        # Inserted after nbconvert's HTML post-processing, which need not parse 4.8 MB of JS.
        return html.replace(PLOTLY_PLACEHOLDER, get_plotlyjs(), 1), resources


class ReportPrintExporter(_ReportExporter):
    """Print HTML for WeasyPrint: charts as vector SVG (matplotlib), page size by parameter."""

    export_from_notebook = None

    @default("template_name")
    def _default_template_name(self):
        return "aiinvest_print"

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
        return html_to_pdf(html), resources


def html_to_pdf(html: str) -> bytes:
    """Typeset print HTML into PDF bytes with WeasyPrint."""
    import weasyprint  # imported here: 1.2 s, which exporting HTML alone (as in JupyterLab) never needs

    return weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()
