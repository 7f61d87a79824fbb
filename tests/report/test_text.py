"""The report's words and tables: computed from the reconciliation, in one unit, true at their date."""

import re
from pathlib import Path

import pytest
from fixtures import SEED_DIR
from fixtures.later import ARTICLES, add_article

from aiinvest.config import NOTEBOOKS_DIR, TEMPLATES_DIR
from aiinvest.report import text
from aiinvest.report.document import facts_table, prepare
from aiinvest.report.key_figures import key_figures

SEED = {"data_dir": str(SEED_DIR)}  # the frozen seed data (tests/fixtures/README.md)


@pytest.fixture(scope="module")
def report():
    return prepare(**SEED)


def sections(report) -> dict[str, str]:
    """Every text the report shows, by section (HTML fragments and chart captions)."""
    return {
        "header": report.header().data,
        "discrepancies": report.discrepancies().data,
        "coverage": report.coverage().data,
        "facts": report.facts().data,
        "sources": report.sources().data,
        "method": report.method().data,
        "statements": "".join(s.data for t in ("investment", "funding", "valuation") if (s := report.statements(t))),
        "captions": "\n".join(f"{c.title}\n{c.caption}" for c in report.charts.values()),
    }


def test_summary_and_key_figures_say_as_of_when_and_from_which_sources(report):
    header = report.header().data
    assert (
        "This report rests on 2 news articles published on or before 27 March 2024, one dated in its text and one "
        "with a date inferred from its content."
    ) in header
    assert "Articles published after 27 March 2024 are not used" in header
    assert "Amazon&#39;s $4B came in two tranches: $1.25B in September 2023 (inferred) and $2.75B in March" in header
    rows = [f.row() for f in key_figures(report.view)]
    assert all(row["as_of"] and row["sources"] for row in rows)
    total = next(row for row in rows if row["label"] == "Anthropic's total funding")
    assert (total["value"], total["as_of"], total["sources"]) == ("at least $10B", "27 March 2024", "art-000")
    link = '<a href="#source-art-000" title="art-000">Undated article (March 2024, inferred)</a>'
    assert f'<td data-label="Sources">{link}</td></tr>' in header  # the total's row cites its source by name
    assert total["how"] == "reported as of March 2024 (inferred); a lower bound"


def test_the_wording_disagreement_is_explained_with_the_tranches_known_then(report):
    html = report.discrepancies().data
    assert (
        "Article of 27 March 2024 calls $4B the latest infusion, but $4B equals the sum of the 2 tranches known on "
        "27 March 2024 ($1.25B + $2.75B)."
    ) in html
    assert (
        "Read as Amazon&#39;s running total on 27 March 2024, not a new tranche, because the amounts add up. The "
        "latest tranche itself is $2.75B, as Undated article (March 2024, inferred) reports."
    ) in html
    assert "Article of 27 March 2024 gives no date" in html  # the AWS choice: dated by one source only


def test_statements_without_a_figure_are_shown_beside_the_investor(report):
    html = report.statements("investment").data
    assert "In the sources&#39; words, about Amazon" in html
    assert "its largest outside commitment to date" in html
    assert "marking the retail giant&#39;s largest venture cheque to date" in html
    assert report.statements("valuation") is None


def test_facts_table_says_how_each_investment_claim_was_read(report):
    facts = facts_table(report.view).set_index("Claim")
    assert facts.loc["inv-05", "What"].endswith("read as running total: the sum of the tranches known then")
    assert facts.loc["inv-06", "What"].endswith("read as the total so far: no tranche known then")
    assert len(facts) == len(report.rec.claims)


AMOUNT = re.compile(r"\$[0-9][0-9,.]*([BM])\b")


@pytest.mark.parametrize(("unit", "other"), [("millions", "B"), ("billions", "M")])
def test_every_amount_follows_the_unit_parameter(unit, other):
    texts = sections(prepare(unit=unit, **SEED))
    units = {name: {m.group(1) for m in AMOUNT.finditer(text)} for name, text in texts.items()}
    assert all(other not in found for found in units.values()), units
    assert units["header"] == {"M" if unit == "millions" else "B"}
    if unit == "millions":
        assert "$4,000M" in texts["header"] and "$1,250M + $2,750M" in texts["discrepancies"]


