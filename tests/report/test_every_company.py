"""Issue 23, point 2: every company can be a subject (in-process, on the seeds and on invented articles).

A company the sources mention without any amount (OpenAI, Microsoft in the seeds) gets a report of what they say
about it and what they do not; a company that both invests and receives money (Anthropic once the invented art-401
has it invest in an invented startup) gets both views in one report.
"""

import json
import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR
from fixtures.later import ARTICLES, add_article, published

from aiinvest.analysis.asof import tables_as_of
from aiinvest.data.load import load_tables
from aiinvest.report import about, key_figures, text
from aiinvest.report.changes import compare
from aiinvest.report.charts.figures import timeline_items
from aiinvest.report.document import RELATIONS, prepare
from aiinvest.report.key_figures import figures_document
from aiinvest.report.params import ParameterError, mentioned

SEED = {"data_dir": str(SEED_DIR)}
SCHEMA = json.loads((Path(key_figures.__file__).parent / "figures.schema.json").read_text(encoding="utf-8"))
DUAL = "art-401"  # INVENTED FOR TESTS: Anthropic puts money into Nimbus Robotics, an invented startup


def visible(html: str) -> str:
    """The text a reader sees (no attributes: tooltips and link targets may hold codes)."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def codes_in(shown: str, report) -> list[str]:
    """Claim, fact and source ids of the report's reconciliation found in the text."""
    rec = report.rec
    ids = set(rec.claims["claim_id"]) | set(rec.claims["fact_id"].dropna()) | set(rec.sources["source_id"])
    return sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown))


def body(report, monkeypatch) -> tuple[str, list[str]]:
    """The HTML the report's header and figures() display, and the ids of the charts they draw."""
    shown, charts = [report.header().data], []

    def display(part, **options):
        if options.get("raw"):
            charts.append(options["metadata"]["aiinvest"]["chart"])
        else:
            shown.append(part.data)

    monkeypatch.setattr("aiinvest.report.document.display", display)
    report.figures()
    return "".join(shown), charts


@pytest.fixture(scope="module")
def openai():
    return prepare(company="OpenAI", **SEED)


@pytest.fixture(scope="module")
def microsoft():
    return prepare(company="microsoft", **SEED)


@pytest.fixture
def dual(data_dir):
    """The seeds with the invented art-401: Anthropic now both receives and invests money."""
    add_article(data_dir, DUAL)
    return data_dir


def test_a_company_without_figures_is_titled_for_what_the_sources_say(openai, microsoft):
    assert openai.title == "The AI investment race: what the sources say about OpenAI"
    assert microsoft.title == "The AI investment race: what the sources say about Microsoft"
    assert (openai.view.has_figures, microsoft.view.has_figures) == (False, False)


def test_its_summary_says_there_is_no_figure_then_what_the_sources_report(openai, microsoft):
    assert text.summary(openai.view) == [
        "No source published by 27 March 2024 gives a figure for OpenAI: no amount invested in it or by it, no "
        "valuation and no total funding.",
        "They report 2 ties with other companies: Microsoft has invested in OpenAI (Undated article (March 2024, "
        "inferred)) and Anthropic was founded by former OpenAI research executives and employees (Undated article "
        "(March 2024, inferred)).",
        "The sources disagree on 2 points, none of them about OpenAI, set out under 'Where the sources disagree'.",
    ]
    assert text.summary(microsoft.view)[1] == (
        "They report one tie with another company: Microsoft has invested in OpenAI (Undated article (March 2024, "
        "inferred))."
    )


def test_it_has_no_key_figures_and_says_so(openai, monkeypatch):
    assert openai.key_figures == []
    document = figures_document(openai.view, openai.key_figures)
    jsonschema.validate(document, SCHEMA)
    assert (document["company_id"], document["figures"]) == ("openai", [])
    html, charts = body(openai, monkeypatch)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("table.key-figures") == []
    assert visible(str(soup.select_one(".key-figures-none"))) == (
        "Key figures. None: the sources published by 27 March 2024 give no figure for OpenAI."
    )
    assert charts == []  # no amount and no dated event: nothing to draw


def test_its_ties_are_a_table_naming_the_other_companies_and_the_sources(openai, monkeypatch):
    html, _ = body(openai, monkeypatch)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(f"#{RELATIONS[0]}").get_text() == "What the sources report about OpenAI"
    rows = [[visible(str(td)) for td in tr.select("td")] for tr in soup.select("table.relations tbody tr")]
    assert rows == [
        ["Microsoft has invested in OpenAI", "Microsoft", "not stated", "Undated article (March 2024, inferred)"],
        [
            "Anthropic was founded by former OpenAI research executives and employees",
            "Anthropic",
            "not stated",
            "Undated article (March 2024, inferred)",
        ],
    ]
    links = {a["href"]: a["title"] for a in soup.select("table.relations a")}
    assert links == {"#source-art-000": "art-000"}  # the id only in the tooltip and the link
    assert codes_in(visible(html), openai) == []


