"""The report's exporters are registered with nbconvert and give the build's output."""

import subprocess
import sys

import pypdf
from nbconvert.exporters import get_export_names, get_exporter

from aiinvest.report.exporters import ReportHTMLExporter, ReportPDFExporter


def test_exporters_are_registered_entry_points():
    names = get_export_names()
    assert "aiinvest_html" in names and "aiinvest_pdf" in names
    assert get_exporter("aiinvest_html") is ReportHTMLExporter
    assert get_exporter("aiinvest_pdf") is ReportPDFExporter
    assert ReportHTMLExporter.export_from_notebook and ReportPDFExporter.export_from_notebook


def test_nbconvert_cli_gives_the_same_output_as_the_build(built_report, tmp_path):
    notebook = built_report.outputs["notebook"]
    for exporter in ("aiinvest_html", "aiinvest_pdf"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                exporter,
                str(notebook),
                "--output-dir",
                str(tmp_path),
            ],
            check=True,
            capture_output=True,
        )
    assert (tmp_path / "report.html").read_bytes() == built_report.outputs["html"].read_bytes()

    def text(path):
        return [page.extract_text() for page in pypdf.PdfReader(path).pages]

    assert text(tmp_path / "report.pdf") == text(built_report.outputs["pdf"])


def test_pdf_page_size_follows_the_parameter(built_report):
    import io

    import nbformat

    nb = nbformat.read(built_report.outputs["notebook"], as_version=4)
    nb.metadata["papermill"]["parameters"]["page_size"] = "Letter"
    pdf, _ = ReportPDFExporter().from_notebook_node(nb)
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
