"""'Changes since the previous report' in words: built from two reconciliations of the frozen seeds, before and
after invented later articles (tests/fixtures/later.py), for an investee and an investor subject."""

import copy
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR
from fixtures.later import add_article
from markupsafe import escape

from aiinvest.report.changes import COLUMNS, compare, read_figures, to_json, to_markdown, to_text
from aiinvest.report.document import change_cells, prepare
from aiinvest.report.key_figures import FIGURES_VERSION, figures_document


def documented(data_dir, **params) -> tuple[dict, object]:
    """figures.json's content for a report on the data, and the report's view."""
    report = prepare(data_dir=str(data_dir), **params)
    return figures_document(report.view, report.key_figures), report.view


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    """figures.json before (the seeds) and after each invented article, for Anthropic and for Amazon."""
    built = {}
    for article in ("art-101", "art-102", "art-103"):
        data = tmp_path_factory.mktemp(article) / "data"
        shutil.copytree(SEED_DIR, data, ignore=shutil.ignore_patterns("README.md"))
        add_article(data, article)
        built[article, "data"] = data
        for company in ("Anthropic", "Amazon"):
            built[article, company] = documented(data, company=company)
    for company in ("Anthropic", "Amazon"):
        built["seed", company] = documented(SEED_DIR, company=company)
    return built


def changes_of(later, article: str, company: str = "Anthropic"):
    (old, _), (new, view) = later["seed", company], later[article, company]
    return compare(old, new), view


def codes(document: dict, view) -> set[str]:
    """Every internal code a reader must not see: source, claim and fact ids."""
    claims = view.rec.claims
    return set(document["sources"]) | set(claims["claim_id"]) | set(claims["fact_id"].dropna())


def assert_no_codes(rows, document: dict, view) -> None:
    words = " ".join(" ".join(row) for row in rows)
    found = {c for c in codes(document, view) if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", words)}
    assert not found, found


def row_of(rows, start: str) -> tuple[str, ...]:
    (row,) = [r for r in rows if r[0].startswith(start)]
    return row


def test_a_new_source_is_named_in_words_with_why_it_is_new(later):
    changes, view = changes_of(later, "art-101")
    rows = changes.rows()
    name = view.source_name("art-101")
    assert row_of(rows, "Source:") == (
        f"Source: {name}",
        "not used",
        "used",
        "published after the previous report's date",
    )
    assert "15 June 2024" in name and name in changes.summary() and "art-101" not in changes.summary()


def test_a_changed_figure_names_the_claims_added_by_quote_and_source(later):
    changes, view = changes_of(later, "art-101")
    _label, before, now, why = row_of(changes.rows(), "Google in Anthropic, in all")
    assert (before, now) == ("$2B", "$3B")
    quotes = view.rec.claims.set_index("claim_id")["quote"]
    assert f"added: “{quotes['inv-101']}” and “{quotes['inv-102']}” ({view.source_name('art-101')})" in why
    assert why.endswith("now reported by 2 sources")


def test_a_replaced_figure_says_which_claim_is_no_longer_counted(later):
    changes, view = changes_of(later, "art-101")
    _, before, now, why = row_of(changes.rows(), "Anthropic's total funding")
    quote = view.rec.claims.set_index("claim_id").loc["tot-01", "quote"]
    assert (before, now) == ("at least $10B", "at least $12B")
    assert f"no longer counted: “{quote}” ({view.source_name('art-000')})" in why
    assert "now reported by" not in why  # one source replaced another: not a confirmation


def test_a_figure_that_gained_a_confirming_source_says_so(later):
    changes, view = changes_of(later, "art-103")
    tranche = next(f for f in later["art-103", "Anthropic"][0]["figures"] if f["id"].startswith("tranche:"))
    _label, before, now, why = row_of(changes.rows(), tranche["label"])
    assert before == tranche["display"] and now == f"{tranche['display']} (unchanged)"
    assert why.endswith(f"now confirmed by {len(tranche['source_ids'])} sources")
    assert f"({view.source_name('art-103')})" in why


def test_claims_behind_no_figure_are_marked_too(later):
    changes, view = changes_of(later, "art-103")
    quote = view.rec.claims.set_index("claim_id").loc["ev-101", "quote"]
    row = row_of(changes.rows(), f"Claim: “{quote}")
    assert row == (f"Claim: “{quote}”", "new", "reported", f"from {view.source_name('art-103')}")


def test_an_investors_new_figure_is_marked_new_not_blank(later):
    changes, view = changes_of(later, "art-102", "Amazon")
    new = [row for row in changes.rows() if row[1] == "new" and not row[0].startswith("Claim:")]
    assert new and all(now.startswith("$") and why.startswith("added: “") for _, _, now, why in new)
    assert any(view.source_name("art-102") in why for *_, why in new)
    assert "1 figure new" in changes.summary() or "figures new" in changes.summary()


def test_a_figure_gone_is_no_longer_reported_and_the_source_published_after_the_date(later):
    (old, _), (new, _view) = later["art-101", "Anthropic"], later["seed", "Anthropic"]
    rows = compare(old, new).rows()
    assert row_of(rows, "Source:")[1:] == ("used", "no longer used", "published after this report's date")
    assert row_of(rows, "Google in Anthropic, in all")[1:3] == ("$3B", "$2B")
    gone = compare({**old, "figures": old["figures"] + [{**old["figures"][0], "id": "total:x:y"}]}, old)
    assert [row[1:3] for row in gone.rows()] == [(old["figures"][0]["display"], "no longer reported")]


@pytest.mark.parametrize(
    ("article", "company"), [("art-101", "Anthropic"), ("art-102", "Amazon"), ("art-103", "Anthropic")]
)
def test_no_internal_code_in_any_row_or_summary(later, article, company):
    changes, view = changes_of(later, article, company)
    document = later[article, company][0]
    assert_no_codes([*changes.rows(), (changes.summary(),)], document, view)
    assert_no_codes([(to_text(changes), to_markdown(changes))], document, view)


def test_a_version_1_previous_file_still_compares_by_names_from_the_new_one(later, tmp_path):
    (old, _), (new, view) = later["seed", "Anthropic"], later["art-101", "Anthropic"]
    version_1 = {k: v for k, v in old.items() if k not in ("source_details", "claims")} | {"version": 1}
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(version_1), encoding="utf-8")
    changes = compare(read_figures(path), new)
    assert row_of(changes.rows(), "Source:")[0] == f"Source: {view.source_name('art-101')}"
    assert not any(row[0].startswith("Claim:") for row in changes.rows())  # version 1 lists no claims
    assert_no_codes(changes.rows(), new, view)


