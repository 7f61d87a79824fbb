"""Each chart has one specification and two renderers that draw the same thing."""

import pytest
from fixtures import SEED_DIR

from aiinvest.report.charts.figures import timeline_items
from aiinvest.report.charts.mpl_render import to_matplotlib, to_png, to_svg
from aiinvest.report.charts.plotly_render import to_plotly
from aiinvest.report.charts.spec import LOWER_BOUND_COLOUR, Chart, Trace
from aiinvest.report.document import prepare


@pytest.fixture(scope="module")
def report():
    return prepare(data_dir=str(SEED_DIR))


@pytest.fixture(scope="module")
def charts(report):
    return report.charts


def test_the_report_has_four_charts(charts):
    assert list(charts) == ["tranches", "funding", "valuation", "timeline"]
    for chart in charts.values():
        assert "Sources: " in chart.caption


def test_tranche_chart_counts_each_tranche_once(charts):
    bars, line = charts["tranches"].traces
    assert bars.y == (1.25, 2.75)
    assert line.y == (1.25, 4.0)
    assert bars.labels == ("$1.25B", "$2.75B")


def test_funding_chart_draws_the_unattributed_rest_as_a_lower_bound(charts):
    traces = charts["funding"].traces
    assert [t.name for t in traces] == [
        "Amazon",
        "Google",
        "Not attributed by the sources (a lower bound)",
    ]
    assert [t.x for t in traces] == [(4.0,), (2.0,), (4.0,)]
    assert [t.base for t in traces] == [(0.0,), (4.0,), (6.0,)]
    assert traces[-1].hatch and traces[-1].color == LOWER_BOUND_COLOUR
    assert charts["funding"].lines[0].label == "total: at least $10B"


def test_timeline_items_include_undated_events_and_say_who_invested(report):
    items = timeline_items(report.view)
    assert items["date"].isna().sum() == 4
    assert {"Claude 3 unveiled", "Amazon $1.25B", "Amazon $2.75B", "Valuation $18.4B"} <= set(items["label"])
    assert "Not shown, as no source dates them: Google Cloud backing" in report.charts["timeline"].caption


def test_investor_charts_show_its_tranches_and_each_company():
    charts = prepare(company="Amazon", unit="millions", data_dir=str(SEED_DIR)).charts
    bars, line = charts["investments"].traces
    assert bars.y == (1250.0, 2750.0) and line.y == (1250.0, 4000.0)
    assert bars.labels == ("$1,250M", "$2,750M")
    assert [t.name for t in charts["portfolio"].traces] == ["Anthropic"]
    assert charts["portfolio"].traces[0].labels == ("$4,000M",)


@pytest.mark.parametrize("chart_id", ["tranches", "funding", "valuation"])
def test_both_renderers_draw_the_same_series_in_the_same_order(charts, chart_id):
    chart = charts[chart_id]
    fig = to_plotly(chart)
    assert [t.name for t in fig.data] == [t.name for t in chart.traces]
    assert [t.marker.color for t in fig.data] == [t.color for t in chart.traces]
    mpl = to_matplotlib(chart)
    labels = mpl.legends[0].get_texts() if mpl.legends else mpl.axes[0].get_legend().get_texts()
    assert [t.get_text() for t in labels] == [t.name for t in chart.traces]
    ticks = [t.get_text() for t in mpl.axes[0].get_yticklabels() + mpl.axes[0].get_xticklabels()]
    for category in chart.categories:
        assert category in ticks


def test_svg_keeps_text_as_text_with_unique_ids(charts):
    svg = to_svg(charts["tranches"])
    assert "$1.25B" in svg
    assert 'id="tranches-figure_1"' in svg
    assert to_svg(charts["tranches"]) == svg  # deterministic
    assert to_png(charts["tranches"])[:4] == b"\x89PNG"


def test_text_from_the_data_is_escaped_in_plotly():
    chart = Chart(
        "x",
        "<b>t</b>",
        "c",
        "",
        "",
        (Trace("<script>alert(1)</script>", "bar", ("a",), (1.0,), "#000", labels=("<script>",)),),
        categories=("a",),
    )
    fig = to_plotly(chart)
    assert fig.data[0].text == ("&lt;script&gt;",)
    assert fig.layout.title.text == "&lt;b&gt;t&lt;/b&gt;"
