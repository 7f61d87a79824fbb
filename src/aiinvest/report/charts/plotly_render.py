"""Render a Chart with plotly, for the HTML report and JupyterLab.

plotly reads a subset of HTML (links, styles, line breaks) in every text it draws: trace names, titles,
axis titles, tick labels, annotations, text on marks and hover text. Every string from the chart
specification passes through `_text` (and only through it, once) on its way into a figure, so that a
company called `<a href=...>` is shown as those characters; the markup this module adds is its own.
"""

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .spec import (
    AXIS_COLOUR,
    BACKGROUND,
    FONT_FAMILY,
    GRID_COLOUR,
    HATCH_COLOUR,
    MUTED_TEXT,
    TEXT_COLOUR,
    Chart,
    Trace,
    text_on,
)

TITLE_WRAP = 40  # characters per title line: a title stays whole in a phone-wide chart
TITLE_SIZE = 15
SUBTITLE_WRAP = 52  # the subtitle, smaller, in as many characters per line
SUBTITLE_SIZE = 12
HEADROOM = 0.5  # above the first bar of a horizontal chart with a reference line, in category bands
BAR_WIDTH = 0.55  # of a category's band, as in print: room above a bar for a reference line's label
CATEGORY_WRAP = 16  # characters per line of a category's tick label
LEGEND = {  # below the plot, left-aligned; plotly wraps it into rows when the chart is narrow
    "orientation": "h",
    "xref": "container",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "font": {"color": TEXT_COLOUR},
    "bgcolor": "rgba(0,0,0,0)",
}
HOVER_LABEL = {"bgcolor": BACKGROUND, "bordercolor": TEXT_COLOUR, "font": {"color": TEXT_COLOUR}}
MODEBAR = {"bgcolor": "rgba(0,0,0,0)", "color": MUTED_TEXT, "activecolor": TEXT_COLOUR}


def _text(value: str) -> str:
    """Text from the data, escaped (plotly reads a subset of HTML), with line breaks: the one place data is escaped.

    A dollar sign becomes its character reference, which plotly draws as "$": two dollars in one text are
    otherwise typeset as TeX wherever MathJax is loaded (JupyterLab), and the text between them vanishes.
    """
    return html.escape(str(value), quote=False).replace("$", "&#36;").replace("\n", "<br>")


def _category(value) -> str:
    """A category's name as a tick label: each of its lines wrapped short, so that labels side by side fit a phone."""
    lines = [line for part in str(value).split("\n") for line in textwrap.wrap(part, CATEGORY_WRAP) or [""]]
    return "<br>".join(_text(line) for line in lines)


def _title(chart: Chart) -> dict:
    """The chart's title on lines short enough for a phone, at the top left, its subtitle (unit, date) under it."""
    lines = textwrap.wrap(str(chart.title), TITLE_WRAP, break_on_hyphens=False) or [""]
    subtitle = textwrap.wrap(str(chart.subtitle), SUBTITLE_WRAP, break_on_hyphens=False)
    return {
        "text": "<br>".join(f"<b>{_text(line)}</b>" for line in lines),
        "font": {"size": TITLE_SIZE, "color": TEXT_COLOUR},
        "subtitle": {"text": "<br>".join(_text(line) for line in subtitle), "font": {"size": SUBTITLE_SIZE}},
        "xref": "container",
        "x": 0,
        "xanchor": "left",
        "yref": "paper",  # just above the plot, the top margin growing with its lines
        "y": 1,
        "yanchor": "bottom",
        "pad": {"l": 4, "b": 12 + SUBTITLE_LINE_PX * len(subtitle)},  # plotly draws the subtitle in this pad
        "automargin": True,
    }


def _style() -> dict:
    """Colours and fonts every chart shares: solid light background, text in TEXT_COLOUR, hover in a solid box."""
    return {
        "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOUR},
        "template": "plotly_white",
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "hoverlabel": HOVER_LABEL,
        "modebar": MODEBAR,
        "uniformtext": {"mode": "hide", "minsize": 11},  # a bar's label that does not fit inside it is hidden
    }


