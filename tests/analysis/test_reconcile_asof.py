"""The point-in-time reconciliation, `aiinvest.analysis.reconcile.reconcile(tables, as_of)`.

Three parts: the real data (the seed articles, frozen in tests/fixtures/seed); the real data plus
invented later articles (tests/fixtures/articles, INVENTED FOR TESTS, not real news) read at each
report date; and properties of random histories built in memory (hypothesis).
"""

import dataclasses
import itertools
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures import SEED_DIR, seed_copy
from fixtures.later import ARTICLES, FIXTURES, MARKER, add_article, article_file, fixture_rows
from fixtures.later import published as publication_date
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from aiinvest.analysis import codes
from aiinvest.analysis.reconcile import Reconciliation, reconcile
from aiinvest.config import DATA_DIR
from aiinvest.data.load import load_tables
from aiinvest.data.registry import Tables, claim_tables
from aiinvest.data.schema import PANDAS_DTYPES, field_types, read_descriptor, resources
from aiinvest.data.validate import validate_package

D = pd.Timestamp
REAL: tuple[str, ...] = ()  # no invented article: the real data
REPORT_DATES = [D("2024-03-27"), D("2024-06-15"), D("2024-11-22"), D("2024-12-05"), D("2025-01-10")]
STAKE_2024_03 = "amazon-anthropic-stake-2024-03"
TRANCHE_1, TRANCHE_2, TRANCHE_3 = (f"amazon-anthropic-tranche-{n}" for n in (1, 2, 3))


# --------------------------------------------------------------------------------------------
# Data folders: the real data, and the real data plus invented later articles
# --------------------------------------------------------------------------------------------

ARTICLE_SETS = sorted({*(ARTICLES[:k] for k in range(len(ARTICLES) + 1)), *((a,) for a in ARTICLES)})


@pytest.fixture(scope="module")
def data_dirs(tmp_path_factory) -> dict[tuple[str, ...], Path]:
    """The real data plus: nothing, each prefix of the invented articles, and each one alone."""
    dirs = {}
    for articles in ARTICLE_SETS:
        target = seed_copy(tmp_path_factory.mktemp("data") / "data")
        for article in articles:
            add_article(target, article)
        dirs[articles] = target
    return dirs


@pytest.fixture(scope="module")
def at(data_dirs):
    """at(articles, date): the reconciliation of the real data plus those articles, computed once."""
    tables = {articles: load_tables(path, validate=False) for articles, path in data_dirs.items()}

    @cache
    def run(articles: tuple[str, ...], as_of: pd.Timestamp) -> Reconciliation:
        return reconcile(tables[articles], as_of)

    return run


@pytest.fixture(scope="module")
def real(at) -> Reconciliation:
    return at(REAL, D("2024-03-27"))


def ids(frame: pd.DataFrame, column: str) -> list[str]:
    return [str(value) for value in frame[column]]


def by_claim(r: Reconciliation) -> pd.DataFrame:
    return r.interpretations.set_index("claim_id")


def disagreement_keys(r: Reconciliation) -> set[tuple[str, str, tuple[str, ...]]]:
    d = r.disagreements
    return {(str(c), str(f), tuple(ids_)) for c, f, ids_ in zip(d["code"], d["fact_id"], d["claim_ids"], strict=True)}


def assert_same_position(p, q) -> None:
    """Two FundingPositions (or ValuationComparisons) are equal, field by field."""
    assert type(p) is type(q)
    if p is None:
        return
    for field in dataclasses.fields(p):
        x, y = getattr(p, field.name), getattr(q, field.name)
        if isinstance(x, pd.DataFrame):
            assert_frame_equal(x, y, obj=field.name)
        elif dataclasses.is_dataclass(x):
            assert_same_position(x, y)
        else:
            assert x == y, field.name


def assert_same(a: Reconciliation, b: Reconciliation) -> None:
    """Two reconciliations say the same: every frame, and the funding and valuation figures of every company."""
    assert a.as_of == b.as_of
    for name in Reconciliation.FRAMES:
        assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    investees = {"anthropic", *a.funding["company_id"], *b.funding["company_id"], *a.valuations["company_id"]}
    for company in sorted(investees):  # (funding_at is not free: only companies with figures)
        assert_same_position(a.funding_at(company), b.funding_at(company))
        assert_same_position(a.valuation_comparison(company), b.valuation_comparison(company))


# --------------------------------------------------------------------------------------------
# The invented articles themselves
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES)
def test_fixture_articles_are_marked_invented(article):
    assert article_file(article).read_text(encoding="utf-8").splitlines()[0].startswith(MARKER)
    for path in (FIXTURES / article).iterdir():
        assert MARKER in path.read_text(encoding="utf-8").splitlines()[0], path
    assert not any(SEED_DIR.rglob("*invented*")), "invented articles never go into the seed data (nor data/)"


def test_adding_invented_articles_leaves_the_data_valid(data_dirs):
    """All four added to the real data (each alone adds a subset of the same rows, to the same real rows)."""
    assert [str(p) for p in validate_package(data_dirs[ARTICLES])] == []


def test_claims_are_dated_no_later_than_their_article():
    for article in ARTICLES:
        for name, rows in fixture_rows(article).items():
            table = next((t for t in claim_tables(read_descriptor(SEED_DIR)) if t.name == name), None)
            for row in rows:
                if table is not None:
                    assert row["source_id"] == article
                    assert not row[table.date] or D(row[table.date]) <= publication_date(article)


