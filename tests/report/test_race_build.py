"""The race overview built end to end (params/race.yaml) from the seeds plus the invented rival pair: published
like every report, no code before the appendix, a tagged PDF/A, axe-core and the Nu HTML Checker find nothing,
no request leaves the page, an earlier overview shows only what was known then, and `diff` reads two overviews."""

import json
import subprocess

import pikepdf
import pytest
from bs4 import BeautifulSoup
from fixtures.browser import offline_page
from fixtures.report_text import codes_of
from fixtures.vnu import html_errors

from aiinvest.analysis.reconcile import reconcile
from aiinvest.config import PARAMS_DIR, PROJECT_ROOT
from aiinvest.data.load import load_tables
from aiinvest.report.document import APPENDIX_HEADING
from aiinvest.report.params import RACE_ID

pytestmark = pytest.mark.slow

NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
DECORATIVE = 'svg.main-svg[aria-hidden="true"]'  # plotly's layers: the chart's text alternative and data table stand in


@pytest.fixture(scope="module")
def data(built_reports):
    """The seeds with the invented rival pair (shared, read-only)."""
    return built_reports.data("rivals")


@pytest.fixture(scope="module")
def race(built_reports):
    """The overview as of a date before the seeds' newest article, then as of the newest source, into one folder
    (so the second has a previous report): built once per run (fixtures.builds)."""
    return built_reports.get("race")


@pytest.fixture(scope="module")
def out(race):
    return race[0].folder.parent.parent


@pytest.fixture(scope="module")
def early(race):
    """The overview as of a date before the seeds' newest article (only the rival pair's article is known)."""
    return race[0]


@pytest.fixture(scope="module")
def built(race):
    """The overview as of the newest source, built after the earlier one (so it has a previous report)."""
    return race[1]


def test_it_is_published_like_every_report(built, out):
    folder = out / RACE_ID
    assert (folder / "latest").resolve() == built.folder.resolve()
    assert built.folder.name == "2024-05-20"
    for name in ("report.html", "report.pdf", "figures.json", "manifest.json", "report.ipynb"):
        assert (built.folder / name).is_file(), name
    figures = json.loads((built.folder / "figures.json").read_text(encoding="utf-8"))
    assert figures["company_id"] == RACE_ID
    assert "Changes since the previous report" in (built.folder / "report.html").read_text(encoding="utf-8")


def test_an_earlier_overview_shows_only_what_was_known_then(early):
    figures = json.loads((early.folder / "figures.json").read_text(encoding="utf-8"))
    assert figures["sources"] == ["art-301"]
    assert not any("anthropic" in f["id"] for f in figures["figures"])
    text = BeautifulSoup(early.outputs["html"].read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "Anthropic" not in text and "Northwind Ventures" in text and "amount not reported" in text


def test_diff_reads_two_overviews(built, early):
    run = subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "aiinvest"), "diff", str(early.folder), str(built.folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr  # something changed
    assert "Microsoft in OpenAI, in all" in run.stdout


def all_codes(data) -> set[str]:
    tables = load_tables(data, validate=False)
    return codes_of(reconcile(tables, tables["sources"]["published_date"].max()))


def test_no_code_appears_before_the_appendix(built, data):
    html = built.outputs["html"].read_text(encoding="utf-8")
    body = html[: html.index('id="appendix"')]
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    said = " ".join(soup.get_text(" ").split())
    assert {c for c in all_codes(data) if f" {c} " in f" {said} "} == set()
    assert APPENDIX_HEADING in html


def test_the_pdf_is_a_tagged_pdf_a_3a(built):
    with pikepdf.open(built.outputs["pdf"]) as pdf:
        assert pdf.Root.Lang == "en"
        assert pdf.Root.MarkInfo.Marked is True
        with pdf.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
            assert "AI developers" in xmp["dc:description"]


def _need(path):
    if not path.exists():
        pytest.fail(f"{path.relative_to(PROJECT_ROOT)} is missing: run 'make node' (npm ci) first")
    return path


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_and_no_request_leaves_the_page(browser, built, width):
    page = offline_page(browser, width)
    try:
        page.goto(built.outputs["html"].resolve().as_uri())
        page.wait_for_function(f"document.querySelectorAll('{DECORATIVE}').length >= 1")  # the chart is drawn
        page.add_script_tag(content=_need(AXE).read_text(encoding="utf-8"))
        results = page.evaluate(
            "([context]) => axe.run(context, {resultTypes: ['violations', 'incomplete']})",
            [{"include": [["html"]], "exclude": [[DECORATIVE]]}],
        )
        assert [(r["id"], [n["target"] for n in r["nodes"][:3]]) for r in results["violations"]] == []
        assert [r["id"] for r in results["incomplete"]] == []
        width_ok = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        assert width_ok, "no sideways scrolling"
    finally:
        page.context.close()
    assert [u for u in page.requests if not u.startswith(("file://", "data:", "blob:"))] == []


def test_markup_is_valid_html(built):
    assert html_errors(built.outputs["html"])[built.outputs["html"].resolve()] == []


def test_a_dry_run_compares_with_the_published_overview(built, data, out):
    run = subprocess.run(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "aiinvest"),
            "build",
            str(PARAMS_DIR / "race.yaml"),
            "--dry-run",
            "--force",
            "-o",
            str(out),
            "-p",
            f"data_dir={data}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "The whole race: dry run:" in run.stdout
    assert not (out / RACE_ID / ".tmp").exists()