def test_what_the_sources_cannot_tell_starts_with_the_missing_figures(openai):
    said = text.cannot_tell(openai.view, openai.key_figures)
    assert said[0] == (
        "Any figure: no source says how much OpenAI has raised or invested, or what it is worth (no investment "
        "amount, valuation or total funding)."
    )
    assert (
        "How much: Microsoft has invested in OpenAI (according to Undated article (March 2024, inferred)); no "
        in (said[1])
    )


def test_a_rumoured_tie_with_a_date_gets_the_timeline(monkeypatch):
    apple = prepare(company="Apple", **SEED)
    (tie,) = list(text.relations(apple.view).itertuples())
    assert tie.what == "Apple is rumoured to be considering a collaboration with Anthropic for its iOS 18 update"
    assert (tie.others, tie.when, tie.status) == ("Anthropic", "27 March 2024 (inferred)", "rumoured")
    assert list(apple.charts) == ["timeline"]
    _, charts = body(apple, monkeypatch)
    assert charts == ["timeline"]


def test_a_company_mentioned_by_name_only_says_so(data_dir, edit_csv):
    edit_csv("event_parties", lambda t: t.replace("ev-05,accenture,partner\n", ""))
    accenture = prepare(company="Accenture", data_dir=str(data_dir))
    assert text.summary(accenture.view)[1] == "They mention Accenture by name only (Article of 27 March 2024)."
    assert text.relations(accenture.view).empty and accenture.relations() is None


def test_a_company_that_invests_and_receives_money_gets_both_views(dual, monkeypatch):
    report = prepare(company="Anthropic", data_dir=str(dual))
    view = report.view
    assert (view.is_investee, view.is_investor) == (True, True)
    assert report.title == "The AI investment race: Anthropic's funding and investments"
    assert about.subject_title(view) == "Anthropic's funding and investments"
    summary = text.summary(view)
    assert summary[0].startswith("Anthropic has raised at least $10B")  # the funding view first
    assert summary[3] == (
        "Anthropic has put $0.75B into Nimbus Robotics, in two tranches: $0.25B in January 2024 and $0.5B on "
        "20 May 2024 (inferred)."
    )  # then what it put in, and where
    assert len(summary) == 5 and summary[-1].startswith("The sources disagree")
    assert list(report.charts) == ["tranches", "funding", "valuation", "investments", "portfolio", "timeline"]
    labels = [f.label for f in report.key_figures]
    assert "Anthropic's total funding" in labels and "Anthropic in Nimbus Robotics, in all" in labels
    assert len({f.id for f in report.key_figures}) == len(report.key_figures)
    labels = set(timeline_items(view)["label"])
    assert {"Amazon $1.25B", "Into Nimbus Robotics $0.25B", "Into Nimbus Robotics $0.5B"} <= labels  # which way
    html, charts = body(report, monkeypatch)
    assert charts == list(report.charts)
    headings = [h.get_text() for h in BeautifulSoup(html, "html.parser").select("h2")]
    assert headings[-3:] == [
        "Investments Anthropic made, by tranche",
        "Anthropic's investment in each company",
        "Timeline",
    ]
    assert codes_in(visible(BeautifulSoup(html, "html.parser").select_one(".summary").decode()), report) == []


def test_the_invested_in_company_gets_the_funding_view(dual):
    nimbus = prepare(company="Nimbus Robotics", data_dir=str(dual))
    assert nimbus.title == "The AI investment race: Nimbus Robotics's funding"
    assert text.summary(nimbus.view)[0] == (
        "The sources name $0.75B invested in Nimbus Robotics (Anthropic $0.75B) and report no total, so it has raised "
        "at least that."
    )


def test_before_the_article_the_reports_are_as_they_were(dual):
    """Truth at a date: as of the seeds' date, the invented article is not known: no second role, no startup."""
    before = prepare(company="Anthropic", as_of="2024-03-27", data_dir=str(dual))
    seeds = prepare(company="Anthropic", **SEED)
    assert before.title == seeds.title == "The AI investment race: Anthropic's funding"
    assert text.summary(before.view) == text.summary(seeds.view)
    assert [f.record() for f in before.key_figures] == [f.record() for f in seeds.key_figures]
    with pytest.raises(ParameterError, match="no source known then mentions Nimbus Robotics"):
        prepare(company="Nimbus Robotics", as_of="2024-03-27", data_dir=str(dual))
    assert published(DUAL) > pd.Timestamp("2024-03-27")