def test_an_article_is_added_once(tmp_path):
    target = seed_copy(tmp_path / "data")
    add_article(target, "art-101")
    with pytest.raises(FileExistsError):
        add_article(target, "art-101")
    with pytest.raises(ValueError):
        add_article(DATA_DIR, "art-102")  # refused by its path: nothing in data/ is read
    with pytest.raises(ValueError):
        add_article(SEED_DIR, "art-102")


# --------------------------------------------------------------------------------------------
# The real data
# --------------------------------------------------------------------------------------------


def test_real_tranches_are_distinct_and_dated(real):
    amazon = real.tranches_of("amazon", "anthropic")
    assert ids(amazon, "fact_id") == [TRANCHE_1, TRANCHE_2]  # each once, though art-001 repeats the first
    assert list(amazon["amount_usd"]) == [1.25e9, 2.75e9]
    assert list(amazon["effective_date"]) == [D("2023-09-01"), D("2024-03-01")]
    assert list(amazon["cumulative_usd"]) == [1.25e9, 4e9]
    assert list(amazon["number"]) == [1, 2]
    assert amazon.loc[0, "claim_ids"] == ("inv-01", "inv-03")
    assert amazon.loc[0, "source_ids"] == ("art-000", "art-001")
    assert amazon["amounts_agree"].all()
    assert real.tranches["fact_id"].is_unique
    assert real.tranches_of("google").empty  # Google's $2B is of unknown framing: no tranche


def test_real_interpretations(real):
    reads = by_claim(real)
    for claim in ("inv-01", "inv-02", "inv-03"):
        assert (reads.loc[claim, "reason"], reads.loc[claim, "describes"]) == (codes.CURATED_TRANCHE, "tranche")
    for claim in ("inv-04", "inv-05"):  # "$4 billion": the sum of the two tranches known on 2024-03-27
        assert reads.loc[claim, "reason"] == codes.EQUALS_SUM_OF_TRANCHES
        assert reads.loc[claim, "describes"] == "cumulative"
        assert (reads.loc[claim, "known_tranches"], reads.loc[claim, "known_tranche_sum_usd"]) == (2, 4e9)
    assert reads.loc["inv-05", "wording"] == "latest"
    assert (reads.loc["inv-06", "reason"], reads.loc["inv-06", "describes"]) == (codes.ONLY_AMOUNT_KNOWN, "cumulative")
    assert reads.loc["inv-06", "known_tranches"] == 0


def test_real_disagreements(real):
    assert disagreement_keys(real) == {
        (codes.WORDING_SAYS_TRANCHE, STAKE_2024_03, ("inv-05",)),
        (codes.DATES_DIFFER, "claude-3-release", ("ev-01", "ev-02")),
    }
    wording = real.disagreements.set_index("code").loc[codes.WORDING_SAYS_TRANCHE]
    assert (wording["amount_usd"], wording["expected_usd"]) == (4e9, 4e9)
    assert wording["related_fact_id"] == TRANCHE_2
    assert wording["source_ids"] == ("art-000", "art-001")
    claims = real.claims.set_index("claim_id")
    assert claims.loc["ev-03", "date"] == D("2024-03-01")
    assert pd.isna(claims.loc["ev-04", "date"])  # art-001 gives no date for the AWS choice: not a disagreement
    dated_once = real.dated_once
    assert list(zip(dated_once["code"], dated_once["fact_id"], dated_once["claim_ids"], strict=True)) == [
        (codes.DATED_BY_ONE_SOURCE, "aws-primary-cloud", ("ev-03", "ev-04"))
    ]
    assert set(real.coverage.loc[real.coverage["status"] == codes.STATUS_DISAGREE, "fact_id"]) == {
        STAKE_2024_03,
        "claude-3-release",
    }


def test_real_funding_position(real):
    position = real.funding_at("anthropic")
    assert position.named_usd == 6e9
    assert (position.total_usd, position.total_qualifier) == (10e9, "at_least")
    assert position.unattributed_usd == 4e9
    assert (position.reported_usd, position.reported_claim_id, position.added_usd) == (10e9, "tot-01", 0.0)
    by_investor = position.by_investor.set_index("investor_id")
    assert list(by_investor.index) == ["amazon", "google"]
    assert by_investor.loc["amazon", ["total_usd", "basis"]].tolist() == [4e9, "tranches"]
    assert by_investor.loc["google", ["total_usd", "basis"]].tolist() == [2e9, "reported"]
    assert position.source_ids == ("art-000", "art-001")


def test_real_valuation_comparison(real):
    comparison = real.valuation_comparison("anthropic")
    assert (comparison.valuation_usd, comparison.valuation_date) == (18.4e9, D("2024-03-27"))
    assert (comparison.raised_usd, comparison.raised_qualifier) == (10e9, "at_least")
    assert comparison.ratio == pytest.approx(10 / 18.4)
    assert real.valuation_comparison("google") is None


def test_as_of_2024_03_05_only_art_000_is_known(at):
    r = at(REAL, D("2024-03-05"))
    assert ids(r.sources, "source_id") == ["art-000"]
    assert set(r.claims["source_id"]) == {"art-000"}
    assert ids(r.interpretations, "claim_id") == ["inv-01", "inv-02"]
    assert r.disagreements.empty
    position = r.funding_at("anthropic")
    assert (position.named_usd, position.total_usd, position.unattributed_usd) == (4e9, 10e9, 6e9)
    assert r.valuation_comparison("anthropic") is None


def test_before_any_source_nothing_is_known(at):
    r = at(REAL, D("2024-01-01"))
    for name in Reconciliation.FRAMES:
        if name != "companies":
            assert getattr(r, name).empty, name
    position = r.funding_at("anthropic")
    assert (position.named_usd, position.total_usd, position.unattributed_usd) == (0.0, None, None)
    assert r.valuation_comparison("anthropic") is None
    assert_same(r, at(ARTICLES, D("2024-01-01")))


