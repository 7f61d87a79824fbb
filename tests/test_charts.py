"""Each chart has one specification and two renderers that draw the same thing."""

import pytest

from aiinvest.charts.figures import report_charts, timeline_items
from aiinvest.charts.mpl_render import to_matplotlib, to_png, to_svg
from aiinvest.charts.plotly_render import to_plotly
from aiinvest.charts.spec import LOWER_BOUND_COLOUR, Chart, Trace
from aiinvest.load import load_tables
from aiinvest.params import resolve, tables_as_of


@pytest.fixture(scope="module")
def charts():
    tables = load_tables()
    params = resolve({}, tables)
    return {c.id: c for c in report_charts(tables_as_of(tables, params.as_of), params)}


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
    assert charts["funding"].lines[0].label == "reported total: at least $10B"


def test_timeline_marks_inferred_dates_and_the_rumour(charts):
    reported, rumoured = charts["timeline"].traces
    assert rumoured.name == "Rumoured" and rumoured.symbols == ("diamond",)
    assert rumoured.labels == ("Apple iOS 18 collaboration (art-001)",)
    assert all(reported.hollow)  # every reported date in these articles is inferred
    assert "Not shown, as no source dates them: Google $2B" in charts["timeline"].caption


def test_timeline_items_include_undated_events():
    tables = load_tables()
    items = timeline_items(tables, "anthropic")
    assert items["date"].isna().sum() == 5
    assert "Claude 3 unveiled" in set(items["label"])


@pytest.mark.parametrize("chart_id", ["tranches", "funding", "valuation", "timeline"])
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
