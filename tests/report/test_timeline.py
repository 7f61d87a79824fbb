"""The timeline: numbered markers on staggered sub-rows, full labels in a key; nothing overlaps or is clipped."""

import html
import itertools
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.text import Text

from aiinvest.report.charts.mpl_render import to_matplotlib, to_png, to_svg
from aiinvest.report.charts.plotly_render import to_plotly
from aiinvest.report.charts.spec import SKY_BLUE, VERMILLION, Chart, Trace
from aiinvest.report.charts.timeline import (
    CHAR_WIDTH,
    MIN_SPAN,
    Timeline,
    period_end,
    timeline_chart_spec,
    timeline_layout,
)

LANES = ("Investment", "Funding and valuation", "Product", "Partnership", "Rumour", "Other")
COLOURS = {"confirmed": SKY_BLUE, "rumoured": VERMILLION}

# Today's dated items for Anthropic (date, lane, label, status, inferred).
TODAY = [
    ("2023-09-01", "Investment", "Amazon $1.25B", "confirmed", True),
    ("2023-09-01", "Product", "Claude 3 already flagship", "confirmed", True),
    ("2024-03-01", "Investment", "Amazon $2.75B", "confirmed", True),
    ("2024-03-01", "Funding and valuation", "Total funding at least $10B", "confirmed", True),
    ("2024-03-01", "Product", "Claude 3 unveiled", "confirmed", True),
    ("2024-03-01", "Partnership", "AWS primary cloud", "confirmed", True),
    ("2024-03-01", "Other", "AWS on generative AI", "confirmed", True),
    ("2024-03-27", "Investment", "Amazon $4B", "confirmed", True),
    ("2024-03-27", "Funding and valuation", "Valuation $18.4B", "confirmed", False),
    ("2024-03-27", "Rumour", "Apple iOS 18 collaboration", "rumoured", True),
]


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "lane", "label", "status", "inferred"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["detail"] = [f"art-{i % 3:03d}; {d:%d %b %Y}" for i, d in enumerate(frame["date"])]
    return frame


def today_items() -> pd.DataFrame:
    return _frame(TODAY)


def many_items() -> pd.DataFrame:
    """Three times as many: several on one date in one lane, clusters a day apart, long labels."""
    investors = ["Amazon", "Google", "Salesforce Ventures", "Zoom Ventures", "Spark Capital", "Menlo Ventures"]
    rows = list(TODAY)
    rows += [
        (
            "2024-03-27",
            "Investment",
            f"{investors[i]} joins the round with a further ${i + 1}.5B commitment, subject to regulatory review",
            "confirmed",
            i % 2 == 0,
        )
        for i in range(6)
    ]
    rows += [
        (
            pd.Timestamp("2024-01-10") + pd.Timedelta(days=i),
            "Product",
            f"Claude model update {i}: longer context window and tool use for enterprise customers",
            "confirmed",
            i % 3 == 0,
        )
        for i in range(6)
    ]
    rows += [
        (
            pd.Timestamp("2023-05-01") + pd.Timedelta(days=45 * i),
            "Partnership",
            f"Partnership {i} on cloud infrastructure, custom chips (Trainium, Inferentia) and joint go-to-market",
            "confirmed",
            False,
        )
        for i in range(6)
    ]
    rows += [
        (
            pd.Timestamp("2024-02-14") + pd.Timedelta(days=i),
            "Rumour",
            f"Reportedly in talks with a large device maker (deal {i}), single unconfirmed source",
            "rumoured",
            i % 2 == 1,
        )
        for i in range(4)
    ]
    rows += [
        ("2023-12-01", "Funding and valuation", "Valuation $15B to $18.4B, per two reports", "confirmed", True),
        ("2023-12-02", "Funding and valuation", "Total funding $7.3B", "confirmed", False),
        (
            "2023-05-01",
            "Other",
            "Anthropic_statement_without_any_spaces_that_cannot_be_wrapped_at_words",
            "confirmed",
            True,
        ),
        (
            "2024-03-01",
            "Other",
            "AWS on generative AI, the most transformational technology of our time",
            "confirmed",
            True,
        ),
    ]
    return _frame(rows)


def _spec(items: pd.DataFrame) -> Chart:
    return timeline_chart_spec(
        items, Timeline(title="Anthropic: timeline of reported events", caption="Test.", lanes=LANES, colours=COLOURS)
    )


