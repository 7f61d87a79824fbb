"""Issue 22: no claim, fact or source id nor reason code before the appendix, in the built HTML and PDF; the
appendix holds them. Built from the seeds, for the default subject and for an investor (company=Amazon)."""

import re

import pypdf
import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR

from aiinvest.analysis import codes
from aiinvest.analysis.reconcile import reconcile
from aiinvest.config import PARAMS_DIR
from aiinvest.data.load import load_tables
from aiinvest.report.document import APPENDIX_HEADING
from aiinvest.report.params import merged, read_params_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def investor_report(tmp_path_factory):
    """The default parameter file with `-p company=Amazon`, built from the seeds."""
    from aiinvest.pipeline import BuildRequest, build

    params = merged(read_params_file(PARAMS_DIR / "anthropic.yaml"), {"company": "Amazon", "data_dir": str(SEED_DIR)})
    result = build(BuildRequest(params=params, output_dir=tmp_path_factory.mktemp("reports")))
    assert result.status == 0, result.message
    return result


@pytest.fixture(scope="module")
def rec():
    """The seeds' reconciliation as of the newest source (the reports' date)."""
    tables = load_tables(SEED_DIR)
    return reconcile(tables, tables["sources"]["published_date"].max())


@pytest.fixture(scope="module")
def all_codes(rec) -> set[str]:
    """Every claim, fact and source id of the reconciliation, and every reason code it uses."""
    ids = set(rec.claims["claim_id"]) | set(rec.claims["fact_id"].dropna()) | set(rec.sources["source_id"])
    return ids | {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str) and "_" in v}


def found(text: str, wanted: set[str]) -> dict[str, str]:
    """Each code found in the text, with the words around its first occurrence."""
    hits = {}
    for code in sorted(wanted):
        if match := re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            hits[code] = text[max(0, match.start() - 60) : match.end() + 20]
    return hits


def html_parts(path) -> tuple[str, str]:
    """The HTML's visible text (and text alternatives) before the appendix's heading, and from it on."""
    html = path.read_text(encoding="utf-8")
    at = html.index('id="appendix"')
    parts = []
    for chunk in (html[:at], html[at:]):
        soup = BeautifulSoup(chunk, "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        alternatives = [t.get("aria-label", "") for t in soup.select("[aria-label]")] + [
            t.get("alt", "") for t in soup.select("img[alt]")
        ]
        parts.append(" ".join((soup.get_text(" ") + " " + " ".join(alternatives)).split()))
    return parts[0], parts[1]


def pdf_parts(path) -> tuple[str, str]:
    """The PDF's text before the appendix's heading (not its entry in the contents), and from it on."""
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(path).pages)
    text = re.sub(r"-\s+", "-", text)  # a code broken across lines at its hyphen
    at = text.rindex(APPENDIX_HEADING)
    return text[:at], text[at:]


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize("subject", ["built_report", "investor_report"])
def test_no_code_appears_before_the_appendix_and_the_appendix_has_them(request, subject, kind, all_codes, rec):
    built = request.getfixturevalue(subject)
    body, appendix = (html_parts if kind == "html" else pdf_parts)(built.outputs[kind])
    assert found(body, all_codes) == {}
    wanted = set(rec.claims["claim_id"]) | set(rec.claims["fact_id"].dropna()) | set(rec.sources["source_id"])
    assert wanted - set(found(appendix, wanted)) == set()  # every claim, fact and source, with its id, in the appendix


def test_an_investors_report_is_titled_for_the_investor(investor_report):
    soup = BeautifulSoup(investor_report.outputs["html"].read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("h1.report-title").get_text() == "The AI investment race: Amazon's investments in AI"
    assert "Anthropic's funding" not in soup.title.get_text()
    metadata = pypdf.PdfReader(investor_report.outputs["pdf"]).metadata
    assert metadata.title == "The AI investment race: Amazon's investments in AI"
