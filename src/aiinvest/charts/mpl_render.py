"""Render a Chart with matplotlib, for print (SVG) and slides (PNG)."""

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from .spec import FONT_FAMILY, HEIGHT_IN, WIDTH_IN, Chart, Trace

STYLE = {
    "font.family": FONT_FAMILY,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # keep text as text: selectable and searchable in the PDF
    "svg.hashsalt": "aiinvest",  # stable ids: the same chart gives the same SVG
    "hatch.color": "#333333",
}


def to_matplotlib(chart: Chart):
    """A matplotlib figure drawn from the chart specification."""
    with plt.rc_context(STYLE):
        height = 1.5 + 0.6 * len(chart.categories) if chart.horizontal else HEIGHT_IN
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
        positions = {c: i for i, c in enumerate(chart.categories)}
        for trace in chart.traces:
            _draw(ax, trace, chart, positions)
        for line in chart.lines:
            draw = ax.axvline if chart.horizontal else ax.axhline
            draw(line.value, color=line.color, linestyle="--", linewidth=1)
            if chart.horizontal:
                ax.annotate(
                    line.label,
                    (line.value, 1.0),
                    xycoords=("data", "axes fraction"),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
        _axes(ax, chart, positions)
        ax.set_title(chart.title, loc="left", fontsize=11, fontweight="bold")
        handles, labels = ax.get_legend_handles_labels()
        order = [t.name for t in chart.traces]  # the specification's order, not matplotlib's
        pairs = sorted(zip(handles, labels, strict=True), key=lambda pair: order.index(pair[1]))
        handles, labels = [h for h, _ in pairs], [label for _, label in pairs]
        if handles:
            fig.legend(
                handles, labels, loc="outside lower center", ncols=min(len(handles), 3), frameon=False, fontsize=8
            )
    return fig


def _draw(ax, trace: Trace, chart: Chart, positions: dict) -> None:
    style = {"color": trace.color, "label": trace.name if trace.show_in_legend else None}
    if trace.kind == "bar":
        cats = trace.y if chart.horizontal else trace.x
        values = trace.x if chart.horizontal else trace.y
        where = [positions[c] for c in cats]
        hatch = {"hatch": "///", "edgecolor": "#333333", "linewidth": 0.8} if trace.hatch else {}
        if chart.horizontal:
            bars = ax.barh(where, values, left=trace.base or 0, height=0.55, **style, **hatch)
        else:
            bars = ax.bar(where, values, bottom=trace.base or 0, width=0.55, **style, **hatch)
        labels = list(trace.labels)
        if chart.horizontal and chart.value_max:  # a label wider than its segment would overlap
            labels = [
                text if value >= 0.12 * chart.value_max else "" for text, value in zip(labels, values, strict=True)
            ]
        if labels:
            ax.bar_label(
                bars,
                labels=labels,
                label_type="center" if chart.horizontal else "edge",
                fontsize=8,
                padding=2,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
    elif trace.kind == "line":
        where = [positions[c] for c in trace.x]
        ax.plot(where, trace.y, marker="o", linewidth=2, **style)
        for x, y, text in zip(where, trace.y, trace.labels, strict=False):
            ax.annotate(text, (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    else:
        ys = [positions[c] for c in trace.y]
        marker = {"circle": "o", "diamond": "D"}
        seen: dict = {}
        for i, (x, y) in enumerate(zip(trace.x, ys, strict=True)):
            stack = seen[y] = seen.get(y, -1) + 1  # alternate label heights within a lane
            hollow = trace.hollow[i] if trace.hollow else False
            ax.scatter(
                [x],
                [y],
                s=60,
                marker=marker[trace.symbols[i] if trace.symbols else "circle"],
                facecolors="white" if hollow else trace.color,
                edgecolors=trace.color,
                linewidths=1.8,
                label=style["label"] if i == 0 else None,
                zorder=3,
            )
            if trace.labels:
                ax.annotate(
                    trace.labels[i], (x, y), textcoords="offset points", xytext=(7, 5 - 11 * (stack % 2)), fontsize=7
                )


def _axes(ax, chart: Chart, positions: dict) -> None:
    ticks = list(positions.values())
    names = list(positions)
    if chart.horizontal:
        ax.set_yticks(ticks, names)
        ax.invert_yaxis()
        ax.set_xlabel(chart.x_title)
        if chart.value_max:
            ax.set_xlim(0, chart.value_max)
    elif chart.x_kind == "date":
        ax.set_yticks(ticks, names)
        ax.invert_yaxis()
        ax.set_ylim(len(names) - 0.5, -0.5)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        left, right = ax.get_xlim()
        ax.set_xlim(left - 20, right + 75)  # room for labels to the right of the last markers
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    else:
        ax.set_xticks(ticks, names)
        ax.set_ylabel(chart.y_title)
        if chart.value_max:
            ax.set_ylim(0, chart.value_max)
        else:
            ax.margins(y=0.25)


def to_svg(chart: Chart) -> str:
    """The chart as SVG text (vector, text kept as text), its ids prefixed with the chart id."""
    fig = to_matplotlib(chart)
    buffer = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return _prefix_ids(buffer.getvalue(), chart.id)


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make element ids unique per chart, so several SVGs can share one HTML page."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)


def to_png(chart: Chart, dpi: int = 200) -> bytes:
    """The chart as PNG bytes, for slides."""
    fig = to_matplotlib(chart)
    buffer = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
