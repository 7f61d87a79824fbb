"""End to end: the notebook executed by papermill on the seed data, rendered to HTML and PDF."""

import json
import re
from pathlib import Path

import nbformat
import pypdf
import pytest
from bs4 import BeautifulSoup

from aiinvest.config import PROJECT_ROOT
from aiinvest.report.exporters import inline_plotlyjs

KEY_FIGURES = ["$1.25B", "$2.75B", "$4B", "$2B", "$18.4B", "at least $10B"]
CHARTS = ["tranches", "funding", "valuation", "timeline"]


@pytest.fixture(scope="module")
def html(built_report) -> str:
    return built_report.outputs["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def html_text(html) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for script in soup(["script", "style"]):
        script.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.fixture(scope="module")
def pdf(built_report) -> pypdf.PdfReader:
    return pypdf.PdfReader(built_report.outputs["pdf"])


def test_html_holds_each_chart_as_a_plotly_figure(html):
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in html
    assert html.count("Plotly.newPlot(") == len(CHARTS)


def test_plotly_js_is_embedded_exactly_once(html):
    assert html.count(inline_plotlyjs()[:500]) == 1
    assert html.count("<script") - html.count("</script>") == 0


def test_html_requests_nothing_from_outside(html):
    without_plotly = html.replace(inline_plotlyjs(), "")
    assert not re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', without_plotly)
    assert "mathjax" not in without_plotly.lower().replace("mathjax_ignore", "")


def test_html_shows_key_figures_as_currency(html_text):
    for figure in KEY_FIGURES:
        assert figure in html_text, figure
    assert "\\$" not in html_text
    assert "Amazon's $4B came in two tranches: $1.25B in September 2023 (inferred)" in html_text
    assert "and the sources name who provided $6B of it: Amazon $4B and Google $2B" in html_text


def test_html_hides_code_and_shows_discrepancies_and_sources(html, html_text):
    assert "from aiinvest.report import prepare" not in html
    assert "report.chart(" not in html
    assert "Where the sources disagree" in html_text
    assert "Article of 27 March 2024 calls $4B the latest infusion" in html_text
    assert "What the sources cannot tell" in html_text and "Dated by one source only" in html_text
    assert "6205edc994ed9265295d83371dd4990a83d2ae80c00d10c9fd655b6f095483ba" in html_text


def test_pdf_text_holds_figures_page_numbers_and_appendix(pdf):
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    for figure in KEY_FIGURES:
        assert figure in text, figure
    assert f"Page 1 of {len(pdf.pages)}" in text
    assert f"Page {len(pdf.pages)} of {len(pdf.pages)}" in text
    assert "Appendix: the evidence behind every figure" in text
    assert "art-000" in text and "art-001" in text
    assert "27 March 2024" in text


def test_pdf_is_a4_by_default(pdf):
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_chart_pages_are_not_blank(built_report, pdf):
    import numpy as np
    import pypdfium2

    document = pypdfium2.PdfDocument(built_report.outputs["pdf"])
    chart_pages = [i for i, page in enumerate(pdf.pages) if "Figure 1." in (page.extract_text() or "")]
    assert chart_pages, "no page carries Figure 1"
    image = np.asarray(document[chart_pages[0]].render(scale=1).to_pil().convert("RGB")).astype(int)
    from aiinvest.report.charts.spec import INVESTOR_COLOURS

    coloured = 0
    for hex_colour in INVESTOR_COLOURS:  # the tranche bars are in their investor's colour
        colour = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        coloured += int((abs(image - colour).sum(axis=2) < 40).sum())
    assert coloured > 2000, f"only {coloured} chart-coloured pixels on page {chart_pages[0] + 1}"


def test_pdf_charts_are_vector_graphics(built_report):
    data = built_report.outputs["pdf"].read_bytes()
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data


def test_figure_files_written_beside_the_report(built_report):
    figures = built_report.folder / "figures"
    for chart in CHARTS:
        assert (figures / f"{chart}.svg").read_text().lstrip().startswith("<?xml")
        assert (figures / f"{chart}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_executed_notebook_is_the_record_and_holds_no_local_paths(built_report):
    path = built_report.outputs["notebook"]
    nb = nbformat.read(path, as_version=4)
    record = nb.metadata["papermill"]
    assert record["parameters"]["company"] == "Anthropic"
    assert record["parameters"]["as_of"] == "2024-03-27"
    assert record["input_path"] == "notebooks/report.ipynb"
    for output in built_report.folder.rglob("*"):
        if output.is_file() and output.suffix in {".ipynb", ".json", ".html", ".svg"}:
            text = output.read_text(encoding="utf-8")
            assert str(PROJECT_ROOT) not in text, output
            assert str(Path.home()) + "/" not in text, output


def test_manifest_describes_the_build(built_report):
    manifest = json.loads(built_report.outputs["manifest"].read_text())
    assert manifest["parameters"]["company_id"] == "anthropic"
    assert manifest["inputs"]["tests/fixtures/seed/raw/articles/001_ae6a560785f46407.txt"] == (
        "fe0b8ed3701028ff969bbbee8a713d638e11a6a93828c23b85a39deb7791307a"
    )
    assert "notebooks/report.ipynb" in manifest["inputs"]
    assert any(name.startswith("src/aiinvest/templates/") for name in manifest["inputs"])
    assert set(manifest["steps_seconds"]) >= {"validate", "execute", "html", "pdf"}
    assert manifest["packages"]["papermill"] and manifest["packages"]["python"]
    import hashlib

    for name, record in manifest["outputs"].items():
        assert hashlib.sha256((built_report.folder / name).read_bytes()).hexdigest() == record["sha256"]


def test_every_cross_reference_in_the_html_points_to_a_real_anchor(html):
    soup = BeautifulSoup(html, "html.parser")
    targets = [a["href"][1:] for a in soup.select('a[href^="#"]') if len(a["href"]) > 1]
    ids = {tag["id"] for tag in soup.select("[id]")}
    assert targets and sorted(set(targets) - ids) == []
    assert {"appendix", "source-art-000", "source-art-001"} <= set(targets)  # contents, key figures, captions
    assert {t for t in targets if t.startswith("claim-")}  # the sources' words link to their claims' rows
