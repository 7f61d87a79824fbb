"""Each chart has one specification and two renderers that draw the same thing."""

import re

import pandas as pd
import pytest
from fixtures import SEED_DIR
from fixtures.later import add_article
from matplotlib.text import Text

from aiinvest.report.charts.describe import marks
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
        assert chart.full_caption.endswith(
            "Sources: Undated article (March 2024, inferred) and Article of 27 March 2024."
        )


def test_tranche_chart_stacks_each_tranche_once_into_the_reported_total(charts):
    chart = charts["tranches"]
    first, second = chart.traces
    assert (first.x, second.x) == ((1.25,), (2.75,))
    assert (first.base, second.base) == ((0.0,), (1.25,))  # stacked: they add up to the total
    assert first.labels == ("Sep 2023\n$1.25B",) and second.labels == ("Mar 2024\n$2.75B",)
    assert first.color == second.color and not any(t.kind == "line" for t in chart.traces)  # no running line
    (total,) = chart.lines
    assert total.value == 4.0
    assert total.label == "total $4B, as reported by\nArticle of 27 March 2024"  # the source by its reader name


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
    assert [t.labels for t in traces] == [("Amazon\n$4B",), ("Google\n$2B",), ("not attributed\nat least $4B",)]
    assert charts["funding"].lines[0].label == "total: at least $10B"


def test_each_title_states_the_finding_with_its_key_figure_and_the_subtitle_unit_and_date(charts):
    assert [c.title for c in charts.values()] == [
        "Amazon's $4B came in two tranches",
        "Named investors account for $6B of Anthropic's at least $10B",
        "Anthropic has raised at least $10B against a reported $18.4B valuation",
        "8 dated events for Anthropic, from September 2023 to March 2024",
    ]
    assert charts["funding"].subtitle == "US$ billions · as of 27 March 2024"
    assert charts["valuation"].subtitle == "US$ billions · as of 27 March 2024 (inferred)"  # the valuation's date
    assert charts["timeline"].subtitle.endswith("as of 27 March 2024")


def test_the_valuation_caption_says_the_basis_is_not_stated_and_the_share_is_no_stake(charts):
    caption = charts["valuation"].caption
    assert "is at least 54% of the valuation" in caption
    assert "do not state whether it is a valuation before or after the money raised" in caption
    assert "not an ownership stake" in caption


def test_one_colour_per_company_in_every_chart_of_a_report_and_across_subjects(charts):
    amazon = charts["funding"].traces[0]
    assert amazon.name == "Amazon"
    assert {t.color for t in charts["tranches"].traces} == {amazon.color}
    investor = prepare(company="Amazon", data_dir=str(SEED_DIR)).charts
    anthropic = charts["valuation"].traces[1].color
    assert {t.color for t in investor["investments"].traces} == {investor["portfolio"].traces[0].color}
    assert len({amazon.color, charts["funding"].traces[1].color, anthropic}) == 3  # Amazon, Google, Anthropic
    assert investor["portfolio"].traces[0].color == anthropic  # Anthropic keeps its colour in Amazon's report


def test_no_code_reaches_a_title_caption_label_or_annotation(charts):
    codes = re.compile(r"\b(art-\d+|inv-\d+|tot-\d+|val-\d+|st-\d+|ev-\d+)\b|amazon-anthropic|_")
    for chart in charts.values():
        shown = [chart.title, chart.subtitle, chart.full_caption, *(line.label for line in chart.lines)]
        shown += [label for trace in chart.traces for label in (trace.name, *trace.labels)]
        shown += [mark.text for mark in chart.texts] + [text for _, text in chart.key]
        shown += [f"{m.series} {m.item} {m.value}" for m in marks(chart)]
        assert not [text for text in shown if codes.search(text)], chart.id


def test_timeline_items_include_undated_events_and_say_who_invested(report):
    items = timeline_items(report.view)
    assert items["date"].isna().sum() == 4
    assert {"Claude 3 unveiled", "Amazon $1.25B", "Amazon $2.75B", "Valuation $18.4B"} <= set(items["label"])
    assert "Not shown, as no source dates them: Google Cloud backing" in report.charts["timeline"].caption


def test_the_timeline_lists_as_not_shown_only_what_no_source_dates(report):
    chart = report.charts["timeline"]
    drawn = {m.item for m in marks(chart)}
    assert "AWS primary cloud" in drawn  # one source dates it, the other does not: it is drawn
    listed = chart.caption.split("Not shown, as no source dates them: ")[1].split(".")[0].split("; ")
    assert listed == ["Google Cloud backing", "Anthropic founded", "AWS + Accenture partnership"]
    assert not drawn & set(listed)


