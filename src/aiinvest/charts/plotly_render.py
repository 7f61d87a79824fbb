"""Render a Chart with plotly, for the HTML report and JupyterLab."""

import html

import plotly.graph_objects as go

from .spec import FONT_FAMILY, Chart, Trace


def _text(value: str) -> str:
    """Text from the data, escaped (plotly reads a subset of HTML), with line breaks."""
    return html.escape(str(value), quote=False).replace("\n", "<br>")


def to_plotly(chart: Chart) -> go.Figure:
    """A plotly figure drawn from the chart specification."""
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