def test_a_later_article_with_amounts_turns_a_company_without_figures_into_an_investor(data_dir):
    """The invented art-201 gives Microsoft's tranches into OpenAI: the same subjects now have figures."""
    add_article(data_dir, "art-201")
    microsoft = prepare(company="Microsoft", data_dir=str(data_dir))
    openai = prepare(company="OpenAI", data_dir=str(data_dir))
    assert microsoft.title == "The AI investment race: Microsoft's investments in AI"
    assert openai.title == "The AI investment race: OpenAI's funding"
    assert text.summary(microsoft.view)[0].startswith("Microsoft has put at least $14B into OpenAI")
    assert any(f.label == "OpenAI's valuation" and f.display == "about $86B" for f in openai.key_figures)
    assert text.summary(openai.view)[0] == (
        "The sources name at least $14B invested in OpenAI (Microsoft at least $14B) and report no total, so it has "
        "raised at least that."
    )  # a lower bound among the named investors makes their sum one
    named = next(f for f in openai.key_figures if f.id == "named:openai")
    assert (named.display, named.qualifier) == ("at least $14B", "at_least")
    said = " ".join(text.cannot_tell(openai.view, openai.key_figures))
    assert "Microsoft has invested in OpenAI" not in said  # a source now says how much
    earlier = prepare(company="OpenAI", as_of="2024-03-27", data_dir=str(data_dir))
    assert earlier.title == "The AI investment race: what the sources say about OpenAI"
    assert "How much: Microsoft has invested in OpenAI" in " ".join(text.cannot_tell(earlier.view, []))


def test_what_changed_when_a_company_without_figures_gets_them(data_dir):
    """The previous report had no figure: each figure the later article brings is new, with its quote."""
    old = prepare(company="OpenAI", **SEED)
    add_article(data_dir, "art-201")
    new = prepare(company="OpenAI", data_dir=str(data_dir))
    changes = compare(figures_document(old.view, old.key_figures), figures_document(new.view, new.key_figures))
    rows = {row.what: (row.before, row.now) for row in changes.entries()}
    assert rows["OpenAI's valuation"] == ("new", "about $86B")
    assert rows["Microsoft in OpenAI, in all"] == ("new", "at least $14B")
    assert "1 new source" in changes.summary()


def test_statements_about_a_company_without_figures_are_pointed_to_and_shown(data_dir, edit_csv, monkeypatch):
    edit_csv(
        "statements",
        lambda t: t.replace(
            "st-05,anthropic-attracts-investment,art-000,anthropic,",
            "st-05,anthropic-attracts-investment,art-000,openai,",
        ),
    )
    openai = prepare(company="OpenAI", data_dir=str(data_dir))
    assert text.summary(openai.view)[2] == (
        "Undated article (March 2024, inferred) quotes 1 statement about OpenAI, under 'What the sources say in words'."
    )
    html, _ = body(openai, monkeypatch)
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.select("h2")] == ["What the sources report about OpenAI", text.WORDS_HEADING]
    assert "underscored by its ability to attract significant investment" in soup.get_text(" ")


def test_every_company_the_sources_mention_gets_a_report_at_every_date(data_dir):
    """With every invented article added, each company any known source mentions is a subject at each date: its
    title names it, its summary and key figures carry no code, and a company is refused before any source names it."""
    for article in (*ARTICLES, "art-201", DUAL):
        add_article(data_dir, article)
    tables = load_tables(data_dir)
    dates = sorted(set(tables["sources"]["published_date"]))
    refused, titles = [], set()
    for as_of in (dates[1], published(DUAL), dates[-1]):
        known = mentioned(tables_as_of(tables, as_of))
        for company in tables["companies"]["company_id"]:
            params = {"company": company, "as_of": as_of.date().isoformat(), "data_dir": str(data_dir)}
            if company not in known:
                with pytest.raises(ParameterError, match="no source known then mentions"):
                    prepare(**params)
                refused.append((company, as_of))
                continue
            report = prepare(**params)
            assert report.view.subject in report.title
            header = BeautifulSoup(report.header().data, "html.parser")
            assert codes_in(visible(str(header)), report) == [], (company, as_of)
            assert len({f.id for f in report.key_figures}) == len(report.key_figures)
            titles.add(about.subject_title(report.view))
    assert refused == [("nimbus", pd.Timestamp("2024-03-27"))]  # known from art-401 only
    assert {"Anthropic's funding", "Anthropic's funding and investments", "Microsoft's investments in AI"} <= titles
    assert {"OpenAI's funding", "what the sources say about OpenAI", "what the sources say about Apple"} <= titles