def test_the_timeline_draws_a_month_as_a_span_and_a_day_as_a_marker(report):
    chart = report.charts["timeline"]
    spans = {s.hover.split("\n")[0]: s for s in chart.spans}
    amazon = spans["Amazon $1.25B"]
    assert (amazon.start, amazon.end) == (pd.Timestamp("2023-09-01"), pd.Timestamp("2023-10-01"))
    assert amazon.hollow  # the month is inferred
    points = {h.split("\n")[0] for t in chart.traces for h in t.hover}
    assert points == {"Valuation $18.4B", "Apple iOS 18 collaboration"}  # the two dates known to the day
    assert [e.name for e in chart.legend] == [
        "Reported, on a day",
        "Reported, in a month or year",
        "Rumoured, on a day",
        "Date inferred (hollow)",
    ]
    assert {m.text for m in chart.texts} == {m.item for m in marks(chart)} and not chart.key  # labels on the marks


def test_a_later_article_changes_the_findings(data_dir):
    add_article(data_dir, "art-101")  # Google adds a tranche; total funding now exceeds $12B
    report = prepare(data_dir=str(data_dir))
    charts = report.charts
    assert charts["funding"].title == "Named investors account for $7B of Anthropic's at least $12B"
    assert charts["funding"].full_caption.endswith(f" and {report.view.source_name('art-101')}.")
    timeline = charts["timeline"]
    assert timeline.title.endswith("from September 2023 to June 2024")
    assert charts["tranches"].title == "Amazon's $4B came in two tranches"


def test_investor_charts_show_its_tranches_and_each_company():
    charts = prepare(company="Amazon", unit="millions", data_dir=str(SEED_DIR)).charts
    first, second = charts["investments"].traces
    assert (first.x, second.x) == ((1250.0,), (2750.0,)) and second.base == (1250.0,)
    assert first.labels == ("Sep 2023\n$1,250M",)
    assert first.name == "Tranche 1, September 2023 (inferred), in Anthropic"
    assert charts["investments"].title == "Amazon's $4,000M in Anthropic came in two tranches"
    assert [t.name for t in charts["portfolio"].traces] == ["Anthropic"]
    assert charts["portfolio"].traces[0].labels == ("$4,000M",)
    assert charts["portfolio"].title == "Amazon has put $4,000M into Anthropic"


@pytest.mark.parametrize("chart_id", ["tranches", "funding", "valuation"])
def test_both_renderers_draw_the_same_series_in_the_same_order(charts, chart_id):
    chart = charts[chart_id]
    fig = to_plotly(chart)
    assert [t.name for t in fig.data] == [t.name for t in chart.traces]
    assert [t.marker.color for t in fig.data] == [t.color for t in chart.traces]
    mpl = to_matplotlib(chart)
    labels = mpl.legends[0].get_texts() if mpl.legends else []
    assert [t.get_text() for t in labels] == [t.name for t in chart.traces if t.show_in_legend]
    ticks = [t.get_text() for t in mpl.axes[0].get_yticklabels() + mpl.axes[0].get_xticklabels()]
    for category in chart.categories if len(chart.categories) > 1 else ():  # one bar: its title names it
        assert category in ticks


def test_no_chart_text_is_read_as_math_and_hover_labels_carry_units(charts):
    from aiinvest.report.document import PLOTLY_CONFIG

    assert PLOTLY_CONFIG["typesetMath"] is False
    for chart in charts.values():
        fig = to_plotly(chart)
        texts = [fig.layout.title.text, *(a.text for a in fig.layout.annotations)]
        texts += [t for trace in fig.data for t in (trace.text or ()) + (trace.hovertext or ())]
        assert not [t for t in texts if "$" in t]  # every dollar is the reference &#36;, drawn as "$"
    funding = to_plotly(charts["funding"])
    assert funding.data[0].hovertext == ("Amazon: &#36;4B",) and funding.data[0].hoverinfo == "text"
    assert "&#36;6B" in funding.layout.title.text
    mpl = to_matplotlib(charts["funding"])
    dollars = [t for t in mpl.findobj(Text) if "$" in t.get_text()]
    assert len(dollars) >= 4 and not [t for t in dollars if t.get_parse_math()]  # title, labels, line: as typed


def test_the_timeline_has_the_year_on_its_axis(charts):
    fig = to_plotly(charts["timeline"])
    assert "%Y" in fig.layout.xaxis.tickformat
    mpl = to_matplotlib(charts["timeline"])
    mpl.canvas.draw()
    ticks = [t.get_text() for t in mpl.axes[0].get_xticklabels()]
    assert any("2023" in t for t in ticks) and any("2024" in t for t in ticks)


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
    assert fig.layout.title.text == "<b>&lt;b&gt;t&lt;/b&gt;</b>"  # the title is bold: its own markup only