def _axis(**extra) -> dict:
    return {
        "automargin": True,
        "gridcolor": GRID_COLOUR,
        "linecolor": AXIS_COLOUR,
        "zerolinecolor": AXIS_COLOUR,
        "tickfont": {"color": TEXT_COLOUR},
        "title": {"font": {"color": TEXT_COLOUR}},
        **extra,
    }


def to_plotly(chart: Chart) -> go.Figure:
    """A plotly figure drawn from the chart specification."""
    if chart.y_kind == "number":
        return _laid_out(chart)
    fig = go.Figure()
    for trace in chart.traces:
        fig.add_trace(_trace(trace, chart))
    for line in chart.lines:
        add = fig.add_vline if chart.horizontal else fig.add_hline
        add(
            line.value,
            line_dash="dash",
            line_color=line.color,
            annotation_text=_text(line.label),
            # inside the plot, beside the line's top end: clear of the title and the legend
            annotation_position="top left",
            annotation_font={"color": TEXT_COLOUR, "size": 12},
        )
    category_axis: dict[str, object] = {
        "categoryorder": "array",
        "categoryarray": [_category(c) for c in chart.categories],
    }
    if chart.horizontal:  # the first at the top, and room above it for a reference line's label
        category_axis["range"] = [len(chart.categories) - 0.5, -0.5 - (HEADROOM if chart.lines else 0)]
    if len(chart.categories) == 1:  # one bar: the title says what it is, and a phone keeps its width for the values
        category_axis["showticklabels"] = False
    value_axis = {"range": [0, chart.value_max]} if chart.value_max else {"range": [0, 1.25 * _top(chart)]}
    fig.update_layout(
        title=_title(chart),
        **_style(),
        barmode="overlay",
        height=420 if chart.x_kind == "date" else (_bars_height(chart) if chart.horizontal else 400),
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        legend=LEGEND,
        xaxis=_axis(
            title={"text": _text(chart.x_title), "font": {"color": TEXT_COLOUR}},
            **(category_axis if chart.x_kind == "category" and not chart.horizontal else {}),
            **(value_axis if chart.horizontal else {}),
        ),
        yaxis=_axis(
            title={"text": _text(chart.y_title), "font": {"color": TEXT_COLOUR}},
            **(category_axis if chart.horizontal or chart.x_kind == "date" else {}),
            **(value_axis if not chart.horizontal else {}),
        ),
    )
    return fig


def _bars_height(chart: Chart) -> int:
    """A horizontal chart's height: room for each bar to hold two lines of its label, when the legend wraps too."""
    return 190 + 75 * len(chart.categories) + (50 if chart.lines else 0) + (30 if len(chart.traces) > 2 else 0)


def _top(chart: Chart) -> float:
    """The largest value drawn (a bar's end, a line's point), for room above it for the labels."""
    ends = [
        (base or 0) + (value or 0)
        for trace in chart.traces
        if trace.kind in ("bar", "line")
        for value, base in zip(
            trace.x if chart.horizontal else trace.y, trace.base or (0,) * len(trace.x), strict=False
        )
    ]
    return max([e for e in ends if isinstance(e, int | float)] or [1.0])


