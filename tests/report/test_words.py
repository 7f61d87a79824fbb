"""Issue 22's words: the finding first, disagreements sorted honestly, what the sources cannot tell; no codes."""

import re

import pytest
from fixtures import SEED_DIR
from fixtures.later import ARTICLES, add_article

from aiinvest.report import text
from aiinvest.report.document import prepare
from aiinvest.report.key_figures import figures_document

SEED = {"data_dir": str(SEED_DIR)}
CODE = re.compile(r"\b(?:art|inv|tot|st|ev|val)-\d+\b")
ATTRIBUTES = re.compile(r'\s(?:title|href|id)="[^"]*"')  # tooltips and links may carry ids; readers do not see them


def visible(html: str) -> str:
    """The text a reader sees: tags' attributes (tooltips, link targets, anchors) left out."""
    return ATTRIBUTES.sub("", html)


def codes_in(report, shown: str) -> list[str]:
    """Claim, source and fact ids in what a reader sees."""
    facts = {str(f) for f in report.rec.claims["fact_id"].dropna()}
    return CODE.findall(shown) + [f for f in facts if f in shown]


@pytest.fixture(scope="module")
def seeds():
    return prepare(**SEED)


@pytest.fixture
def later(data_dir):
    """The data with every invented later article added."""
    for article in ARTICLES:
        add_article(data_dir, article)
    return data_dir


def test_the_summary_states_the_finding_first(seeds):
    assert text.summary(seeds.view) == [
        "Anthropic has raised at least $10B, and the sources name who provided $6B of it: Amazon $4B and Google $2B.",
        "Amazon's $4B came in two tranches: $1.25B in September 2023 (inferred) and $2.75B in March 2024 (inferred).",
        "Anthropic was reported to be valued at $18.4B on 27 March 2024 (date inferred).",
        "The sources disagree on 2 points, set out under 'Where the sources disagree'.",
    ]


@pytest.mark.parametrize("company", ["Anthropic", "Amazon", "Google"])
def test_the_summary_has_two_to_four_sentences_without_codes_or_as_of_openings(company):
    report = prepare(company=company, **SEED)
    summary = text.summary(report.view)
    assert 2 <= len(summary) <= 4
    assert not any(s.startswith("As of") for s in summary)
    assert codes_in(report, " ".join(summary)) == []


def test_an_investor_summary_says_what_it_put_in_and_where():
    assert text.summary(prepare(company="Amazon", **SEED).view) == [
        "Amazon has put $4B into Anthropic, in two tranches: $1.25B in September 2023 (inferred) and $2.75B in "
        "March 2024 (inferred).",
        "Anthropic has raised at least $10B in all; the sources name who provided $6B of it.",
        "The sources disagree on 2 points, 1 of them about Amazon, set out under 'Where the sources disagree'.",
    ]


def test_the_summary_follows_later_articles(later):
    summary = text.summary(prepare(data_dir=str(later)).view)
    assert summary[0] == (
        "Anthropic has raised at least $16B (at least $12B reported on 15 June 2024, inferred, plus $4B in tranches "
        "announced since), and the sources name who provided $11B of it: Amazon $8B and Google $3B."
    )
    assert summary[1].startswith("Amazon's $8B came in three tranches: ")
    assert summary[2] == "Anthropic was reported to be valued at about $40B on 22 November 2024 (date inferred)."
    assert summary[3].startswith("The sources disagree on 4 points")
    investor = text.summary(prepare(data_dir=str(later), company="Google").view)
    assert investor[0] == (
        "Google has put $3B into Anthropic, a running total the sources report; they itemise one tranche: $1B on "
        "15 June 2024 (inferred)."
    )


def test_a_date_one_source_omits_is_listed_apart_and_not_counted(seeds):
    html = seeds.discrepancies().data
    table, _, listed = html.partition("Dated by one source only")
    assert table.count("<tr") == 1 + 2  # the header row and the 2 disagreements
    assert "Claude 3 unveiled" in table and "Amazon&#39;s investment in Anthropic" in table
    assert "AWS primary cloud" not in table
    assert (
        "AWS primary cloud: Undated article (March 2024, inferred) dates it to March 2024 (inferred); Article of 27 "
        "March 2024 gives no date. The report uses the date given."
    ) in listed
    assert [d["topic"] for d in figures_document(seeds.view, seeds.key_figures)["disagreements"]] == [
        "Amazon's investment in Anthropic",
        "Claude 3 unveiled",
    ]
    coverage = seeds.rec.coverage.set_index("fact_id")["status"]
    assert coverage["aws-primary-cloud"] == "agree"