def test_figures_json_version_2_is_valid_and_carries_names_and_claims(later, tmp_path):
    document, view = later["art-101", "Anthropic"]
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_figures(path) == document and document["version"] == FIGURES_VERSION == 2
    assert {s: d["name"] for s, d in document["source_details"].items()} == view.source_names
    assert document["source_details"]["art-101"]["published"] == "2024-06-15"
    quotes = view.rec.claims.set_index("claim_id")["quote"]
    assert {c: d["says"] for c, d in document["claims"].items()} == {c: quotes[c] for c in document["claims"]}
    assert set(document["claims"]) == set(view.rec.claims["claim_id"])
    about = {c for c, d in document["claims"].items() if d["about_subject"]}
    assert {c for f in document["figures"] for c in f["claim_ids"]} <= about
    assert {"inv-101", "tot-101", "ev-03"} <= about and "ev-08" not in about  # Microsoft in OpenAI is not
    amazon = {c for c, d in later["art-101", "Amazon"][0]["claims"].items() if d["about_subject"]}
    assert "st-01" in amazon and not {"inv-101", "tot-101", "ev-03"} & amazon  # about Google, Anthropic only
    missing = {k: v for k, v in document.items() if k != "claims"}
    path.write_text(json.dumps(missing), encoding="utf-8")
    with pytest.raises(ValueError, match="claims"):
        read_figures(path)


def test_a_claim_about_another_company_is_not_listed_and_one_gone_from_the_data_is(later):
    (old, _), (new, view) = later["seed", "Amazon"], later["art-101", "Amazon"]
    changes = compare(old, new)
    assert not changes.claims_added  # art-101 is about Google and Anthropic
    gone = {k: v for k, v in new["claims"].items() if k != "st-01"}
    rows = compare(old, {**new, "claims": gone}).rows()
    quote = view.rec.claims.set_index("claim_id").loc["st-01", "quote"]
    assert (f"Claim: “{quote}”", "reported", "no longer reported") == row_of(rows, "Claim:")[:3]


def test_the_table_has_four_worded_columns_and_nothing_blank_in_before_or_now(later):
    for key in [("art-101", "Anthropic"), ("art-102", "Amazon"), ("art-103", "Anthropic")]:
        changes, _ = changes_of(later, *key)
        assert COLUMNS == ("What", "Before", "Now", "Why")
        assert all(row[1] and row[2] for row in changes.rows())


def test_a_date_only_one_source_gave_becomes_a_disagreement_when_a_new_source_dates_it_otherwise(later):
    changes, view = changes_of(later, "art-103")  # art-103 dates the AWS choice to September 2023, art-000 to March
    assert not changes.disagreements_resolved and not changes.disagreements_widened
    [opened] = changes.disagreements_opened
    assert "art-103" in opened["source_ids"] and view.source_name("art-103") in opened["explanation"]


def test_a_disagreement_a_new_source_joins_is_still_open_not_opened_and_resolved(later):
    (_, _), (new, view) = later["seed", "Anthropic"], later["art-103", "Anthropic"]
    old = copy.deepcopy(new)  # the same report before art-103 joined its disagreement
    for d in old["disagreements"]:
        d["source_ids"] = [s for s in d["source_ids"] if s != "art-103"]
        d["id"] = "+".join(c for c in d["id"].split("+") if c != "ev-101")
    changes = compare(old, new)
    rows = [row for row in changes.rows() if row[0].startswith("Disagreement:")]
    assert rows and not changes.disagreements_opened and not changes.disagreements_resolved
    for _, before, now, why in rows:
        assert (before, now) == ("open", "still open") and view.source_name("art-103") in why