# --------------------------------------------------------------------------------------------
# The real data plus the invented articles, at each report date
# --------------------------------------------------------------------------------------------

# claim -> (its source, how it is read); a reading never changes once the claim is known
READS = {
    "inv-01": ("art-000", codes.CURATED_TRANCHE),
    "inv-02": ("art-000", codes.CURATED_TRANCHE),
    "inv-03": ("art-001", codes.CURATED_TRANCHE),
    "inv-04": ("art-001", codes.EQUALS_SUM_OF_TRANCHES),
    "inv-05": ("art-001", codes.EQUALS_SUM_OF_TRANCHES),
    "inv-06": ("art-001", codes.ONLY_AMOUNT_KNOWN),
    "inv-101": ("art-101", codes.CURATED_TRANCHE),
    "inv-102": ("art-101", codes.CURATED_CUMULATIVE),
    "inv-103": ("art-102", codes.CURATED_TRANCHE),
    "inv-104": ("art-102", codes.CURATED_CUMULATIVE),
    "inv-105": ("art-103", codes.CURATED_TRANCHE),
    "inv-106": ("art-103", codes.CURATED_TRANCHE),
    "inv-107": ("art-104", codes.MATCHES_NOTHING),
}
WORDING = (codes.WORDING_SAYS_TRANCHE, STAKE_2024_03, ("inv-05",))
CLAUDE = (codes.DATES_DIFFER, "claude-3-release", ("ev-01", "ev-02"))
AWS_3 = (codes.DATES_DIFFER, "aws-primary-cloud", ("ev-03", "ev-04", "ev-101"))
NOTHING = (codes.MATCHES_NOTHING, "amazon-anthropic-stake-2025-01", ("inv-107",))


@dataclasses.dataclass(frozen=True)
class Expected:
    sources: tuple[str, ...]
    amazon: float
    google: float
    total: float
    reported: tuple[str, float]  # the reported total it is carried from: claim, amount
    added: float  # tranches dated after that total
    valuation: tuple[str, float, float]  # latest valuation claim, its amount, funding raised at its date
    disagreements: frozenset

    @property
    def named(self) -> float:
        return self.amazon + self.google


BEFORE_103 = frozenset({WORDING, CLAUDE})
TIMELINE = {
    D("2024-03-27"): Expected(
        sources=("art-000", "art-001"),
        amazon=4e9,
        google=2e9,
        total=10e9,
        reported=("tot-01", 10e9),
        added=0.0,
        valuation=("val-01", 18.4e9, 10e9),
        disagreements=BEFORE_103,
    ),
    D("2024-06-15"): Expected(
        sources=("art-000", "art-001", "art-101"),
        amazon=4e9,
        google=3e9,
        total=12e9,
        reported=("tot-101", 12e9),
        added=0.0,
        valuation=("val-01", 18.4e9, 10e9),  # raised is measured at the valuation's date, 2024-03-27
        disagreements=BEFORE_103,
    ),
    D("2024-11-22"): Expected(
        sources=("art-000", "art-001", "art-101", "art-102"),
        amazon=8e9,
        google=3e9,
        total=16e9,
        reported=("tot-101", 12e9),
        added=4e9,
        valuation=("val-101", 40e9, 16e9),
        disagreements=BEFORE_103,
    ),
    D("2024-12-05"): Expected(
        sources=("art-000", "art-001", "art-101", "art-102", "art-103"),
        amazon=8e9,
        google=3e9,
        total=16e9,
        reported=("tot-101", 12e9),
        added=4e9,
        valuation=("val-101", 40e9, 16e9),
        disagreements=frozenset({WORDING, CLAUDE, AWS_3}),
    ),
    D("2025-01-10"): Expected(
        sources=("art-000", "art-001", "art-101", "art-102", "art-103", "art-104"),
        amazon=8e9,
        google=3e9,
        total=16e9,
        reported=("tot-101", 12e9),
        added=4e9,
        valuation=("val-101", 40e9, 16e9),
        disagreements=frozenset({WORDING, CLAUDE, AWS_3, NOTHING}),
    ),
}


@pytest.mark.parametrize("as_of", REPORT_DATES, ids=lambda d: d.date().isoformat())
def test_each_report_date_sees_only_its_own_sources(at, as_of):
    r, expected = at(ARTICLES, as_of), TIMELINE[as_of]
    known = set(expected.sources)
    assert tuple(ids(r.sources, "source_id")) == expected.sources
    assert set(r.claims["source_id"]) == known
    for frame in (r.tranches, r.disagreements, r.coverage):
        assert set().union(*frame["source_ids"]) <= known
    assert set(r.interpretations["source_id"]) <= known
    assert set(r.funding_at("anthropic").source_ids) <= known
    day_before = at(ARTICLES, as_of - pd.Timedelta(days=1))
    assert set(ids(day_before.sources, "source_id")) == known - {expected.sources[-1]}


@pytest.mark.parametrize("as_of", REPORT_DATES, ids=lambda d: d.date().isoformat())
def test_interpretations_at_each_date(at, as_of):
    r, known = at(ARTICLES, as_of), set(TIMELINE[as_of].sources)
    reads = dict(zip(ids(r.interpretations, "claim_id"), ids(r.interpretations, "reason"), strict=True))
    assert reads == {claim: reason for claim, (source, reason) in READS.items() if source in known}