CASES = {"today": today_items, "three_times": many_items}


@pytest.fixture(params=list(CASES))
def items(request) -> pd.DataFrame:
    return CASES[request.param]()


def test_the_test_data_is_as_described():
    assert len(today_items()) == 10
    many = many_items()
    assert len(many) >= 30
    assert many.groupby(["date", "lane"]).size().max() >= 5  # several on one date in one lane
    assert many["label"].str.len().max() > 80


# The specification


def test_each_label_sits_beside_its_mark_or_in_the_key_numbered_in_date_order(items):
    chart = _spec(items)
    beside = [m.text for m in chart.texts if not m.text.isdigit()]
    assert sorted(beside + [text for _, text in chart.key]) == sorted(items["label"])
    numbers = [int(mark) for mark, _ in chart.key]
    assert numbers == sorted(numbers) and sorted(int(m.text) for m in chart.texts if m.text.isdigit()) == numbers
    short = {label for label in items["label"] if len(label) * CHAR_WIDTH < 0.4}  # fits on one side of any date
    assert short and set(beside) >= short


def test_today_every_label_fits_beside_its_mark():
    chart = _spec(today_items())
    assert not chart.key and len(chart.texts) == len(today_items())


def test_markers_keep_status_symbols_and_inferred_dates_hollow():
    chart = _spec(many_items())
    reported, rumoured = chart.traces
    assert (reported.name, rumoured.name) == ("Reported", "Rumoured")
    assert set(reported.symbols) == {"circle"} and set(rumoured.symbols) == {"diamond"}
    assert (reported.color, rumoured.color) == (SKY_BLUE, VERMILLION)
    by_label = dict(zip(many_items()["label"], many_items()["inferred"], strict=True))
    for trace in chart.traces:
        for hollow, hover in zip(trace.hollow, trace.hover, strict=True):
            assert hollow == by_label[hover.split("\n")[0]]


def test_a_month_or_a_year_is_a_span_over_its_period_and_the_legend_lists_only_what_is_drawn():
    items = today_items().iloc[[0, 8]].assign(end=[pd.Timestamp("2023-10-01"), pd.Timestamp("2024-03-27")])
    chart = _spec(items)
    (span,) = chart.spans
    assert (span.start, span.end, span.hollow) == (pd.Timestamp("2023-09-01"), pd.Timestamp("2023-10-01"), True)
    (marker,) = chart.traces
    assert marker.x == (pd.Timestamp("2024-03-27"),) and marker.hollow == (False,)
    assert [e.name for e in chart.legend] == [
        "Reported, on a day",
        "Reported, in a month or year",
        "Date inferred (hollow)",
    ]
    assert period_end(pd.Timestamp("2023-01-01"), "year") == pd.Timestamp("2024-01-01")
    assert period_end(pd.Timestamp("2023-12-01"), "month") == pd.Timestamp("2024-01-01")


def test_lanes_are_labelled_at_their_centres_in_order(items):
    chart = _spec(items)
    assert chart.categories == LANES and chart.y_kind == "number"
    assert list(chart.category_positions) == sorted(chart.category_positions)
    assert len(chart.dividers) == len(LANES) - 1
    ys = [y for t in chart.traces for y in t.y]
    top, bottom = chart.y_range
    assert top < min(ys) and max(ys) < bottom
    bounds = zip((top, *chart.dividers), (*chart.dividers, bottom), strict=True)
    for centre, (lower, upper) in zip(chart.category_positions, bounds, strict=True):
        assert lower < centre < upper


def test_many_items_on_one_date_in_one_lane_get_their_own_sub_rows():
    layout = timeline_layout(many_items(), LANES)
    same = layout.items[(layout.items["date"] == "2024-03-27") & (layout.items["lane"] == "Investment")]
    assert len(same) == 7 and sorted(same["subrow"]) == list(range(7))
    assert layout.rows > len(LANES)


def test_one_date_only_still_gives_a_readable_range():
    items = today_items().iloc[[2, 3, 4]]
    layout = timeline_layout(items, LANES)
    start, end = layout.x_range
    assert end - start >= MIN_SPAN
    assert start < items["date"].min() and items["date"].max() < end