def test_a_claim_behind_several_figures_is_quoted_once_then_counted(later):
    changes, view = changes_of(later, "art-101")
    rows = changes.rows()
    quote = view.rec.claims.set_index("claim_id").loc["inv-101", "quote"]
    assert sum(quote in row[3] for row in rows) == 1
    later_rows = [
        row for row in rows[rows.index(row_of(rows, "Google in Anthropic, in all")) + 1 :] if "claims" in row[3]
    ]
    assert later_rows and all(re.search(r"added( too)?: \d+ claims? quoted above", row[3]) for row in later_rows)


def test_the_reports_changes_section_links_sources_and_claims_and_shows_no_codes(later, tmp_path):
    (old, _), (new, view) = later["seed", "Anthropic"], later["art-103", "Anthropic"]
    previous = tmp_path / "figures.json"
    previous.write_text(json.dumps(old), encoding="utf-8")
    report = prepare(data_dir=str(later["art-103", "data"]), previous=str(previous))
    html = report.changes().data
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one('a[href="#source-art-103"]')
    assert (
        link is not None and link["title"] == "art-103" and link.get_text() == f"Source: {view.source_name('art-103')}"
    )
    assert soup.select_one('a[href="#claim-ev-101"]')["title"] == "ev-101"  # the appendix row of the claim
    assert any("inv-105" in span["title"] for span in soup.select("td span[title]"))  # ids in tooltips only
    visible = soup.get_text(" ")
    assert_no_codes([(visible,)], new, view)
    assert [th.get_text() for th in soup.select("thead th")] == list(COLUMNS)
    assert not soup.select('a[href^="#claim-inv-"]')  # a figure's row links nothing: its claims are in a tooltip


def test_the_json_record_has_the_rows_in_words_with_their_ids_and_only_the_claims_named(later):
    changes, _ = changes_of(later, "art-101")
    record = json.loads(to_json(changes))
    assert [(r["what"], r["before"], r["now"], r["why"]) for r in record["rows"]] == changes.rows()
    assert record["rows"][0]["ids"] == ["art-101"] and record["sources_added"] == ["art-101"]
    assert set(record["claims"]) == {"inv-101", "inv-102", "tot-101", "tot-01"}


def test_several_new_sources_are_counted_in_the_summary_and_named_in_their_rows(later):
    (old, _), (new, view) = later["seed", "Anthropic"], later["art-101", "Anthropic"]
    changes = compare({**old, "sources": ["art-000"]}, new)
    assert "2 new sources;" in changes.summary() and "(" not in changes.summary().split("2 new sources")[1][:2]
    named = [row[0] for row in changes.rows() if row[0].startswith("Source:")]
    assert named == [f"Source: {view.source_name(s)}" for s in ("art-001", "art-101")]


def test_nothing_changed_says_so_in_one_sentence_without_a_table(later, tmp_path):
    (same, _) = later["art-101", "Anthropic"]
    previous = tmp_path / "figures.json"
    previous.write_text(json.dumps(same), encoding="utf-8")
    html = prepare(data_dir=str(later["art-101", "data"]), previous=str(previous)).changes().data
    soup = BeautifulSoup(html, "html.parser")
    assert "Nothing has changed since the previous report (as of 15 June 2024)." in soup.get_text(" ")
    assert soup.find("table") is None


def test_a_disagreement_opened_or_resolved_names_its_sources(later):
    (old, _), (new, view) = later["seed", "Anthropic"], later["art-101", "Anthropic"]
    disagreement = {
        "id": "x:fact:c-1+c-2",
        "topic": "when it happened",
        "explanation": "",
        "source_ids": ["art-000", "art-101"],
    }
    names = f"{view.source_name('art-000')} and {view.source_name('art-101')}"
    opened = compare(old, {**new, "disagreements": [disagreement]}).rows()
    assert ("Disagreement: when it happened", "none", "open", f"between {names}") in opened
    resolved = compare({**new, "disagreements": [disagreement]}, new).rows()
    assert ("Disagreement: when it happened", "open", "resolved", f"was between {names}") in resolved


def test_names_and_quotes_from_the_data_stay_text_in_the_changes_table(later, tmp_path):
    (old, _), (new, _) = later["seed", "Anthropic"], later["art-101", "Anthropic"]
    hostile = '<a href="https://evil.example/">Evil</a> & <b>Co</b>'
    new = json.loads(json.dumps(new))
    new["source_details"]["art-101"]["name"] = hostile
    new["claims"]["inv-101"]["says"] = hostile
    cells = [change_cells(row) for row in compare(old, new).entries()]
    html = "".join(str(escape(cell)) for row in cells for cell in row)
    assert 'evil.example/">' not in html and "<b>" not in html and "&lt;b&gt;Co&lt;/b&gt;" in html
    assert '<a href="#source-art-101" title="art-101">Source: &lt;a href=' in html