@pytest.mark.parametrize("as_of", REPORT_DATES, ids=lambda d: d.date().isoformat())
def test_disagreements_at_each_date(at, as_of):
    r = at(ARTICLES, as_of)
    assert disagreement_keys(r) == TIMELINE[as_of].disagreements
    opened = dict(zip(r.disagreements["fact_id"], r.disagreements["opened"], strict=True))
    assert opened[STAKE_2024_03] == D("2024-03-27")
    if as_of >= D("2024-12-05"):  # art-103 dates the AWS choice to September 2023, art-000 to March 2024
        assert opened["aws-primary-cloud"] == D("2024-12-05")
        assert r.dated_once.empty
    else:  # before, only art-000 dates it: not a disagreement, dated by one source only
        assert "aws-primary-cloud" not in opened
        assert list(r.dated_once["fact_id"]) == ["aws-primary-cloud"]


@pytest.mark.parametrize("as_of", REPORT_DATES, ids=lambda d: d.date().isoformat())
def test_figures_at_each_date(at, as_of):
    r, expected = at(ARTICLES, as_of), TIMELINE[as_of]
    totals = r.totals_at().set_index("investor_id")["total_usd"].to_dict()
    assert totals == {"amazon": expected.amazon, "google": expected.google}
    position = r.funding_at("anthropic")
    assert position.named_usd == expected.named
    assert (position.total_usd, position.total_qualifier) == (expected.total, "at_least")
    assert (position.reported_claim_id, position.reported_usd) == expected.reported
    assert position.added_usd == expected.added
    assert position.unattributed_usd == expected.total - expected.named
    comparison = r.valuation_comparison("anthropic")
    assert (comparison.valuation_claim_id, comparison.valuation_usd, comparison.raised_usd) == expected.valuation
    assert comparison.raised_qualifier == "at_least"
    # the history as a later report tells it: each earlier date's figures are unchanged
    for earlier in (d for d in REPORT_DATES if d <= as_of):
        then = at(ARTICLES, earlier).funding_at("anthropic")
        now = r.funding_at("anthropic", earlier)
        figures = ("named_usd", "total_usd", "unattributed_usd")
        assert [getattr(now, f) for f in figures] == [getattr(then, f) for f in figures]


@pytest.mark.parametrize("as_of", REPORT_DATES[2:], ids=lambda d: d.date().isoformat())
def test_the_march_latest_infusion_stays_a_running_total(at, as_of):
    """A $4B tranche in November does not make March's "latest $4 billion infusion" a tranche."""
    r = at(ARTICLES, as_of)
    november = r.tranches.set_index("fact_id").loc[TRANCHE_3]
    assert (november["amount_usd"], november["effective_date"]) == (4e9, D("2024-11-22"))
    march = by_claim(r).loc["inv-05"]
    assert (march["reason"], march["describes"]) == (codes.EQUALS_SUM_OF_TRANCHES, "cumulative")
    assert (march["known_tranches"], march["known_tranche_sum_usd"]) == (2, 4e9)
    assert march["latest_tranche_fact_id"] == TRANCHE_2
    assert pd.isna(march["tranche_fact_id"])
    wording = r.disagreements.set_index("fact_id").loc[STAKE_2024_03]
    assert (wording["code"], wording["related_fact_id"], wording["expected_usd"]) == (
        codes.WORDING_SAYS_TRANCHE,
        TRANCHE_2,
        4e9,
    )
    # Read as known in March: a later article restating tranche 2 (art-103) is not among its sources.
    assert wording["related_source_ids"] == ("art-000",)
    assert wording["source_ids"] == ("art-000", "art-001")
    steps = {"2023-08-31": None, "2023-09-01": 1.25e9, "2024-03-01": 4e9, "2024-11-21": 4e9, "2024-11-22": 8e9}
    for when, total in steps.items():  # Amazon's running total, a step series
        amazon = r.totals_at(D(when)).set_index("investor_id")["total_usd"].get("amazon")
        assert amazon == total, when


def test_funding_is_carried_forward_in_november(at):
    """>= $12B reported in June, plus Amazon's $4B in November: at least $16B, against $11B named."""
    position = at(ARTICLES, D("2024-11-22")).funding_at("anthropic")
    assert (position.reported_usd, position.reported_date, position.added_usd) == (12e9, D("2024-06-15"), 4e9)
    assert (position.total_usd, position.total_qualifier) == (16e9, "at_least")
    by_investor = position.by_investor.set_index("investor_id")["total_usd"].to_dict()
    assert by_investor == {"amazon": 8e9, "google": 3e9}
    assert position.unattributed_usd == 5e9
    assert position.source_ids == ("art-000", "art-001", "art-101", "art-102")


def test_a_restated_tranche_is_counted_once(at):
    r = at(ARTICLES, D("2024-12-05"))
    amazon = r.tranches_of("amazon", "anthropic")
    assert ids(amazon, "fact_id") == [TRANCHE_1, TRANCHE_2, TRANCHE_3]
    assert list(amazon["cumulative_usd"]) == [1.25e9, 4e9, 8e9]
    assert amazon.loc[0, "claim_ids"] == ("inv-01", "inv-03", "inv-105")
    assert amazon.loc[1, "source_ids"] == ("art-000", "art-103")


def test_an_amount_matching_nothing_changes_no_total(at):
    r = at(ARTICLES, D("2025-01-10"))
    claim = by_claim(r).loc["inv-107"]
    assert (claim["reason"], claim["describes"]) == (codes.MATCHES_NOTHING, "unexplained")
    assert (claim["known_tranches"], claim["known_tranche_sum_usd"]) == (3, 8e9)
    assert claim["effective_date"] == D("2025-01-10")  # undated: read at its article's date
    row = r.disagreements.set_index("fact_id").loc["amazon-anthropic-stake-2025-01"]
    assert (row["amount_usd"], row["expected_usd"], row["opened"]) == (5e9, 8e9, D("2025-01-10"))
    assert r.funding_at("anthropic").by_investor.set_index("investor_id").loc["amazon", "total_usd"] == 8e9


