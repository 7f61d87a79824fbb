"""The race overview's words, tables and figures (report.race), in-process: seeds and invented articles.

The property test: for every pair, at every as-of date of a random history, the overview's figures are
the subject reports' figures (a report on the investor, and on the developer where it lists the pair).
"""

import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from fixtures.later import ARTICLES, RIVAL_ARTICLES, published, tables_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiinvest.analysis import codes
from aiinvest.analysis.race import race
from aiinvest.analysis.reconcile import reconcile
from aiinvest.report import key_figures as kf
from aiinvest.report import race as words
from aiinvest.report import text
from aiinvest.report.params import RACE_ID, RACE_NAME, resolve

D = pd.Timestamp
INVENTED = (*RIVAL_ARTICLES, *ARTICLES)
SCHEMA = json.loads((Path(kf.__file__).parent / "figures.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """tables(articles): the seed tables plus those invented articles, loaded once per set."""
    return tables_with(tmp_path_factory)


def overview(tables, as_of: str | pd.Timestamp):
    rec = reconcile(tables, D(as_of))
    names = dict(zip(rec.companies["company_id"], rec.companies["name"], strict=True))
    view = words.race_view(rec, "billions", names)
    return view, race(rec), names


def codes_in(strings, rec) -> set[str]:
    """Claim, fact and source ids or reason codes found in the strings (words for the body of the report)."""
    ids = set(rec.claims["claim_id"]) | set(rec.claims["fact_id"].dropna().astype(str)) | set(rec.sources["source_id"])
    ids |= {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str) and "_" in v}
    said = " ".join(strings)
    return {c for c in ids if c in said}


def body_strings(view, r) -> list[str]:
    frames = [f(view, r) for f in (words.investor_rows, words.developer_rows, words.tie_rows, words.timeline_rows)]
    cells = [str(v) for f in frames for v in f.drop(columns="source_ids").to_numpy().ravel()]
    figures = words.race_figures(view, r)
    return [*cells, *words.summary(view, r), *words.cannot_tell(view, r, figures), *(f.label for f in figures)]


def test_seeds_investors_side_by_side_with_amount_not_reported(tables):
    view, r, _ = overview(tables(frozenset()), "2024-03-27")
    investors = words.investor_rows(view, r).set_index("Investor")
    assert investors.loc["Amazon", "Amount"] == "$4B"
    assert "2 tranches: $1.25B in September 2023 (inferred) and $2.75B" in investors.loc["Amazon", "How it is known"]
    assert investors.loc["Google", "Amount"] == "$2B"
    assert investors.loc["Microsoft", "Amount"] == "amount not reported"  # never $0, never left out
    assert investors.loc["Microsoft", "source_ids"] == ("art-000",)


def test_seeds_developers_side_by_side(tables):
    view, r, _ = overview(tables(frozenset()), "2024-03-27")
    developers = words.developer_rows(view, r).set_index("AI developer")
    assert list(developers.index) == ["Anthropic", "OpenAI"]
    assert developers.loc["Anthropic", "Funding raised"] == "at least $10B"  # a lower bound stays a bound
    assert developers.loc["Anthropic", "Latest valuation"] == "$18.4B (27 March 2024, inferred)"
    assert developers.loc["Anthropic", "Named investors"] == "Amazon and Google"
    assert developers.loc["OpenAI", "Funding raised"] == "not reported"  # a developer without a figure
    assert developers.loc["OpenAI", "Named investors"] == "Microsoft (amount not reported)"
    assert developers.loc["OpenAI", "source_ids"] == ("art-000",)


def test_seeds_ties_each_with_its_sources(tables):
    view, r, _ = overview(tables(frozenset()), "2024-03-27")
    ties = words.tie_rows(view, r).set_index("Kind")
    assert ties.loc["rumoured collaboration", "Companies"] == "Apple and Anthropic"
    assert ties.loc["cloud partnership", "source_ids"] == ("art-000", "art-001")
    assert view.sources_in_words(ties.loc["cloud partnership", "source_ids"]).lower().count("article") == 2


def test_summary_finding_first_and_no_code_in_the_body(tables):
    view, r, _ = overview(tables(frozenset(INVENTED)), "2024-06-15")
    said = words.summary(view, r)
    assert said[0].startswith("As of 15 June 2024, the sources name 4 investors backing 2 companies")
    assert "Microsoft's $15B in OpenAI" in said[1]
    assert "OpenAI is valued at about $86B (15 January 2024, inferred)" in said[2]
    assert codes_in(body_strings(view, r), r.rec) == set()


def test_a_rival_pair_before_the_seeds(tables):
    view, r, _ = overview(tables(frozenset(INVENTED)), "2024-01-20")
    investors = words.investor_rows(view, r).set_index("Investor")
    assert list(investors.index) == ["Microsoft", "Northwind Ventures"]  # no Anthropic: not known yet
    assert investors.loc["Microsoft", "Amount"] == "$13B"
    assert "running total" in investors.loc["Microsoft", "How it is known"]
    assert investors.loc["Northwind Ventures", "Amount"] == "amount not reported"
    developers = words.developer_rows(view, r).set_index("AI developer")
    assert developers.loc["OpenAI", "Latest valuation"] == "about $86B (15 January 2024, inferred)"


def test_figures_document_is_valid_and_about_the_race(tables):
    view, r, _ = overview(tables(frozenset(INVENTED)), "2024-06-15")
    document = words.race_document(view, words.race_figures(view, r))
    jsonschema.validate(document, SCHEMA)
    assert (document["company_id"], document["company_name"]) == (RACE_ID, RACE_NAME)
    ids = {f["id"] for f in document["figures"]}
    assert {"total:microsoft:openai", "total:amazon:anthropic", "valuation:openai", "funding:anthropic"} <= ids
    assert document["sources"] == sorted(r.rec.sources["source_id"])


def test_the_race_parameter_needs_no_company(tables):
    params = resolve({"view": "race"}, tables(frozenset()))
    assert (params.company_id, params.company_name) == (RACE_ID, RACE_NAME)
    with pytest.raises(ValueError, match="'view'"):
        resolve({"view": "everything"}, tables(frozenset()))
    with pytest.raises(ValueError, match="'company': value 'Amazon': expected none with view race"):
        resolve({"view": "race", "company": "Amazon"}, tables(frozenset()))


def subject_figures(rec, names, company_id: str) -> dict[str, kf.Figure]:
    """The figures of a subject report on one company (as the build makes them), by id."""
    view = text.View(rec, company_id, "billions", names)
    made = {f.id: f for f in kf.key_figures(view)}
    return {**{f.id: f for f in kf._investor_figures(view)}, **made}  # a company that also raises money: both views


PAIR_PREFIXES = ("tranche:", "total:")


@settings(  # costly examples: 25 at most, fewer under a smaller profile (fast, once)
    max_examples=min(25, settings.default.max_examples), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    history=st.frozensets(st.sampled_from(INVENTED)),
    day=st.sampled_from(sorted({D("2024-03-27"), *map(published, INVENTED)})),
)
def test_the_overviews_pair_figures_are_the_subject_reports(tables, history, day):
    view, r, names = overview(tables(history), day)
    figures = {f.id: f for f in words.race_figures(view, r) if f.id.startswith(PAIR_PREFIXES)}
    for pair in (p for p in r.pairs if p.amount_known):
        investor = subject_figures(r.rec, names, pair.investor_id)
        developer = subject_figures(r.rec, names, pair.investee_id)
        total = f"total:{pair.investor_id}:{pair.investee_id}"
        assert figures[total] == investor[total]
        if total in developer:  # the developer's report lists its largest investors
            assert figures[total] == developer[total]
        assert figures[total].value == pair.total_usd
        for fact in pair.tranches["fact_id"].astype(str):
            assert figures[f"tranche:{fact}"] == investor[f"tranche:{fact}"]
        # never double counted: the total is its tranches' sum, or a reported running total at least as large
        assert pair.total_usd >= pair.tranches["amount_usd"].sum()
    amountless = [p for p in r.pairs if not p.amount_known]
    assert not {f"total:{p.investor_id}:{p.investee_id}" for p in amountless} & set(figures)


def test_the_developers_chart_states_its_finding_with_bounds_hatched(tables):
    view, r, _ = overview(tables(frozenset()), "2024-03-27")
    chart = words.developers_chart(view, r)
    assert chart.title == "Anthropic has raised at least $10B"  # OpenAI has no figure: no bar, no zero
    (bar,) = chart.traces
    assert bar.hatch and bar.labels == ("at least $10B",)
    view, r, _ = overview(tables(frozenset(INVENTED)), "2024-06-15")
    chart = words.developers_chart(view, r)
    assert chart.categories == ("OpenAI", "Anthropic")
    assert chart.title.startswith("OpenAI has raised $15B from named investors, the most of 2 AI developers")
    assert codes_in([chart.title, chart.caption], r.rec) == set()


def test_the_race_timeline_chart_spans_every_company(tables):
    view, r, _ = overview(tables(frozenset(INVENTED)), "2024-03-27")
    chart = words.timeline_chart(view, r)
    assert chart.title == "8 dated events across 7 companies, from July 2019 to March 2024"
    assert codes_in([chart.title, chart.caption], r.rec) == set()
    view, r, _ = overview(tables(frozenset()), "2024-03-01")
    assert "from September 2023 to March 2024" in words.timeline_chart(view, r).title  # art-000 only


@settings(  # costly examples: 20 at most, fewer under a smaller profile (fast, once)
    max_examples=min(20, settings.default.max_examples), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    history=st.frozensets(st.sampled_from(INVENTED)),
    later=st.frozensets(st.sampled_from(INVENTED), min_size=1),
    day=st.sampled_from(sorted({D("2024-03-27"), *map(published, INVENTED)})),
)
def test_a_later_article_never_changes_an_earlier_overviews_figures_or_words(tables, history, later, day):
    known = frozenset(a for a in history if published(a) <= day)
    added = history | frozenset(a for a in later if published(a) > day)
    (view, r, _), (view2, r2, _) = overview(tables(known), day), overview(tables(added), day)
    assert words.race_document(view, words.race_figures(view, r)) == words.race_document(
        view2, words.race_figures(view2, r2)
    )
    assert body_strings(view, r) == body_strings(view2, r2)