def _trace(trace: Trace, chart: Chart):
    text = [_text(t) for t in trace.labels] or None
    hover = [_text(h) for h in trace.hover or trace.labels] or None  # with its unit ("$4B"), never a bare 4
    if trace.kind == "bar":
        values, cats = (trace.x, trace.y) if chart.horizontal else (trace.y, trace.x)
        stacked = trace.base is not None and chart.horizontal
        return go.Bar(
            name=_text(trace.name),
            x=list(values) if chart.horizontal else [_category(c) for c in cats],
            y=[_category(c) for c in cats] if chart.horizontal else list(values),
            base=list(trace.base) if trace.base else None,
            orientation="h" if chart.horizontal else "v",
            width=BAR_WIDTH,
            marker={
                "color": trace.color,
                "pattern": {"shape": "/" if trace.hatch else "", "fgcolor": HATCH_COLOUR, "solidity": 0.25},
                # a hatched bar is edged in the hatch's colour; a stacked segment in the page's, to keep it apart
                "line": {
                    "color": HATCH_COLOUR if trace.hatch else BACKGROUND,
                    "width": 1 if trace.hatch else (1.5 if stacked else 0),
                },
            },
            text=text,
            # Labels sit beside a bar, on the page; on a bar (a stacked segment, or where there is no room beside
            # it) they take the colour that contrasts with its fill and hatch, or are hidden when they do not fit.
            textposition="inside" if stacked else ("auto" if chart.horizontal else "outside"),
            textangle=0,  # never turned to fit: hidden instead (uniformtext)
            insidetextanchor="middle",
            insidetextfont={"color": text_on(trace.color, *((HATCH_COLOUR,) if trace.hatch else ()))},
            outsidetextfont={"color": TEXT_COLOUR},
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text" if hover else "name",
            showlegend=trace.show_in_legend,
        )
    if trace.kind == "line":
        return go.Scatter(
            name=_text(trace.name),
            x=[_category(c) for c in trace.x],
            y=list(trace.y),
            mode="lines+markers+text",
            line={"color": trace.color, "width": 2},
            marker={"color": trace.color, "size": 8},
            text=text,
            textposition="top center",
            textfont={"color": TEXT_COLOUR},
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text" if hover else "name",
        )
    symbols = [s + ("-open" if hollow else "") for s, hollow in zip(trace.symbols, trace.hollow, strict=True)]
    return go.Scatter(
        name=_text(trace.name),
        x=list(trace.x),
        y=[_category(c) for c in trace.y],
        mode="markers+text",
        marker={"color": trace.color, "size": 12, "symbol": symbols, "line": {"width": 2, "color": trace.color}},
        text=text,
        textposition="middle right",
        textfont={"color": TEXT_COLOUR},
        cliponaxis=False,
        hovertext=hover,
        hoverinfo="text",
    )


ROW_PX = 28  # one unit of a numeric y axis (a timeline sub-row)
TICKS_PX, LEGEND_PX = 40, 58  # date ticks below the plot, then the legend
TITLE_LINE_PX, SUBTITLE_LINE_PX, TITLE_PAD_PX = 22, 17, 22  # above the plot: the title's and subtitle's lines
KEY_LINE_PX = 16
KEY_WRAP = 44  # characters per key line: one column that fits the plot at the chart's least width (report.css)
SYMBOLS = {"circle": "circle", "diamond": "diamond", "span": "square"}
SPAN_HEIGHT = 0.42  # a period's bar, in sub-rows
LABEL_SHIFT = 8  # pixels between a mark's date and its label: clear of a marker's half width
LABEL_SIZE = 10  # a label beside its mark: the layout's width per character holds at the chart's least width
DATE_TICKS = "%b<br>%Y"  # month, and the year under it: the year is always on the axis


def _markers(trace: Trace) -> go.Scatter:
    symbols = trace.symbols or ("circle",) * len(trace.x)
    hollow = trace.hollow or (False,) * len(trace.x)
    return go.Scatter(
        name=_text(trace.name),
        x=list(trace.x),
        y=list(trace.y),
        mode="markers",
        marker={
            "color": trace.color,
            "size": 11,
            "symbol": [SYMBOLS[s] + ("-open" if h else "") for s, h in zip(symbols, hollow, strict=True)],
            "line": {"width": 2, "color": trace.color},
        },
        hovertext=[_text(h) for h in trace.hover] or None,
        hoverinfo="text",
        showlegend=False,  # the legend lists each kind of mark once (chart.legend)
    )


def _spans(chart: Chart) -> go.Bar:
    """Each period as a bar across it: filled where the sources state the date, an outline where it is inferred."""
    return go.Bar(
        name="periods",
        orientation="h",
        base=[pd.Timestamp(s.start).isoformat() for s in chart.spans],
        x=[(pd.Timestamp(s.end) - pd.Timestamp(s.start)).total_seconds() * 1000 for s in chart.spans],
        y=[s.y for s in chart.spans],
        width=SPAN_HEIGHT,
        marker={
            "color": [BACKGROUND if s.hollow else s.color for s in chart.spans],
            "line": {"color": [s.color for s in chart.spans], "width": 2},
        },
        hovertext=[_text(s.hover) for s in chart.spans],
        hoverinfo="text",
        showlegend=False,
    )


