"""Issue 22: no claim, fact or source id nor reason code before the appendix, in the built HTML and PDF; the
appendix holds them. Built from the seeds, for the default subject and for an investor (company=Amazon)."""

import pypdf
import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR
from fixtures.report_text import codes_of, found, html_parts, pdf_parts

from aiinvest.analysis.reconcile import reconcile
from aiinvest.data.load import load_tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def investor_report(built_reports):
    """The default parameter file with `-p company=Amazon`, built from the seeds (shared: fixtures.builds)."""
    return built_reports.one("investor")


@pytest.fixture(scope="module")
def rec():
    """The seeds' reconciliation as of the newest source (the reports' date)."""
    tables = load_tables(SEED_DIR)
    return reconcile(tables, tables["sources"]["published_date"].max())


@pytest.fixture(scope="module")
def all_codes(rec) -> set[str]:
    """Every claim, fact and source id of the reconciliation, and every reason code it uses."""
    return codes_of(rec)


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
