"""The table of each chart's data under the chart: one format per column ("$1.25B", never "1.25 (US$ billions)" beside
"total $4B"), and readers' words, not source ids."""

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from fixtures import SEED_DIR
from fixtures.later import add_article

from aiinvest.report.charts.describe import marks, value_column
from aiinvest.report.document import chart_bundle, prepare
from aiinvest.report.formatting import AMOUNT


@pytest.fixture(scope="module")
def later_data(tmp_path_factory):
    """The seeds with a third Amazon tranche and a second valuation (art-102, invented)."""
    data = tmp_path_factory.mktemp("later") / "data"
    shutil.copytree(SEED_DIR, data, ignore=shutil.ignore_patterns("README.md"))
    add_article(data, "art-102")
    return data


@pytest.fixture(scope="module")
def tables(later_data):
    """(report, chart, the HTML table of its data) for every chart of four reports: seeds and later, both subjects."""
    found = []
    for report in [
        prepare(data_dir=str(SEED_DIR)),
        prepare(data_dir=str(SEED_DIR), company="Amazon", unit="millions"),
        prepare(data_dir=str(later_data)),
        prepare(data_dir=str(later_data), company="Amazon"),
    ]:
        for number, chart in enumerate(report.charts.values(), 1):
            _, about = chart_bundle(chart, number, unit=report.view.unit)
            table = BeautifulSoup(about["aiinvest"]["figure_html"], "html.parser").select_one(
                "details.chart-data table"
            )
            found.append((report, chart, table))
    return found


def test_every_amount_column_holds_amounts_in_one_format(tables):
    checked = 0
    for report, chart, table in tables:
        heading = table.select("thead th")[-1]
        values = [tr.find_all("td")[-1].get_text() for tr in table.select("tbody tr")]
        assert "(US$" not in table.get_text() and "total $" not in " ".join(values)
        if chart.id != "timeline":
            assert heading.get_text() == "Amount" and heading.get("class") == ["num"], chart.id
            assert all(AMOUNT.fullmatch(v) for v in values), (chart.id, values)
            suffix = "M" if report.view.unit == "millions" else "B"
            assert all(v.endswith(suffix) for v in values), values
            checked += 1
    assert checked >= 6


def test_the_stacked_tranches_read_as_amounts_without_the_words_around(later_data):
    seed = prepare(data_dir=str(SEED_DIR))
    found = marks(seed.charts["tranches"], seed.view.unit)
    assert [m.value for m in found] == ["$1.25B", "$2.75B"]  # one segment per tranche, not "Sep 2023\n$1.25B"
    assert all(m.series.startswith("Tranche ") for m in found)
    later = prepare(data_dir=str(later_data))
    values = [m.value for m in marks(later.charts["tranches"], later.view.unit)]
    assert len(values) > 2 and all(AMOUNT.fullmatch(v) for v in values), values


def test_qualified_amounts_keep_their_qualifier_and_lose_the_words_around(later_data):
    seed = prepare(data_dir=str(SEED_DIR))
    funding = {m.series: m.value for m in marks(seed.charts["funding"], seed.view.unit)}
    assert list(funding.values()) == ["$4B", "$2B", "at least $4B"]  # not "Amazon $4B", "unnamed: at least $4B"


def test_no_source_id_or_claim_id_in_any_data_table(tables):
    for report, _, table in tables:
        ids = set(report.rec.sources["source_id"]) | set(report.rec.claims["claim_id"])
        words = table.get_text(" ")
        assert not [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", words)]


def test_a_column_of_words_is_headed_details_and_not_right_aligned():
    assert value_column([]) == ("Details", False)