def _label(fig: go.Figure, mark) -> None:
    fig.add_annotation(
        x=pd.Timestamp(mark.x).isoformat(),
        y=mark.y,
        text=_text(mark.text),
        xanchor="left" if mark.align == "left" else "right",
        xshift=LABEL_SHIFT if mark.align == "left" else -LABEL_SHIFT,
        yanchor="middle",
        showarrow=False,
        font={"size": 11, "color": TEXT_COLOUR},
    )


def _title_height(chart: Chart) -> int:
    """The top margin for the title's and subtitle's lines as _title wraps them."""
    title = textwrap.wrap(str(chart.title), TITLE_WRAP, break_on_hyphens=False) or [""]
    subtitle = textwrap.wrap(str(chart.subtitle), SUBTITLE_WRAP, break_on_hyphens=False)
    return TITLE_PAD_PX + TITLE_LINE_PX * len(title) + SUBTITLE_LINE_PX * len(subtitle)


def _laid_out(chart: Chart) -> go.Figure:
    """A chart whose positions the specification fixes (the timeline): marks, labels beside them, a key below."""
    fig = go.Figure()
    if chart.spans:
        fig.add_trace(_spans(chart))
    for trace in chart.traces:
        fig.add_trace(_markers(trace))
    for entry in chart.legend:
        fig.add_trace(_legend_entry(entry.name, SYMBOLS[entry.symbol] + ("-open" if entry.hollow else ""), entry.color))
    for mark in chart.texts:
        _label(fig, mark)
    for y in chart.dividers:
        fig.add_hline(y, line_color=GRID_COLOUR, line_width=1, layer="below")
    top, bottom = chart.y_range or (-0.5, len(chart.categories) - 0.5)
    plot_px = ROW_PX * (bottom - top)
    title_px = _title_height(chart)
    lines = _key_lines(chart.key)
    key_px = KEY_LINE_PX * len(lines) + (20 if lines else 0)
    if lines:
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            x=0,
            y=-(TICKS_PX + LEGEND_PX) / plot_px,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": 12, "color": TEXT_COLOUR},
        )
    x_range = [x.isoformat() if hasattr(x, "isoformat") else x for x in chart.x_range] if chart.x_range else None
    height = round(title_px + plot_px + TICKS_PX + LEGEND_PX + key_px)
    fig.update_layout(
        title=_title(chart),
        **_style(),
        barmode="overlay",
        height=height,
        margin={"l": 8, "r": 16, "t": title_px, "b": round(TICKS_PX + LEGEND_PX + key_px)},
        legend={**LEGEND, "xref": "paper", "yref": "paper", "y": -TICKS_PX / plot_px, "yanchor": "top"},
        xaxis=_axis(
            title={"text": _text(chart.x_title)},
            range=x_range,
            type="date",
            showgrid=True,
            tickangle=0,
            tickformat=DATE_TICKS,
        ),
        yaxis=_axis(
            title={"text": _text(chart.y_title)},
            range=[bottom, top],  # the first value at the top
            tickvals=list(chart.category_positions or range(len(chart.categories))),
            ticktext=[_text(c) for c in chart.categories],
            showgrid=False,
            zeroline=False,
        ),
    )
    return fig


def _legend_entry(name: str, symbol: str, color: str) -> go.Scatter:
    """A legend entry with no data: one kind of mark the chart draws."""
    return go.Scatter(
        name=_text(name),
        x=[None],
        y=[None],
        mode="markers",
        marker={"color": color, "size": 11, "symbol": symbol, "line": {"width": 2, "color": color}},
        hoverinfo="skip",
    )


def _key_lines(key) -> list[str]:
    """The key's lines, one column: each entry's mark in bold, its text wrapped, continuation lines indented."""
    lines = []
    for mark, text in key:
        wrapped = textwrap.wrap(str(text), KEY_WRAP, break_on_hyphens=False) or [""]
        indent = "\u00a0" * (2 * len(mark) + 3)  # continuation lines start under the text, roughly
        lines.append(f"<b>{_text(mark)}</b>\u00a0\u00a0{_text(wrapped[0])}")
        lines += [indent + _text(line) for line in wrapped[1:]]
    return lines
