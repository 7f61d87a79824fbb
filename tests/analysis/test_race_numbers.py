"""The race overview's numbers (analysis.race): every pair, every developer, ties and timeline, true at a date.

Read on the frozen seeds and on invented articles (tests/fixtures/articles): art-301, about another pair,
published before the seeds' newest article, and the later ones.
"""

from functools import cache

import pandas as pd
import pytest
from fixtures.later import ARTICLES, RIVAL_ARTICLES, published, tables_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiinvest.analysis.race import Race, race
from aiinvest.analysis.reconcile import reconcile

D = pd.Timestamp
INVENTED = (*RIVAL_ARTICLES, *ARTICLES)
SEED_DAY = D("2024-03-27")  # the seeds' newest article


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """tables(articles): the seed tables plus those invented articles, loaded once per set."""
    return tables_with(tmp_path_factory)


@pytest.fixture(scope="module")
def at(tables):
    @cache
    def run(articles: frozenset[str], as_of: pd.Timestamp) -> Race:
        return race(reconcile(tables(articles), as_of))

    return run


def pairs(r: Race) -> dict[tuple[str, str], tuple]:
    return {(p.investor_id, p.investee_id): (p.total_usd, p.qualifier, p.basis, p.source_ids) for p in r.pairs}


def summary(r: Race) -> tuple:
    """Everything the overview shows, as plain values (for comparing two overviews)."""
    developers = tuple(
        (
            d.company_id,
            d.funding.named_usd,
            d.funding.total_usd,
            d.funding.total_qualifier,
            None if d.valuation is None else (d.valuation["claim_id"], d.valuation["valuation_usd"]),
            d.investor_ids,
        )
        for d in r.developers
    )
    tranches = {k: tuple(p.tranches["fact_id"].astype(str)) for k, p in zip(pairs(r), r.pairs, strict=True)}
    return (
        pairs(r),
        tranches,
        developers,
        r.ties.astype(str).to_dict("records"),
        r.timeline.astype(str).to_dict("records"),
    )


def test_seeds_every_investor_with_its_amount_or_none(at):
    r = at(frozenset(), SEED_DAY)
    assert pairs(r) == {
        ("amazon", "anthropic"): (4e9, "exact", "tranches", ("art-000", "art-001")),
        ("google", "anthropic"): (2e9, "exact", "reported", ("art-001",)),
        ("microsoft", "openai"): (None, None, None, ("art-000",)),  # reported without an amount: not $0, not left out
    }
    amountless = next(p for p in r.pairs if not p.amount_known)
    assert amountless.tranches.empty


def test_seeds_every_developer_with_what_is_known(at):
    r = at(frozenset(), SEED_DAY)
    anthropic, openai = r.developers
    assert anthropic.company_id == "anthropic"
    assert (anthropic.funding.total_usd, anthropic.funding.total_qualifier) == (10e9, "at_least")
    assert anthropic.valuation["valuation_usd"] == 18.4e9
    assert anthropic.investor_ids == ("amazon", "google")
    assert openai.company_id == "openai"  # no figure: it appears with what is known
    assert (openai.funding.total_usd, openai.funding.named_usd, openai.valuation) == (None, 0.0, None)
    assert openai.investor_ids == ("microsoft",)


def test_seeds_ties_and_timeline(at):
    r = at(frozenset(), SEED_DAY)
    assert set(r.ties["kind"]) == {"cloud_partnership", "consulting_partnership", "rumoured_collaboration", "backing"}
    cloud = r.ties.set_index("fact_id").loc["aws-primary-cloud"]
    assert cloud["source_ids"] == ("art-000", "art-001")  # one tie, every source
    assert r.timeline["date"].is_monotonic_increasing
    assert r.timeline["date"].notna().all()
    assert list(r.timeline["kind"]).count("tranche") == 2


def test_a_rival_pair_before_the_seeds_shows_only_what_was_known(at):
    r = at(frozenset(INVENTED), D("2024-01-20"))
    assert set(r.rec.sources["source_id"]) == {"art-301"}
    assert pairs(r) == {
        ("microsoft", "openai"): (13e9, "exact", "reported", ("art-301",)),
        ("northwind", "openai"): (None, None, None, ("art-301",)),
    }
    (openai,) = r.developers
    assert (openai.valuation["valuation_usd"], openai.valuation["qualifier"]) == (86e9, "about")
    assert list(r.ties["fact_id"]) == ["openai-azure-cloud"]


def test_a_running_total_and_its_tranches_are_not_double_counted(at):
    before, after = at(frozenset(INVENTED), D("2024-03-27")), at(frozenset(INVENTED), D("2024-06-01"))
    assert pairs(before)[("microsoft", "openai")][0] == 13e9  # $13B total with its $1B tranche inside it
    assert pairs(after)[("microsoft", "openai")][0] == 15e9  # then $2B more, restated as $15B: not 13 + 2 + 1
    openai = next(d for d in after.developers if d.company_id == "openai")
    assert openai.funding.named_usd == 15e9
    microsoft = next(p for p in after.pairs if p.investor_id == "microsoft")
    assert list(microsoft.tranches["amount_usd"]) == [1e9, 2e9]


@pytest.mark.parametrize("as_of", ["2024-01-15", "2024-03-01", "2024-03-27", "2024-06-15", "2024-12-05"])
def test_the_overview_as_of_a_date_uses_only_sources_published_by_then(at, as_of):
    r = at(frozenset(INVENTED), D(as_of))
    known = set(r.rec.sources.loc[r.rec.sources["published_date"] <= D(as_of), "source_id"])
    assert known == set(r.rec.sources["source_id"])
    used = {s for p in r.pairs for s in p.source_ids}
    used |= {s for ids in r.ties["source_ids"] for s in ids} | {s for ids in r.timeline["source_ids"] for s in ids}
    used |= {s for d in r.developers for s in d.funding.source_ids}
    assert used <= known


@settings(  # costly examples: 30 at most, fewer under a smaller profile (fast, once)
    max_examples=min(30, settings.default.max_examples), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    articles=st.frozensets(st.sampled_from(INVENTED)),
    later=st.frozensets(st.sampled_from(INVENTED), min_size=1),
    day=st.sampled_from(sorted({SEED_DAY, *map(published, INVENTED)})),
)
def test_adding_an_article_never_changes_an_earlier_overview(at, articles, later, day):
    known = frozenset(a for a in articles if published(a) <= day)
    added = articles | frozenset(a for a in later if published(a) > day)
    assert summary(at(added, day)) == summary(at(known, day))
