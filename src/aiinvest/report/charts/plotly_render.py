"""Render a Chart with plotly, for the HTML report and JupyterLab."""

import html
import textwrap

import plotly.graph_objects as go

from .spec import FONT_FAMILY, Chart, Trace
from .timeline import balance_columns


def _text(value: str) -> str:
    """Text from the data, escaped (plotly reads a subset of HTML), with line breaks."""
    return html.escape(str(value), quote=False).replace("\n", "<br>")


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
            annotation_position="top" if chart.horizontal else "top left",
        )
    category_axis = {
        "categoryorder": "array",
        "categoryarray": [_text(c) for c in chart.categories],
    }
    if chart.horizontal:
        category_axis["autorange"] = "reversed"
    value_axis = {"range": [0, chart.value_max]} if chart.value_max else {}
    fig.update_layout(
        title={"text": _text(chart.title)},
        font={"family": FONT_FAMILY, "size": 13},
        barmode="overlay",
        template="plotly_white",
        height=420 if chart.x_kind == "date" else (200 + 70 * len(chart.categories) if chart.horizontal else 380),
        margin={"l": 150 if chart.horizontal or chart.x_kind == "date" else 60, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        xaxis={
            "title": {"text": chart.x_title},
            **(category_axis if chart.x_kind == "category" and not chart.horizontal else {}),
            **(value_axis if chart.horizontal else {}),
        },
        yaxis={
            "title": {"text": chart.y_title},
            **(category_axis if chart.horizontal or chart.x_kind == "date" else {}),
            **(value_axis if not chart.horizontal else {}),
        },
    )
    return fig


def _trace(trace: Trace, chart: Chart):
    text = [_text(t) for t in trace.labels] or None
    hover = [_text(h) for h in trace.hover] or None
    if trace.kind == "bar":
        values, cats = (trace.x, trace.y) if chart.horizontal else (trace.y, trace.x)
        return go.Bar(
            name=trace.name,
            x=list(values) if chart.horizontal else [_text(c) for c in cats],
            y=[_text(c) for c in cats] if chart.horizontal else list(values),
            base=list(trace.base) if trace.base else None,
            orientation="h" if chart.horizontal else "v",
            marker={
                "color": trace.color,
                "pattern": {"shape": "/" if trace.hatch else ""},
                "line": {"color": "#333333", "width": 1 if trace.hatch else 0},
            },
            text=text,
            textposition="inside" if chart.horizontal else "outside",
            hovertext=hover,
            showlegend=trace.show_in_legend,
        )
    if trace.kind == "line":
        return go.Scatter(
            name=trace.name,
            x=[_text(c) for c in trace.x],
            y=list(trace.y),
            mode="lines+markers+text",
            line={"color": trace.color, "width": 2},
            marker={"color": trace.color, "size": 8},
            text=text,
            textposition="top center",
            hovertext=hover,
        )
    symbols = [s + ("-open" if hollow else "") for s, hollow in zip(trace.symbols, trace.hollow, strict=True)]
    return go.Scatter(
        name=trace.name,
        x=list(trace.x),
        y=[_text(c) for c in trace.y],
        mode="markers+text",
        marker={"color": trace.color, "size": 12, "symbol": symbols, "line": {"width": 2, "color": trace.color}},
        text=text,
        textposition="middle right",
        hovertext=hover,
        hoverinfo="text",
    )


ROW_PX = 28  # one unit of a numeric y axis (a timeline sub-row)
TOP_PX, TICKS_PX = 80, 45  # title and legend above the plot; date ticks below it
KEY_LINE_PX = 16
KEY_WRAP = {1: 100, 2: 48}  # characters per key line, by the number of key columns
SYMBOLS = {"circle": "circle", "diamond": "diamond"}


def _laid_out(chart: Chart) -> go.Figure:
    """A chart whose positions the specification fixes (the timeline): markers, numbers above them, a key below."""
    fig = go.Figure()
    for trace in chart.traces:
        symbols = trace.symbols or ("circle",) * len(trace.x)
        hollow = trace.hollow or (False,) * len(trace.x)
        fig.add_trace(
            go.Scatter(
                name=trace.name,
                x=list(trace.x),
                y=list(trace.y),
                mode="markers+text" if trace.labels else "markers",
                marker={
                    "color": trace.color,
                    "size": 11,
                    "symbol": [SYMBOLS[s] + ("-open" if h else "") for s, h in zip(symbols, hollow, strict=True)],
                    "line": {"width": 2, "color": trace.color},
                },
                text=[_text(t) for t in trace.labels] or None,
                textposition="top center" if trace.label_position == "above" else "middle right",
                textfont={"size": 11, "color": "#222222"},
                hovertext=[_text(h) for h in trace.hover] or None,
                hoverinfo="text",
                legendgroup=trace.name,
                showlegend=False,  # the legend would show the first marker, hollow or not: a filled one follows
            )
        )
        fig.add_trace(_legend_entry(trace.name, SYMBOLS[symbols[0]], trace.color))
    if any(h for t in chart.traces for h in t.hollow):
        fig.add_trace(_legend_entry("Date inferred (hollow marker)", "circle-open", "#555555"))
    for y in chart.dividers:
        fig.add_hline(y, line_color="#dddddd", line_width=1, layer="below")
    top, bottom = chart.y_range or (-0.5, len(chart.categories) - 0.5)
    plot_px = ROW_PX * (bottom - top)
    columns = _key_columns(chart.key)
    key_px = KEY_LINE_PX * max((len(c) for c in columns), default=0) + (20 if columns else 0)
    for i, lines in enumerate(columns):
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            x=i / len(columns),
            y=-TICKS_PX / plot_px,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": 12},
        )
    x_range = [x.isoformat() if hasattr(x, "isoformat") else x for x in chart.x_range] if chart.x_range else None
    fig.update_layout(
        title={"text": _text(chart.title)},
        font={"family": FONT_FAMILY, "size": 13},
        template="plotly_white",
        height=round(TOP_PX + plot_px + TICKS_PX + key_px),
        margin={"l": 150, "r": 30, "t": TOP_PX, "b": round(TICKS_PX + key_px)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        xaxis={"title": {"text": chart.x_title}, "range": x_range, "showgrid": True, "gridcolor": "#eeeeee"},
        yaxis={
            "title": {"text": chart.y_title},
            "range": [bottom, top],  # the first value at the top
            "tickvals": list(chart.category_positions or range(len(chart.categories))),
            "ticktext": [_text(c) for c in chart.categories],
            "showgrid": False,
            "zeroline": False,
        },
    )
    return fig


def _legend_entry(name: str, symbol: str, color: str) -> go.Scatter:
    """A legend entry with no data (toggling it toggles the traces of its group)."""
    return go.Scatter(
        name=name,
        x=[None],
        y=[None],
        mode="markers",
        marker={"color": color, "size": 11, "symbol": symbol, "line": {"width": 2, "color": color}},
        legendgroup=name,
        hoverinfo="skip",
    )


def _key_columns(key) -> list[list[str]]:
    """The key's lines (mark in bold, text wrapped), in columns read top to bottom then left to right."""
    if not key:
        return []
    count = 1 if len(key) <= 6 else 2
    entries = []
    for mark, text in key:
        lines = textwrap.wrap(str(text), KEY_WRAP[count], break_on_hyphens=False) or [""]
        indent = "\u00a0" * (2 * len(mark) + 3)  # continuation lines start under the text, roughly
        entries.append(
            [f"<b>{_text(mark)}</b>\u00a0\u00a0{_text(lines[0])}", *(indent + _text(line) for line in lines[1:])]
        )
    columns = balance_columns([len(entry) for entry in entries], count)
    return [[line for i in column for line in entries[i]] for column in columns]