def test_bad_items_are_refused():
    with pytest.raises(ValueError, match="lanes not listed"):
        timeline_layout(today_items().assign(lane="Nowhere"), LANES)
    with pytest.raises(ValueError, match="needs a date"):
        timeline_layout(today_items().assign(date=pd.NaT), LANES)
    with pytest.raises(ValueError, match="at least one"):
        timeline_layout(today_items().iloc[0:0], LANES)
    with pytest.raises(ValueError, match="lack columns: detail"):
        _spec(today_items().drop(columns="detail"))


# The matplotlib rendering


def _overlap(a, b, tolerance: float = 0.5) -> bool:
    """Whether two display boxes share more than a sliver (tolerance in pixels)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def _inside(box, outer, tolerance: float = 0.5) -> bool:
    return (
        box.x0 >= outer.x0 - tolerance
        and box.x1 <= outer.x1 + tolerance
        and box.y0 >= outer.y0 - tolerance
        and box.y1 <= outer.y1 + tolerance
    )


def test_matplotlib_labels_never_overlap_nor_leave_the_figure(items):
    _check_matplotlib(_spec(items), items)


def test_a_long_title_is_wrapped_inside_the_figure():
    items = today_items()
    title = "Anthropic, the AI safety company: a timeline of every reported investment, valuation and partnership"
    chart = timeline_chart_spec(items, Timeline(title=title, caption="", lanes=LANES, colours=COLOURS))
    _check_matplotlib(chart, items)


def _check_matplotlib(chart: Chart, items: pd.DataFrame) -> None:
    fig = to_matplotlib(chart)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (ax,) = fig.axes
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        boxes = {t: t.get_window_extent(renderer) for t in texts}
        labels = list(ax.texts)  # beside the marks: a label, or a number keyed below
        assert sorted(t.get_text() for t in labels) == sorted(m.text for m in chart.texts)
        shown = {t.get_text() for t in texts}
        assert set(LANES) <= shown  # lane labels
        assert {"Amazon $1.25B", "Valuation $18.4B"} <= shown  # as typed: no mathtext
        for text, box in boxes.items():
            assert _inside(box, fig.bbox), f"{text.get_text()!r} leaves the figure"
        for a, b in itertools.combinations(texts, 2):  # labels, lane labels, dates, legend, key lines, title
            assert not _overlap(boxes[a], boxes[b]), f"{a.get_text()!r} overlaps {b.get_text()!r}"

        xlim, ylim = ax.get_xlim(), sorted(ax.get_ylim())
        markers = []
        for collection in ax.collections:
            half = math.sqrt(collection.get_sizes()[0]) / 2 * fig.dpi / 72 + 1  # pixels, with the edge
            for x, y in collection.get_offsets():
                assert xlim[0] < x < xlim[1] and ylim[0] < y < ylim[1], "a marker outside the axes' limits"
                cx, cy = ax.transData.transform((x, y))
                assert ax.bbox.x0 <= cx - half and cx + half <= ax.bbox.x1
                assert ax.bbox.y0 <= cy - half and cy + half <= ax.bbox.y1
                markers.append((cx, cy, half))
        assert len(markers) == len(items)
        for text in labels:  # no label sits on any marker
            box = boxes[text]
            for cx, cy, half in markers:
                assert not (box.x0 < cx + half and cx - half < box.x1 and box.y0 < cy + half and cy - half < box.y1)
    finally:
        plt.close(fig)


def test_the_figure_grows_with_sub_rows_and_key_lines():
    small, large = (to_matplotlib(_spec(f())) for f in (today_items, many_items))
    try:
        assert small.get_figwidth() == large.get_figwidth()
        assert large.get_figheight() > small.get_figheight() + 1
    finally:
        plt.close(small)
        plt.close(large)


def test_svg_and_png_render_with_text_kept_as_text():
    chart = _spec(many_items())
    svg = to_svg(chart)
    assert "Amazon $1.25B" in svg and html.escape("Partnership 0 on cloud", quote=False) in svg
    assert to_png(_spec(today_items()), dpi=50).startswith(b"\x89PNG")  # the same layout, rasterised


# The plotly rendering


def drawn(text: str) -> str:
    """A text as plotly is given it: escaped, its dollars as references (never typeset as TeX)."""
    return html.escape(text, quote=False).replace("$", "&#36;")


def test_plotly_draws_each_label_beside_its_mark_inside_the_range(items):
    chart = _spec(items)
    fig = to_plotly(chart)
    beside = [a for a in fig.layout.annotations if a.xref != "paper"]
    assert sorted(a.text for a in beside) == sorted(drawn(m.text) for m in chart.texts)
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert all(start <= pd.Timestamp(a.x) <= end for a in beside)
    bottom, top = fig.layout.yaxis.range
    assert all(top + 0.5 <= a.y <= bottom - 0.5 for a in beside)
    assert list(fig.layout.yaxis.ticktext) == list(LANES)
    assert "%Y" in fig.layout.xaxis.tickformat  # the year on the axis


def test_plotly_shows_every_full_label(items):
    chart = _spec(items)
    fig = to_plotly(chart)
    hover = " ".join(h for trace in fig.data if trace.hovertext is not None for h in trace.hovertext)
    key = "<br>".join(a.text for a in fig.layout.annotations if a.xref == "paper")
    for label in items["label"]:
        assert drawn(label) in hover
    for number, _ in chart.key:
        assert f"<b>{number}</b>" in key
    assert "http" not in fig.to_json()  # no external resource
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == [e.name for e in chart.legend]


def test_plotly_height_grows_with_sub_rows_and_key_lines():
    small, large = (to_plotly(_spec(f())).layout.height for f in (today_items, many_items))
    assert large > small + 150


def test_other_charts_still_draw_categories():
    chart = Chart(
        id="old",
        title="Old timeline",
        caption="",
        x_title="",
        y_title="",
        x_kind="date",
        categories=("Investment",),
        traces=(
            Trace(
                "Reported",
                "markers",
                (pd.Timestamp("2024-03-01"),),
                ("Investment",),
                SKY_BLUE,
                labels=("Amazon $2.75B",),
                hollow=(True,),
                symbols=("circle",),
            ),
        ),
    )
    assert to_svg(chart).count("Amazon $2.75B") == 1
    assert list(to_plotly(chart).data[0].y) == ["Investment"]


# The layout, for any items


@settings(max_examples=2 * settings.default.max_examples)  # cheap examples: twice the profile's
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=3 * 365),
            st.sampled_from(LANES),
            st.text(max_size=30),
        ),
        min_size=1,
        max_size=60,
    ),
    min_gap=st.sampled_from([0.01, 0.04, 0.1, 0.3]),
)
def test_layout_places_every_item_once_and_keeps_each_sub_row_apart(rows, min_gap):
    items = pd.DataFrame(
        {
            "date": [pd.Timestamp("2023-01-01") + pd.Timedelta(days=d) for d, _, _ in rows],
            "lane": [lane for _, lane, _ in rows],
            "label": [label for _, _, label in rows],
        }
    )
    layout = timeline_layout(items, LANES, min_gap=min_gap)
    placed = layout.items
    assert list(placed["number"]) == list(range(1, len(rows) + 1))  # each item exactly once
    key = ["date", "lane", "label"]
    pd.testing.assert_frame_equal(
        placed[key].sort_values(key).reset_index(drop=True), items[key].sort_values(key).reset_index(drop=True)
    )
    assert placed["date"].is_monotonic_increasing  # numbered in date order
    span = max(items["date"].max() - items["date"].min(), MIN_SPAN)
    assert layout.gap == span * min_gap
    for _, row in placed.groupby(["lane", "subrow"]):
        assert row["y"].nunique() == 1
        extents = sorted(zip(row["extent_start"], row["extent_end"], strict=True))
        assert all(b[0] - a[1] >= layout.gap for a, b in itertools.pairwise(extents))  # marks and labels apart
    # a sub-row's y belongs to one lane and sub-row only
    assert placed.groupby("y")[["lane", "subrow"]].nunique().max().max() == 1
    # a label beside its mark stays within the axis
    beside = placed[placed["side"].isin(["after", "before"])]
    assert (beside["extent_start"] >= layout.x_range[0]).all() and (beside["extent_end"] <= layout.x_range[1]).all()
    start, end = layout.x_range
    assert start < placed["date"].min() and placed["date"].max() < end
    top, bottom = layout.y_range
    assert top < placed["y"].min() and placed["y"].max() < bottom