def test_each_disagreement_says_which_reading_is_used_and_links_its_sources(seeds):
    html = seeds.discrepancies().data
    assert '<th scope="col">Reading used, and why</th>' in html
    assert "The report does not choose between the dates: the timeline shows each date with its source." in html
    assert '<a href="#source-art-001" title="art-001">Article of 27 March 2024</a>' in html
    assert codes_in(seeds, visible(html)) == []


def test_a_second_date_makes_it_a_disagreement(data_dir):
    add_article(data_dir, "art-103")  # dates the AWS choice to September 2023
    report = prepare(data_dir=str(data_dir))
    html = report.discrepancies().data
    assert "Dated by one source only" not in html
    assert "AWS primary cloud" in html and "dates it to September 2023" in html
    assert text.disagreement_sentence(report.view).startswith("The sources disagree on 3 points")


def test_what_the_sources_cannot_tell(seeds):
    assert text.cannot_tell(seeds.view, seeds.key_figures) == [
        "How much: Microsoft has invested in OpenAI (according to Undated article (March 2024, inferred)); no "
        "source says how much.",
        "Who provided the rest: no source names the investors behind at least $4B of Anthropic's at least $10B.",
        "Whether the money was paid: Amazon's $2.75B in Anthropic (March 2024, inferred) is reported as announced; "
        "no source says it was committed.",
        "What the valuation measures: Article of 27 March 2024 reports Anthropic's valuation as $18.4B without "
        "saying whether it is before or after the new money (pre- or post-money); its date, 27 March 2024, is "
        "inferred. Funding raised divided by it is not an ownership share.",
        "Confirmation: Undated article (March 2024, inferred) alone reports Amazon in Anthropic, tranche 2 ($2.75B) "
        "and Anthropic's total funding (at least $10B); Article of 27 March 2024 alone reports Google in "
        "Anthropic, in all ($2B) and Anthropic's valuation ($18.4B). No other source confirms them.",
        "Exact dates: all 16 dated claims carry a date inferred from the text, not stated; Undated article (March "
        "2024, inferred) gives no publication date; it is inferred from the text.",
    ]
    html = seeds.cannot_tell().data
    assert html.count("<li>") == 6 and codes_in(seeds, visible(html)) == []


def test_what_the_sources_cannot_tell_an_investor():
    report = prepare(company="Amazon", **SEED)
    said = text.cannot_tell(report.view, report.key_figures)
    assert [s.split(":")[0] for s in said] == ["How much", "Whether the money was paid", "Confirmation", "Exact dates"]
    assert (
        "Confirmation: Undated article (March 2024, inferred) alone reports Amazon in Anthropic, tranche 2" in (said[2])
    )


def test_what_the_sources_cannot_tell_follows_later_articles(later):
    report = prepare(data_dir=str(later))
    said = text.cannot_tell(report.view, report.key_figures)
    assert "no source names the investors behind at least $5B of Anthropic's at least $16B." in said[1]
    assert said[2] == (
        "Whether the money was paid: Google's $1B in Anthropic (15 June 2024, inferred) and Amazon's $4B in "
        "Anthropic (22 November 2024, inferred) are reported as announced; no source says they were committed."
    )
    assert "reports Anthropic's valuation as about $40B without saying whether" in said[3]
    assert said[-1].startswith("Exact dates: 23 of the 26 dated claims carry a date inferred")
    for shown in (report.cannot_tell().data, report.discrepancies().data):
        assert codes_in(report, visible(shown)) == []


def test_a_stated_basis_and_date_leave_nothing_open_about_the_valuation(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace(",true,'now'", ",false,'now'"))
    report = prepare(data_dir=str(data_dir))
    said = [s for s in text.cannot_tell(report.view, report.key_figures) if s.startswith("What the valuation")]
    assert said and "its date" not in said[0] and "pre- or post-money" in said[0]  # the basis is still 'reported'