def test_a_report_as_of_a_date_is_unchanged_by_later_articles(data_dir):
    before = sections(prepare(data_dir=str(data_dir), as_of="2024-03-27"))
    for article in ARTICLES:
        add_article(data_dir, article)
    after = prepare(data_dir=str(data_dir), as_of="2024-03-27")
    assert sections(after) == before
    latest = sections(prepare(data_dir=str(data_dir)))
    assert latest["header"] != before["header"]


def test_an_investor_subject_gets_the_investments_made_view():
    report = prepare(company="Amazon", **SEED)
    assert list(report.charts) == ["investments", "portfolio", "timeline"]
    header = report.header().data
    assert "Amazon has put $4B into Anthropic, in two tranches: $1.25B in September 2023 (inferred) and $2.75" in header
    assert [f.label for f in key_figures(report.view)] == [
        "Amazon in Anthropic, tranche 1",
        "Amazon in Anthropic, tranche 2",
        "Amazon in Anthropic, in all",
    ]


# A count of sources or claims typed by hand: "two news articles", "Neither names ...", "3 claims".
NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|\d+"
HAND_TYPED = re.compile(
    rf"\b(?:{NUMBER_WORDS})\s+(?:news\s+)?(?:articles?|sources?|claims?|tranches?|investors?)\b(?!\s+per\b)"
    r"|\b(?:neither|both)\s+(?:article|source|of the)",
    re.IGNORECASE,
)


def hand_typed(text: str) -> list[str]:
    """Phrases that state a count of the data by hand."""
    return [m.group(0) for m in HAND_TYPED.finditer(text)]


def test_the_detector_finds_hand_typed_counts():
    assert hand_typed("Two news articles, stored byte-for-byte. Neither article names a publisher.") == [
        "Two news articles",
        "Neither article",
    ]
    assert hand_typed("Built from {{ n_sources }} and {{ n_claims }}; one claim per row") == []


@pytest.mark.parametrize(
    "path",
    sorted(NOTEBOOKS_DIR.glob("*.py")) + sorted(p for p in TEMPLATES_DIR.rglob("*.j2")),
    ids=lambda p: str(p.name),
)
def test_no_notebook_cell_or_template_types_a_count_of_the_data(path: Path):
    assert hand_typed(path.read_text(encoding="utf-8")) == []


def test_an_investor_without_tranches_is_described_without_inventing_any():
    report = prepare(company="Google", **SEED)
    assert list(report.charts) == ["portfolio"]
    assert "Google has put $2B into Anthropic, none of it itemised by tranche." in (report.header().data)


def test_a_later_restatement_is_not_cited_as_the_contradiction(data_dir):
    add_article(data_dir, "art-103")  # restates tranche 2 in December 2024
    html = prepare(data_dir=str(data_dir)).discrepancies().data
    assert "The latest tranche itself is $2.75B, as Undated article (March 2024, inferred) reports." in html


def test_sentences_about_a_company_without_named_investors_or_tranches(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace(",anthropic,", ",openai,"))  # every investment into another company
    report = prepare(data_dir=str(data_dir))
    summary = " ".join(text.summary(report.view))
    assert "Anthropic has raised at least $10B; the sources name none of its investors." in summary
    assert "()" not in summary and "$0B" not in summary
    assert "$0B" not in report.charts["funding"].caption
    ratio = next(f for f in report.key_figures if f.unit == "share")
    assert ratio.display == "at least 54%"  # the reported total is what was raised


def test_the_ratio_is_bounded_as_both_figures_are(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("18400000000,exact", "18400000000,at_least"))
    ratio = next(f for f in prepare(data_dir=str(data_dir)).key_figures if f.unit == "share")
    assert (ratio.display, ratio.qualifier) == ("not bounded", "unbounded")
    edit_csv("funding_totals", lambda t: t.replace("10000000000,at_least", "10000000000,exact"))
    ratio = next(f for f in prepare(data_dir=str(data_dir)).key_figures if f.unit == "share")
    assert (ratio.display, ratio.qualifier) == ("at most 54%", "at_most")
    assert "is not stated, and the ratio is not an ownership share" in ratio.how  # said beside it, always


def test_the_disagreement_count_says_how_many_concern_the_subject():
    sentence = text.disagreement_sentence(prepare(company="Google", **SEED).view)
    assert sentence == (
        "The sources disagree on 2 points, none of them about Google, set out under 'Where the sources disagree'."
    )
