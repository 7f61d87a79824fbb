"""Issue 23, point 2, end to end: reports for a company the sources give no figure for (OpenAI, from the seeds) and
for a company that both invests and receives money (Anthropic with the invented art-401) build like every report:
titled from the subject, no code before the appendix, no axe violation, valid HTML, nothing fetched from outside.
An unknown company still stops the build with exit status 64."""

import json
import subprocess
import sys

import pikepdf
import pypdf
import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR
from fixtures.browser import offline_page
from fixtures.report_text import found, html_parts, pdf_parts
from fixtures.vnu import html_errors

from aiinvest import exitcodes
from aiinvest.analysis.reconcile import reconcile
from aiinvest.config import PROJECT_ROOT
from aiinvest.data.load import load_tables

pytestmark = pytest.mark.slow

DUAL_CHARTS = 6  # tranches, funding, valuation, investments, portfolio, timeline
# As in test_html_accessibility and test_codes_in_appendix_only (test modules do not import each other).
NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}
DECORATIVE = 'svg.main-svg[aria-hidden="true"]'  # plotly's layers, marked by the report's script: out of axe's run


def _need(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(PROJECT_ROOT)} is missing: run 'make node' (npm ci) first")
    return path


def _axe(page, **context) -> dict:
    page.add_script_tag(content=_need(AXE).read_text(encoding="utf-8"))
    return page.evaluate(
        "([context]) => axe.run(context, {resultTypes: ['violations', 'incomplete']})",
        [{"include": [["html"]], **context}],
    )


def _summary(results: list) -> list:
    return [(r["id"], len(r["nodes"]), [n["target"] for n in r["nodes"][:3]]) for r in results]


@pytest.fixture(scope="module")
def dual_data(built_reports):
    """A copy of the seeds with the invented art-401 (Anthropic invests in an invented startup); shared, read-only."""
    return built_reports.data("dual")


@pytest.fixture(scope="module")
def openai_report(built_reports):
    """The default parameter file with `-p company=OpenAI -p title=` (the subject's own title), from the seeds."""
    return built_reports.one("openai")


@pytest.fixture(scope="module")
def dual_report(built_reports):
    """The default parameter file with `-p company=Anthropic -p title=`, from the seeds with art-401."""
    return built_reports.one("dual")


@pytest.fixture(scope="module")
def built(openai_report, dual_report, dual_data):
    """Each report with the reconciliation it was built from and the number of charts it draws."""
    seeds, dual = load_tables(SEED_DIR), load_tables(dual_data)
    return {
        "openai": (openai_report, reconcile(seeds, seeds["sources"]["published_date"].max()), 0),
        "dual": (dual_report, reconcile(dual, dual["sources"]["published_date"].max()), DUAL_CHARTS),
    }


def test_a_company_without_figures_is_built_titled_and_says_what_is_known(openai_report):
    html = openai_report.outputs["html"].read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("h1.report-title").get_text() == "The AI investment race: what the sources say about OpenAI"
    assert pypdf.PdfReader(openai_report.outputs["pdf"]).metadata.title == soup.select_one("h1").get_text()
    assert "None: the sources published by 27 March 2024 give no figure for OpenAI." in soup.get_text(" ")
    assert len(soup.select("table.relations tbody tr")) == 2 and soup.select("figure.chart-figure") == []
    figures = json.loads(openai_report.outputs["figures"].read_text(encoding="utf-8"))
    assert (figures["company_id"], figures["figures"]) == ("openai", [])
    assert openai_report.folder.parent.name == "openai"
    pdf_text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(openai_report.outputs["pdf"]).pages)
    assert "What the sources report about OpenAI" in pdf_text and "What the sources cannot tell" in pdf_text


def test_a_company_that_invests_and_receives_money_is_built_with_both_views(dual_report):
    soup = BeautifulSoup(dual_report.outputs["html"].read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("h1").get_text() == "The AI investment race: Anthropic's funding and investments"
    ids = [div["id"] for div in soup.select("figure.chart-figure .js-plotly-plot, figure.chart-figure [id^=chart-]")]
    assert {f"chart-{c}" for c in ("funding", "investments", "portfolio")} <= set(ids)
    summary = soup.select_one(".summary").get_text(" ")
    assert "Anthropic has raised" in summary and "Anthropic has put $0.75B into Nimbus Robotics" in summary


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize("subject", ["openai", "dual"])
def test_no_code_appears_before_the_appendix(built, subject, kind):
    report, rec, _ = built[subject]
    ids = set(rec.claims["claim_id"]) | set(rec.claims["fact_id"].dropna()) | set(rec.sources["source_id"])
    body, appendix = (html_parts if kind == "html" else pdf_parts)(report.outputs[kind])
    assert found(body, ids) == {}
    assert ids - set(found(appendix, ids)) == set()


def _open(browser, path, width: int, charts: int):
    """The report in a page at this width, its charts drawn; every request recorded, none let out."""
    page = offline_page(browser, width)
    page.goto(path.resolve().as_uri())
    if charts:
        page.wait_for_function(f"document.querySelectorAll('{DECORATIVE}').length >= {charts}")
    return page


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("subject", ["openai", "dual"])
def test_axe_finds_no_violation_and_nothing_leaves_the_page(browser, built, subject, width):
    report, _, charts = built[subject]
    page = _open(browser, report.outputs["html"], width, charts)
    try:
        results = _axe(page, exclude=[[DECORATIVE]])
        assert _summary(results["violations"]) == []
        assert _summary(results["incomplete"]) == []
        assert [u for u in page.requests if not u.startswith(("file:", "data:", "blob:"))] == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def markup_errors(built):
    """vnu's errors for both reports, from one run (fixtures.vnu)."""
    return html_errors(*(report.outputs["html"] for report, _, _ in built.values()))


@pytest.mark.parametrize("subject", ["openai", "dual"])
def test_markup_is_valid_html(built, markup_errors, subject):
    assert markup_errors[built[subject][0].outputs["html"].resolve()] == []


def test_an_unknown_company_still_stops_the_build_with_exit_status_64(tmp_path):
    command = ["build", "-o", str(tmp_path), "-p", "company=Nvidia"]
    result = subprocess.run(
        [sys.executable, "-m", "aiinvest.cli", "--data-dir", str(SEED_DIR), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == exitcodes.PARAMETERS == 64
    assert "'company': value 'Nvidia': expected a company in the data (Anthropic, Amazon," in result.stderr
    assert not any(tmp_path.iterdir())


def test_the_pdf_without_charts_is_still_a_tagged_pdf_a_with_its_outline_and_links(openai_report):
    with pikepdf.open(openai_report.outputs["pdf"]) as pdf:
        assert pdf.Root.Lang == "en" and pdf.Root.MarkInfo.Marked is True
        with pdf.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
            assert xmp["dc:title"] == "The AI investment race: what the sources say about OpenAI"
            assert "OpenAI" in xmp["pdf:Keywords"]
        with pdf.open_outline() as outline:
            (title,) = outline.root
            sections = [item.title for item in title.children]
        assert sections[:3] == ["Contents", "What the sources report about OpenAI", "Where the sources disagree"]
        names = {str(k) for k in pdf.Root.Names.Dests.Names[::2]} if "/Names" in pdf.Root else set()
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        internal = [a for a in links if "/Dest" in a or ("/A" in a and a.A.get("/S") == "/GoTo")]
        assert len(internal) >= 4  # the contents, and the sources of the ties
        for link in internal:
            dest = link.get("/Dest", link.get("/A", {}).get("/D"))
            assert isinstance(dest, pikepdf.Array) or str(dest) in names
