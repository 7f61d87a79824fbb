"""The report's exporters are registered with nbconvert and give the build's output."""

import subprocess
import sys

import pytest
from fixtures import SEED_DIR
from nbconvert.exporters import get_export_names, get_exporter

from aiinvest.report.exporters import ReportHTMLExporter, ReportPDFExporter


def nbconvert(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`jupyter nbconvert` in this environment."""
    command = [sys.executable, "-m", "jupyter", "nbconvert", *args]
    return subprocess.run(command, check=check, capture_output=True, text=True)


def test_exporters_are_registered_entry_points():
    names = get_export_names()
    assert "AI_report_HTML" in names and "AI_report_PDF" in names
    assert get_exporter("AI_report_HTML") is ReportHTMLExporter
    assert get_exporter("AI_report_PDF") is ReportPDFExporter
    assert ReportHTMLExporter.export_from_notebook and ReportPDFExporter.export_from_notebook


def test_nbconvert_cli_gives_the_same_output_as_the_build(built_report, tmp_path):
    import pypdf  # here, as in each slow test: 0.3 s that the fast tier's workers need not pay

    notebook = built_report.outputs["notebook"]
    for exporter in ("AI_report_HTML", "AI_report_PDF"):
        nbconvert("--to", exporter, str(notebook), "--output-dir", str(tmp_path))
    assert (tmp_path / "report.html").read_bytes() == built_report.outputs["html"].read_bytes()

    def text(path):
        return [page.extract_text() for page in pypdf.PdfReader(path).pages]

    assert text(tmp_path / "report.pdf") == text(built_report.outputs["pdf"])


def test_pdf_page_size_follows_the_parameter(built_report):
    import io

    import nbformat
    import pypdf

    nb = nbformat.read(built_report.outputs["notebook"], as_version=4)
    nb.metadata["papermill"]["parameters"]["page_size"] = "Letter"
    pdf, _ = ReportPDFExporter().from_notebook_node(nb)
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a_very_long_title_wraps_and_its_footer_copy_is_shortened(tmp_path):
    # Issue 12, row M: a 5,000-character title overprinted the PDF footer.
    import nbformat
    import pypdfium2
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from aiinvest.report import prepare
    from aiinvest.report.document import RUNNING_TITLE_CHARS

    title = " ".join(["Anthropic"] * 500) + " " + "x" * 500  # long words and one unbreakable run
    data, metadata = prepare(title=title, data_dir=str(SEED_DIR)).header()._repr_mimebundle_()
    nb = new_notebook(cells=[new_code_cell(outputs=[new_output("display_data", data=data, metadata=metadata)])])
    nb.metadata["papermill"] = {"parameters": {"page_size": "A4", "data_dir": str(SEED_DIR)}}  # its evidence
    pdf, _ = ReportPDFExporter().from_notebook_node(nbformat.from_dict(nb))
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    width, _ = page.get_size()
    text = page.get_textpage()
    footer_top = 20 / 25.4 * 72  # the bottom margin, 20 mm
    footer = text.get_text_bounded(0, 0, width * 0.75, footer_top).strip()  # the page number is further right
    running, _, as_of = footer.partition(" · Data as of ")  # issue 22: every page's footer carries the as-of date
    assert running.endswith("…") and len(running) <= RUNNING_TITLE_CHARS and running.startswith("Anthropic Anthropic")
    assert as_of == "27 March 2024"
    for i in range(text.count_chars()):  # no character of the body reaches into the footer, nor off the page
        left, bottom, right, top = text.get_charbox(i)
        assert left >= 0 and right <= width and (bottom >= footer_top or top <= footer_top)


def test_an_unexecuted_notebook_is_refused_with_a_clear_message():
    import nbformat

    from aiinvest.config import NOTEBOOKS_DIR
    from aiinvest.report.exporters import NotExecutedError

    nb = nbformat.read(NOTEBOOKS_DIR / "report.ipynb", as_version=4)
    for exporter in (ReportHTMLExporter, ReportPDFExporter):
        with pytest.raises(NotExecutedError, match="has not been run"):
            exporter().from_notebook_node(nb)


@pytest.mark.slow  # runs jupyter nbconvert
def test_nbconvert_refuses_an_unexecuted_notebook_and_writes_nothing(tmp_path):
    from aiinvest.config import NOTEBOOKS_DIR

    result = nbconvert(
        "--to", "AI_report_PDF", str(NOTEBOOKS_DIR / "report.ipynb"), "--output-dir", str(tmp_path), check=False
    )
    assert result.returncode != 0 and "has not been run" in result.stderr
    assert not list(tmp_path.iterdir())  # no hollow PDF


def test_plain_nbconvert_html_of_an_executed_report_shows_its_charts(built_report, tmp_path):
    from bs4 import BeautifulSoup

    nbconvert("--to", "html", str(built_report.outputs["notebook"]), "--output-dir", str(tmp_path))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    images = [i["src"] for i in BeautifulSoup(html, "html.parser").select(".jp-OutputArea-output img")]
    charts = [src for src in images if src.startswith("data:image/svg+xml") and len(src) > 10_000]
    assert len(charts) == 4  # each chart as its vector image: no script needed
    assert "Plotly.newPlot" not in html


def test_the_published_notebook_is_signed_and_an_edit_breaks_the_signature(built_report):
    import nbformat
    from nbformat.sign import NotebookNotary

    nb = nbformat.read(built_report.outputs["notebook"], as_version=4)
    assert NotebookNotary().check_signature(nb)  # trusted: JupyterLab shows the interactive charts
    nb.cells[-1].outputs = []
    assert not NotebookNotary().check_signature(nb)
