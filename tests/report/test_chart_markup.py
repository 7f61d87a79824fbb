"""Text from the data is shown as text in the interactive charts, never read as markup (issue 21, item 6).

plotly reads a subset of HTML in every text it draws: a company called `<a href=... target=_blank>`
became a clickable off-site link in the legend, and `<span style>` took effect.
"""

import json
from datetime import date

import pandas as pd
import plotly.io as pio
import pytest

from aiinvest.report.charts.plotly_render import to_plotly
from aiinvest.report.charts.spec import Chart, LegendEntry, RefLine, Span, TextMark, Trace
from aiinvest.report.document import chart_bundle

LINK = '<a href="https://evil.example/" target="_blank">Evil Corp</a>'
STYLE = '<span style="font-size:80px">Huge</span>'
HOSTILE = [LINK, STYLE, "<b>Bold</b> Inc", "Two<br>Lines", "Fish &amp; Chips", "A<B>C"]
LIVE = ["<a ", "<span", "<b>Bold", "Two<br>", "A<B>"]  # any of these in a figure is live markup


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bar_chart(name: str, horizontal: bool = False) -> Chart:
    trace = Trace(name, "bar", (name, "Other"), (1.0, 2.0), "#336699", labels=(name, "2"), hover=(name, "h"))
    if horizontal:
        trace = Trace(name, "bar", (1.0, 2.0), (name, "Other"), "#336699", labels=(name, "2"), hover=(name, "h"))
    line = RefLine(1.5, name)
    return Chart("bars", name, name, name, name, (trace,), horizontal, categories=(name, "Other"), lines=(line,))


def line_chart(name: str) -> Chart:
    trace = Trace(name, "line", (name, "Other"), (1.0, 2.0), "#336699", labels=(name, "2"), hover=(name, "h"))
    dots = Trace(
        name,
        "markers",
        (1.0, 2.0),
        (name, "Other"),
        "#993366",
        labels=(name, "x"),
        hover=(name, "h"),
        symbols=("circle", "circle"),
        hollow=(False, True),
    )
    return Chart("lines", name, name, name, name, (trace, dots), categories=(name, "Other"))


def timeline(name: str) -> Chart:
    trace = Trace(
        name,
        "markers",
        (date(2024, 1, 1), date(2024, 6, 1)),
        (0.0, 1.0),
        "#336699",
        hover=(name, name),
        hollow=(False, True),
        symbols=("circle", "diamond"),
    )
    span = Span(pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01"), 0.0, "#336699", name, True, name)
    return Chart(
        "timeline",
        name,
        name,
        name,
        name,
        (trace,),
        x_kind="date",
        categories=(name,),
        y_kind="number",
        category_positions=(0.5,),
        x_range=(date(2023, 12, 1), date(2024, 7, 1)),
        y_range=(-0.5, 1.5),
        key=(("1", name), ("2", f"{name} and more")),
        spans=(span,),
        texts=(TextMark(pd.Timestamp("2024-04-01"), 0.0, name), TextMark(pd.Timestamp("2024-06-01"), 1.0, "2")),
        legend=(LegendEntry(name, "circle", "#336699"), LegendEntry(f"{name}, in a month", "span", "#336699")),
    )


def strings(node) -> list[str]:
    """Every string in a figure's JSON (keys aside)."""
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return [node] if isinstance(node, str) else []


CHARTS = [bar_chart, lambda name: bar_chart(name, horizontal=True), line_chart, timeline]


@pytest.mark.parametrize("make", CHARTS, ids=["bars", "horizontal bars", "line and markers", "timeline"])
@pytest.mark.parametrize("name", HOSTILE)
def test_no_data_string_reaches_plotly_as_markup(make, name):
    figure = json.loads(pio.to_json(to_plotly(make(name)), validate=False))
    texts = strings(figure)
    assert not [t for t in texts for live in LIVE if live in t]
    drawn = {"legend": [t["name"] for t in figure["data"] if t.get("showlegend", True) is not False]}
    assert escaped(name) in drawn["legend"]  # the legend shows the name as its characters, escaped once
    assert figure["data"][0]["hovertext"][0] == escaped(name)  # and so does the hover text


@pytest.mark.parametrize("make", CHARTS, ids=["bars", "horizontal bars", "line and markers", "timeline"])
def test_every_text_plotly_draws_is_escaped_once(make):
    figure = json.loads(pio.to_json(to_plotly(make("Fish &amp; Chips")), validate=False))
    texts = strings(figure)
    assert any("Fish &amp;amp; Chips" in t for t in texts)
    assert not [t for t in texts if "&amp;amp;amp;" in t or "Fish &amp; Chips" in t]  # neither twice nor raw


def test_the_report_figure_shows_a_hostile_name_as_text():
    from bs4 import BeautifulSoup

    bundle, about = chart_bundle(bar_chart(LINK), 1)
    soup = BeautifulSoup(about["aiinvest"]["figure_html"], "html.parser")
    assert not soup.select('a[href^="https://evil"], span[style]')  # the caption and data table: text
    assert LINK in soup.get_text()
    script = " ".join(s.get_text() for s in soup.find_all("script"))
    assert "&lt;a href=" in script and "<a " not in script and "\\u003ca" not in script.lower()  # plotly's data
    assert escaped(LINK) in strings(bundle["application/vnd.plotly.v1+json"])  # JupyterLab's figure too