# --------------------------------------------------------------------------------------------
# As-of invariance: a later article changes nothing before it
# --------------------------------------------------------------------------------------------


def day_before(article: str) -> pd.Timestamp:
    """The last day on which the article is not known yet (the most that is known without it)."""
    return publication_date(article) - pd.Timedelta(days=1)


@pytest.mark.parametrize("article", ARTICLES)
def test_adding_a_later_article_to_the_real_data_changes_nothing_before_it(at, article):
    assert_same(at(REAL, day_before(article)), at((article,), day_before(article)))


@pytest.mark.parametrize("k", range(1, len(ARTICLES) + 1), ids=lambda k: ARTICLES[k - 1])
def test_all_later_articles_change_nothing_before_them(at, k):
    """With every invented article added, a report before art-k equals one from the articles before it."""
    as_of = day_before(ARTICLES[k - 1])  # the most that is known without it
    assert_same(at(ARTICLES[: k - 1], as_of), at(ARTICLES, as_of))


# --------------------------------------------------------------------------------------------
# The result is immutable
# --------------------------------------------------------------------------------------------


def test_editing_a_frame_taken_from_the_result_changes_nothing(at):
    r = reconcile(load_tables(SEED_DIR, validate=False), D("2024-03-27"))
    kept = {name: getattr(r, name).copy(deep=True) for name in Reconciliation.FRAMES}
    for name in Reconciliation.FRAMES:
        frame = getattr(r, name)
        frame["extra"] = 1
        if len(frame):
            frame.iloc[0, 0] = frame.iloc[-1, 0]
            frame.loc[frame.index[-1], frame.columns[0]] = frame.iloc[0, 0]
        del frame[frame.columns[0]]
        frame.index = frame.index[::-1]
    tranches = r.tranches
    tranches.loc[0, "amount_usd"] = -1.0
    tranches["amount_usd"] *= 0
    values = r.tranches["amount_usd"].to_numpy()
    with pytest.raises(ValueError):
        values[0] = 0.0  # a read-only view
    position = r.funding_at("anthropic")
    position.by_investor["total_usd"] = 0.0
    for name in Reconciliation.FRAMES:
        assert_frame_equal(getattr(r, name), kept[name], obj=name)
    assert_same(r, at(REAL, D("2024-03-27")))


def test_setting_an_attribute_is_refused(real):
    for name in ("tranches", "as_of", "new"):
        with pytest.raises(AttributeError):
            setattr(real, name, pd.DataFrame())
    with pytest.raises(AttributeError):
        del real.tranches
    position = real.funding_at("anthropic")
    with pytest.raises(dataclasses.FrozenInstanceError):
        position.total_usd = 0.0
    assert real.as_of == D("2024-03-27")
    assert real.funding_at("anthropic").total_usd == 10e9


def test_editing_the_input_tables_afterwards_changes_nothing(at):
    tables = load_tables(SEED_DIR, validate=False)
    r = reconcile(tables, D("2024-03-27"))
    tables["investments"].loc[0, "amount_usd"] = 1.0
    tables["sources"].loc[0, "published_date"] = D("2030-01-01")
    del tables["investments"]["amount_usd"]
    assert_same(r, at(REAL, D("2024-03-27")))


# --------------------------------------------------------------------------------------------
# Properties of random histories, built in memory with the types load_tables gives
# --------------------------------------------------------------------------------------------

DESCRIPTOR = read_descriptor(SEED_DIR)
FIELD_TYPES = {name: field_types(resource) for name, resource in resources(DESCRIPTOR).items()}
CLAIM_TABLES = claim_tables(DESCRIPTOR)
START = D("2024-01-01")
PAIRS = (("amazon", "anthropic"), ("google", "anthropic"), ("microsoft", "openai"))
INVESTEES = sorted({investee for _, investee in PAIRS})
COMPANIES = [
    {"company_id": c, "name": c.title(), "role": "investor", "source_id": "art-000", "quote": "generated"}
    for c in sorted({c for pair in PAIRS for c in pair})
]
WORDINGS = ("initial", "another", "latest", "total", "unspecified")
AMOUNTS = st.integers(1, 40).map(lambda n: n * 250_000_000.0)  # exact in binary: sums compare exactly
# Each example reconciles whole tables (~0.15 s), so: a twentieth of the profile's examples (5 in "full", 2 in
# "fast", 100 in "thorough"; see tests/conftest.py), no shrinking (it can take minutes; a failure prints the
# unshrunk history instead), no example database.
EXAMPLES = max(2, settings.default.max_examples // 20)
PROPERTY = settings(  # for tests that reconcile twice per example
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
PROPERTY_ONCE = settings(PROPERTY, max_examples=2 * EXAMPLES)  # for tests that reconcile once per example


DATE_DTYPE = "datetime64[us]"  # what load_tables gives for the real data's dates


def day(n: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=n)


def typed_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as `load.read_table` types them (dates as YYYY-MM-DD text; None for an empty cell)."""
    columns = {}
    for column, kind in FIELD_TYPES[name].items():
        values = [row.get(column) for row in rows]
        if kind == "date":
            columns[column] = pd.Series(np.array(values, dtype=DATE_DTYPE))  # None is NaT; 5x faster than to_datetime
        else:
            columns[column] = pd.Series(values, dtype=PANDAS_DTYPES[kind])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def test_frames_built_in_memory_are_typed_as_load_tables_types_them():
    """The in-memory builder gives exactly what load_tables reads from the CSVs (the real data, re-typed)."""
    loaded = load_tables(SEED_DIR, validate=False)
    for name, frame in loaded.items():
        types = FIELD_TYPES[name]
        rows = [
            {c: None if pd.isna(v) else v.date().isoformat() if types[c] == "date" else v for c, v in row.items()}
            for row in frame.astype(object).to_dict("records")
        ]
        assert_frame_equal(typed_frame(name, rows), frame, obj=name)


class History:
    """Sources and claims (investments, funding totals) to build `Tables` from, bypassing validation."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {name: [] for name in FIELD_TYPES}
        self.rows["companies"] = list(COMPANIES)

    def __repr__(self) -> str:
        keep = {"sources": ("source_id", "published_date")}
        keep["investments"] = ("investment_id", "fact_id", "source_id", "investor_id", "amount_usd", "framing")
        keep["investments"] += ("announced_date",)
        keep["funding_totals"] = ("total_id", "source_id", "company_id", "total_usd", "amount_qualifier", "as_of_date")
        lines = [f"{name}: {[r[c] for c in columns]}" for name, columns in keep.items() for r in self.rows[name]]
        return "History(\n  " + "\n  ".join(lines) + "\n)"

    def copy(self) -> "History":
        other = History()
        other.rows = {name: list(rows) for name, rows in self.rows.items()}
        return other

    def tables(self) -> Tables:
        return Tables({name: typed_frame(name, rows) for name, rows in self.rows.items()}, CLAIM_TABLES)

    def published(self, source_id: str) -> int:
        return next(r["_day"] for r in self.rows["sources"] if r["source_id"] == source_id)

    @property
    def last_day(self) -> int:
        return max((r["_day"] for r in self.rows["sources"]), default=0)

    def source(self, published: int) -> str:
        source_id = f"art-{len(self.rows['sources']) + 1:03d}"
        self.rows["sources"].append(
            {
                "_day": published,
                "source_id": source_id,
                "file": f"articles/{source_id}.txt",
                "sha256": "0" * 64,
                "title": "INVENTED FOR TESTS",
                "published_date": day(published).date().isoformat(),
                "published_date_precision": "day",
                "published_date_inferred": False,
                "date_note": "generated",
            }
        )
        return source_id

    def investment(self, source_id, fact_id, pair, amount, framing, date=None, wording="unspecified") -> str:
        claim_id = f"inv-{len(self.rows['investments']) + 1:04d}"
        self.rows["investments"].append(
            {
                "_day": date,
                "investment_id": claim_id,
                "fact_id": fact_id,
                "source_id": source_id,
                "investor_id": pair[0],
                "investee_id": pair[1],
                "amount_usd": amount,
                "amount_qualifier": "exact",
                "framing": framing,
                "wording": wording,
                "announced_date": None if date is None else day(date).date().isoformat(),
                "announced_date_precision": None if date is None else "day",
                "announced_date_inferred": False,
                "status": "announced",
                "quote": "generated",
            }
        )
        return claim_id

    def funding_total(self, source_id, fact_id, company, amount, qualifier, date) -> str:
        claim_id = f"tot-{len(self.rows['funding_totals']) + 1:04d}"
        self.rows["funding_totals"].append(
            {
                "total_id": claim_id,
                "fact_id": fact_id,
                "source_id": source_id,
                "company_id": company,
                "total_usd": amount,
                "amount_qualifier": qualifier,
                "as_of_date": day(date).date().isoformat(),
                "as_of_date_precision": "day",
                "as_of_date_inferred": False,
                "quote": "generated",
            }
        )
        return claim_id

    def tranche_facts(self, pair=None) -> list[str]:
        rows = self.rows["investments"]
        wanted = [r for r in rows if pair in (None, (r["investor_id"], r["investee_id"]))]
        return sorted({r["fact_id"] for r in wanted if r["framing"] == "tranche"})

    def pair_of(self, fact_id: str) -> tuple[str, str]:
        row = next(r for r in self.rows["investments"] if r["fact_id"] == fact_id)
        return row["investor_id"], row["investee_id"]

    def amount_of(self, fact_id: str) -> float:
        return next(r["amount_usd"] for r in self.rows["investments"] if r["fact_id"] == fact_id)


def claim_date(draw, published: int) -> int | None:
    """No date, or one on or before the source's publication (a claim describes what was known then)."""
    return draw(st.none() | st.integers(0, 30).map(lambda back: published - back))


@st.composite
def add_claims(draw, h: History, source_id: str, most: int = 4) -> None:
    """Random claims in one source: new or restated tranches, running totals, unknown amounts, funding totals."""
    published = h.published(source_id)
    for _ in range(draw(st.integers(0, most))):
        kind = draw(st.sampled_from(["tranche", "restate", "cumulative", "unknown", "funding_total"]))
        pair = draw(st.sampled_from(PAIRS))
        wording = draw(st.sampled_from(WORDINGS))
        if kind == "restate" and h.tranche_facts():
            fact = draw(st.sampled_from(h.tranche_facts()))
            amount = draw(st.just(h.amount_of(fact)) | AMOUNTS)
            h.investment(source_id, fact, h.pair_of(fact), amount, "tranche", claim_date(draw, published), wording)
        elif kind in ("tranche", "restate"):
            fact = f"tranche-{len(h.rows['investments'])}"
            h.investment(source_id, fact, pair, draw(AMOUNTS), "tranche", claim_date(draw, published), wording)
        elif kind in ("cumulative", "unknown"):
            own = h.tranche_facts(pair)
            stake = f"stake-{PAIRS.index(pair)}-{draw(st.integers(0, 2))}"
            framing = kind
            fact = draw(st.sampled_from([stake, *own])) if kind == "unknown" else stake
            if fact in own:
                framing = "unknown"
            summed = draw(st.lists(st.sampled_from(own), unique=True)) if own else []
            amount = draw(AMOUNTS | st.just(sum(h.amount_of(f) for f in summed) or 1e9))
            h.investment(source_id, fact, pair, amount, framing, claim_date(draw, published), wording)
        else:
            company = draw(st.sampled_from(INVESTEES))
            qualifier = draw(st.sampled_from(["at_least", "exact", "about"]))
            amount = draw(st.integers(1, 200).map(lambda n: n * 250_000_000.0))
            date = published - draw(st.integers(0, 30))
            h.funding_total(source_id, f"total-{company}-{date}", company, amount, qualifier, date)


@st.composite
def histories(draw, most_sources: int = 7) -> History:
    """Sources published in date order (so a restatement always follows what it restates), with random claims."""
    h = History()
    for published in sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=most_sources))):
        draw(add_claims(h, h.source(published)))
    return h


@st.composite
def tranche_histories(draw) -> History:
    """Only tranche claims: new tranches and restatements (maybe with another amount or date)."""
    h = History()
    sources = [h.source(p) for p in sorted(draw(st.lists(st.integers(0, 60), min_size=1, max_size=7)))]
    for n in range(draw(st.integers(0, 10))):
        pair, amount = draw(st.sampled_from(PAIRS)), draw(AMOUNTS)
        for source_id in draw(st.lists(st.sampled_from(sources), min_size=1, max_size=3)):
            amount = draw(st.just(amount) | AMOUNTS)
            h.investment(source_id, f"tranche-{n}", pair, amount, "tranche", claim_date(draw, h.published(source_id)))
    return h


def expected_running_totals(h: History, as_of: int) -> tuple[dict, list[int]]:
    """By pair, the distinct tranches known at as_of as (effective day, amount); and the days to check."""
    known = {r["source_id"]: r["_day"] for r in h.rows["sources"] if r["_day"] <= as_of}
    facts: dict[str, dict] = {}
    claims = sorted(
        (r for r in h.rows["investments"] if r["source_id"] in known),
        key=lambda r: (known[r["source_id"]], r["investment_id"]),
    )
    for r in claims:  # the first report gives the amount; the earliest stated date, else the first report, the date
        fact = facts.setdefault(
            r["fact_id"], {"pair": (r["investor_id"], r["investee_id"]), "amount": r["amount_usd"], "dates": []}
        )
        fact.setdefault("first", known[r["source_id"]])
        if r["_day"] is not None:
            fact["dates"].append(r["_day"])
    tranches: dict[tuple, list] = {}
    for fact in facts.values():
        tranches.setdefault(fact["pair"], []).append((min(fact["dates"], default=fact["first"]), fact["amount"]))
    days = sorted({d for items in tranches.values() for d, _ in items} | {as_of})
    return tranches, sorted({*days, *(d - 1 for d in days)})


@PROPERTY_ONCE
@given(h=tranche_histories(), as_of=st.integers(0, 70))
def test_running_total_of_tranches_is_the_sum_of_distinct_tranches_dated_by_then(h, as_of):
    """(a) With only tranche claims, a running total is the sum of the distinct tranches dated on or before."""
    r = reconcile(h.tables(), day(as_of))
    tranches, days = expected_running_totals(h, as_of)
    assert len(r.tranches) == sum(len(items) for items in tranches.values())  # each tranche once
    for d in days:
        totals = r.totals_at(day(d))
        pairs = zip(totals["investor_id"], totals["investee_id"], strict=True)
        found = dict(zip(pairs, totals["total_usd"], strict=True))
        expected = {pair: sum(a for when, a in items if when <= d) for pair, items in tranches.items()}
        assert found == {pair: total for pair, total in expected.items() if any(w <= d for w, _ in tranches[pair])}


@PROPERTY
@given(data=st.data())
def test_a_source_published_after_the_as_of_date_changes_nothing(data):
    """(b) Adding a source published after D, whatever it claims about earlier dates, never changes reconcile(D)."""
    h = data.draw(histories(), label="history")
    as_of = data.draw(st.integers(0, 70), label="as_of")
    later = h.copy()
    source_id = later.source(as_of + data.draw(st.integers(1, 20), label="published after"))
    data.draw(add_claims(later, source_id, most=6), label="its claims")
    assert_same(reconcile(h.tables(), day(as_of)), reconcile(later.tables(), day(as_of)))


def non_decreasing(values) -> bool:
    values = [float(v) for v in values]
    return all(b >= a - 1e-9 * abs(a) for a, b in itertools.pairwise(values))


@PROPERTY
@given(h=histories())
def test_lower_bounds_never_decrease(h):
    """(c) The carried-forward funding total, and each running total, never decreases over time."""
    r = reconcile(h.tables(), day(h.last_day))
    for _, steps in r.funding.groupby("company_id"):
        carried = steps["carried_usd"]
        reported = carried.notna().to_numpy()
        assert all(reported[reported.argmax() :]) if reported.any() else True  # once reported, always carried
        assert non_decreasing(carried.dropna())
        assert non_decreasing(steps["named_usd"])
    for _, steps in r.investor_totals.groupby(["investor_id", "investee_id"]):
        assert non_decreasing(steps["total_usd"])
    for company, steps in r.funding.groupby("company_id"):  # at each date its funding changes, and at the end
        positions = [r.funding_at(str(company), d) for d in [*steps["date"], day(h.last_day)]]
        totals = [p.total_usd for p in positions]
        reported = [t is not None for t in totals]
        assert reported == sorted(reported)  # no total, then a total from the first report on
        assert non_decreasing([t for t in totals if t is not None])
        assert non_decreasing([p.named_usd for p in positions])
        for p in positions:
            if p.total_usd is not None:
                assert p.total_usd >= p.named_usd  # never below what the named investors put in
                assert p.unattributed_usd == pytest.approx(p.total_usd - p.named_usd, abs=1.0)


def add_sum_of_known_tranches(draw, h: History, pair: tuple[str, str]) -> tuple[str, float]:
    """Into h, on one pair: an unknown amount equal to >= 2 tranches known at its date, then later tranches.

    Returns the claim and the sum of the tranches known at its date.
    """
    tag = "-".join(pair)
    published = draw(st.integers(10, 50))  # the claim's source
    dated = published - draw(st.integers(0, 5))  # the claim's own date
    total = 0.0
    known = draw(st.integers(2, 4))
    for n in range(known):  # known then: published by the claim's source, dated by the claim
        amount = draw(AMOUNTS)
        total += amount
        for _ in range(draw(st.integers(1, 2))):
            when = draw(st.integers(0, published))
            undated = st.none() if when <= dated else st.nothing()  # undated: dated by its publication
            date = draw(undated | st.integers(min(when, dated) - 30, min(when, dated)))
            h.investment(h.source(when), f"{tag}-known-{n}", pair, amount, "tranche", date)
    claim_day = draw(st.sampled_from([dated, None]))
    claim = h.investment(h.source(published), f"{tag}-stake", pair, total, "unknown", claim_day)
    dated = published if claim_day is None else dated  # an undated claim is read at its source's date
    for n in range(draw(st.integers(0, 3))):  # new tranches: published after the claim, or dated after it
        if dated < published and draw(st.booleans()):
            when = draw(st.integers(dated + 1, published))
            date = draw(st.integers(dated + 1, when))
        else:
            when = draw(st.integers(published + 1, published + 30))
            date = claim_date(draw, when)
        h.investment(h.source(when), f"{tag}-later-{n}", pair, draw(AMOUNTS), "tranche", date)
    for n in range(known):  # known tranches restated later, with any amount and date (even after the claim's)
        if draw(st.booleans()):
            when = draw(st.integers(published + 1, published + 30))
            source_id = h.source(when)
            h.investment(source_id, f"{tag}-known-{n}", pair, draw(AMOUNTS), "tranche", claim_date(draw, when))
    return claim, total


@st.composite
def sums_of_known_tranches(draw) -> tuple[History, dict[str, float]]:
    """Independent cases, one per pair (a pair is read on its own): one reconciliation checks them all."""
    h = History()
    cases = dict(add_sum_of_known_tranches(draw, h, (f"investor-{i}", f"company-{i}")) for i in range(3))
    return h, cases


@pytest.mark.parametrize("restated_day", [18, 3], ids=["dated-after-the-claim", "dated-before"])
def test_a_tranche_re_dated_by_a_later_source_is_read_as_dated_then(restated_day):
    """A later source that re-dates a known tranche is later news: earlier claims are read as before."""
    h = History()
    first, second = h.source(10), h.source(20)
    h.investment(first, "t1", PAIRS[0], 1e9, "tranche")  # undated: dated by its publication, day 10
    h.investment(first, "t2", PAIRS[0], 2e9, "tranche", 5)
    claim = h.investment(second, "stake", PAIRS[0], 3e9, "unknown", 15, wording="latest")
    later = h.copy()
    later.investment(later.source(30), "t1", PAIRS[0], 1e9, "tranche", restated_day)
    before, after = reconcile(h.tables(), day(30)), reconcile(later.tables(), day(30))
    for r in (before, after):
        read = by_claim(r).loc[claim]
        assert (read["reason"], read["known_tranches"], read["known_tranche_sum_usd"]) == (
            codes.EQUALS_SUM_OF_TRANCHES,
            2,
            3e9,
        )
        assert list(r.disagreements["code"]) == [codes.WORDING_SAYS_TRANCHE]
    # the tranche itself is dated as the sources known at as_of date it
    assert after.tranches.set_index("fact_id").loc["t1", "effective_date"] == day(restated_day)


@PROPERTY_ONCE
@given(case=sums_of_known_tranches())
def test_a_sum_of_known_tranches_stays_a_running_total(case):
    """(d) An unknown amount equal to >= 2 tranches known at its date is their sum, whatever comes later."""
    h, cases = case
    reads = by_claim(reconcile(h.tables(), day(h.last_day)))
    for claim, total in cases.items():
        assert reads.loc[claim, "reason"] == codes.EQUALS_SUM_OF_TRANCHES
        assert reads.loc[claim, "describes"] == "cumulative"
        assert reads.loc[claim, "known_tranche_sum_usd"] == total


@PROPERTY
@given(h=histories(), first=st.integers(0, 70), extra=st.integers(0, 30))
def test_a_claim_is_read_the_same_in_every_later_report(h, first, extra):
    """A claim is read against what was known at its own date: a later report reads it the same way."""
    columns = ["claim_id", "describes", "reason", "tranche_fact_id", "known_tranches", "known_tranche_sum_usd"]

    def readings(as_of: int) -> dict[str, tuple]:
        frame = reconcile(h.tables(), day(as_of)).interpretations[columns]
        # compared as plain values: a column with no tranche fact holds None, else NaN, for a missing one
        return {row[0]: tuple(None if pd.isna(v) else v for v in row[1:]) for row in frame.itertuples(index=False)}

    earlier, later = readings(first), readings(first + extra)
    assert earlier == {claim: later[claim] for claim in earlier}
