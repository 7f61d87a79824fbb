"""Render a Chart with matplotlib, for print (SVG) and slides (PNG)."""

import functools
import io
import re
from collections.abc import Sequence
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure, SubFigure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.typing import RcKeyType

from .spec import (
    AXIS_COLOUR,
    BACKGROUND,
    FONT_FAMILY,
    GRID_COLOUR,
    HATCH_COLOUR,
    HEIGHT_IN,
    MUTED_TEXT,
    TEXT_COLOUR,
    WIDTH_IN,
    Chart,
    Trace,
    text_on,
)
from .timeline import balance_columns

STYLE: dict[RcKeyType, Any] = {
    "font.family": FONT_FAMILY,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,  # a dollar sign is a dollar: "$6B of ... $10B" is never read as TeX
    "svg.fonttype": "none",  # keep text as text: selectable and searchable in the PDF
    "svg.hashsalt": "aiinvest",  # stable ids: the same chart gives the same SVG
    "hatch.color": HATCH_COLOUR,
    # The palette of spec.py: text in TEXT_COLOUR on the white figure (at least 4.5:1), axes and grid in grey.
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": AXIS_COLOUR,
    "axes.titlecolor": TEXT_COLOUR,
    "xtick.color": AXIS_COLOUR,
    "ytick.color": AXIS_COLOUR,
    "xtick.labelcolor": TEXT_COLOUR,
    "ytick.labelcolor": TEXT_COLOUR,
    "legend.labelcolor": TEXT_COLOUR,
    "grid.color": GRID_COLOUR,
    "figure.facecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
}


def to_matplotlib(chart: Chart):
    """A matplotlib figure drawn from the chart specification."""
    if chart.y_kind == "number":
        return _laid_out(chart)
    with plt.rc_context(STYLE):
        height = 1.75 + 0.55 * len(chart.categories) if chart.horizontal else HEIGHT_IN
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height), layout="constrained")
        positions = {c: i for i, c in enumerate(chart.categories)}
        for trace in chart.traces:
            _draw(ax, trace, chart, positions)
        _ref_lines(ax, chart)
        _axes(ax, chart, positions)
        measure = _measurer(fig)
        ticks = max((measure(str(c), 9)[0] for c in chart.categories), default=0) if len(chart.categories) > 1 else 0
        width = WIDTH_IN - 2 * KEY_PAD_IN - ticks - 0.25
        _titles(ax, _wrap(chart.title, width, lambda t: measure(t, 11, "bold")), chart.subtitle)
        handles, labels = ax.get_legend_handles_labels()
        order = [t.name for t in chart.traces]  # the specification's order, not matplotlib's
        pairs = sorted(zip(handles, labels, strict=True), key=lambda pair: order.index(pair[1]))
        handles, labels = [h for h, _ in pairs], [label for _, label in pairs]
        if handles:
            fig.legend(
                handles, labels, loc="outside lower center", ncols=min(len(handles), 3), frameon=False, fontsize=8
            )
    return fig


SUBTITLE_SIZE = 8.5
HEADROOM = 0.45  # above the first bar of a horizontal chart with a reference line: room for the line's label


def _ref_lines(ax, chart: Chart) -> None:
    """Dashed reference lines; on a horizontal chart each labelled inside the plot, left of the line's top end."""
    for line in chart.lines:
        draw = ax.axvline if chart.horizontal else ax.axhline
        draw(line.value, color=line.color, linestyle="--", linewidth=1)
        if chart.horizontal:
            ax.annotate(
                line.label,
                (line.value, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(-4, -2),
                textcoords="offset points",
                ha="right",
                va="top",
                fontsize=8,
                bbox={"boxstyle": "square,pad=0.1", "fc": BACKGROUND, "ec": "none"},
            )


def _titles(ax, title: list[str], subtitle: str) -> None:
    """The title's lines in bold at the top left, the subtitle (unit and date) under them, above the plot."""
    ax.set_title("\n".join(title), loc="left", fontsize=11, fontweight="bold", pad=20 if subtitle else 6)
    if subtitle:
        ax.annotate(
            subtitle,
            (0, 1),
            xycoords="axes fraction",
            xytext=(0, 6),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=SUBTITLE_SIZE,
            color=MUTED_TEXT,
        )


def _draw(ax, trace: Trace, chart: Chart, positions: dict) -> None:
    style = {"color": trace.color, "label": trace.name if trace.show_in_legend else None}
    if trace.kind == "bar":
        cats = trace.y if chart.horizontal else trace.x
        values = trace.x if chart.horizontal else trace.y
        where = [positions[c] for c in cats]
        # a stacked segment is edged in the page's colour, so that segments of one colour stay apart
        edge = {"edgecolor": BACKGROUND, "linewidth": 1.2} if trace.base is not None else {}
        hatch = {"hatch": "///", "edgecolor": HATCH_COLOUR, "linewidth": 0.8} if trace.hatch else edge
        draw = ax.barh if chart.horizontal else ax.bar
        start = {"left" if chart.horizontal else "bottom": trace.base or 0}
        size = {"height" if chart.horizontal else "width": 0.55}
        if trace.hatch:  # a solid bar under the hatched one: a PDF viewer's seams between pattern tiles show no page
            draw(where, values, **start, **size, color=trace.color, linewidth=0)
        bars = draw(where, values, **start, **size, **style, **hatch)
        labels = list(trace.labels)
        if chart.horizontal and chart.value_max:  # a label wider than its segment would overlap
            labels = [
                text if value >= 0.12 * chart.value_max else "" for text, value in zip(labels, values, strict=True)
            ]
        if labels:
            # On a bar, its label sits on a solid patch of the bar's colour (hiding the hatch) in the text colour
            # that contrasts with it; beside a bar, on a solid patch of the background.
            inside = chart.horizontal
            ax.bar_label(
                bars,
                labels=labels,
                label_type="center" if inside else "edge",
                fontsize=8,
                padding=2,
                color=text_on(trace.color, *((HATCH_COLOUR,) if trace.hatch else ())) if inside else TEXT_COLOUR,
                bbox={"boxstyle": "round,pad=0.15", "fc": trace.color if inside else BACKGROUND, "ec": "none"},
            )
    elif trace.kind == "line":
        where = [positions[c] for c in trace.x]
        ax.plot(where, trace.y, marker="o", linewidth=2, **style)
        for x, y, text in zip(where, trace.y, trace.labels, strict=False):
            ax.annotate(
                text, (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8, color=TEXT_COLOUR
            )
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
        ax.set_yticks(ticks, names if len(names) > 1 else [""])  # one bar: the title says what it is
        ax.set_ylim(len(names) - 0.5, -0.5 - (HEADROOM if chart.lines else 0))  # the first at the top
        if len(names) == 1:
            ax.tick_params(axis="y", length=0)
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
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
    else:
        ax.set_xticks(ticks, names)
        ax.set_ylabel(chart.y_title)
        if chart.value_max:
            ax.set_ylim(0, chart.value_max)
        else:
            ax.margins(y=0.25)


ROW_IN = 0.25  # height of one unit of a numeric y axis (a timeline sub-row)
FRAME_IN = 1.15  # title, date ticks and legend around a laid-out plot
TITLE_LINE_IN = 0.2  # each further line of a wrapped title
MARKER_AREA = 42  # points squared
NUMBER_SIZE = 7  # font size of the labels above markers
KEY_SIZE = 7.5  # font size of the key
KEY_LINE_IN = 0.14  # one line of the key
KEY_PAD_IN = 0.1  # above and below the key, and at the figure's sides
KEY_COLUMN_GAP_IN = 0.2
SYMBOLS = {"circle": "o", "diamond": "D"}


SPAN_HEIGHT = 0.42  # a period's bar, in sub-rows
LABEL_OFFSET = 7  # points between a mark's date and its label: clear of a marker's half width
DATE_FORMAT = "%b\n%Y"  # month, and the year under it: the year is always on the axis


def _laid_out(chart: Chart):
    """A chart whose positions the specification fixes (the timeline): marks, labels beside them, a key below."""
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
        measure = _measurer(fig)
        count, columns = _key_columns(chart.key, measure)
        key_height = 2 * KEY_PAD_IN + KEY_LINE_IN * max((sum(len(e[1]) for e in c) for c in columns), default=0)
        top, bottom = chart.y_range or (-0.5, len(chart.categories) - 0.5)
        lanes = max((measure(c, 9)[0] for c in chart.categories), default=0)
        title = _wrap(chart.title, WIDTH_IN - 2 * KEY_PAD_IN - lanes - 0.2, lambda t: measure(t, 11, "bold"))
        extra = TITLE_LINE_IN * (len(title) - 1) + (TITLE_LINE_IN if chart.subtitle else 0)
        plot_height = FRAME_IN + extra + ROW_IN * (bottom - top)
        if columns:
            fig.set_size_inches(WIDTH_IN, plot_height + key_height)
            rows = fig.subfigures(2, 1, height_ratios=(plot_height, key_height))
            upper, lower = cast("Sequence[Figure | SubFigure]", rows)  # two rows: an array of two subfigures
            _draw_key(lower, count, columns, measure, key_height)
        else:
            fig.set_size_inches(WIDTH_IN, plot_height)
            upper = fig
        ax = upper.subplots()
        _draw_spans(ax, chart)
        for trace in chart.traces:
            _draw_numbered(ax, trace)
        for mark in chart.texts:
            _draw_label(ax, mark)
        ax.set_yticks(chart.category_positions or range(len(chart.categories)), chart.categories)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(bottom, top)  # the first value at the top
        ax.spines["left"].set_visible(False)
        for y in chart.dividers:
            ax.axhline(y, color=GRID_COLOUR, linewidth=0.6, zorder=0)
        if chart.x_kind == "date":
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
            ax.xaxis.set_major_formatter(mdates.DateFormatter(DATE_FORMAT))
        if chart.x_range:
            ax.set_xlim(*chart.x_range)
        ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
        ax.set_axisbelow(True)
        _titles(ax, title, chart.subtitle)
        handles = [_handle(entry) for entry in chart.legend]
        if handles:
            upper.legend(
                handles,
                [entry.name for entry in chart.legend],
                loc="outside lower center",
                ncols=min(len(handles), 3),
                frameon=False,
                fontsize=8,
            )
    return fig


def _handle(entry) -> Line2D:
    """A legend handle for one kind of mark: a marker, or a short bar for a period; hollow when inferred."""
    if entry.symbol == "span":
        return Line2D(
            [],
            [],
            linestyle="",
            marker="s",
            markersize=8,
            color=entry.color,
            fillstyle="none" if entry.hollow else "full",
            markeredgewidth=1.6,
        )
    return Line2D(
        [],
        [],
        linestyle="",
        marker=SYMBOLS[entry.symbol],
        markersize=6,
        color=entry.color,
        fillstyle="none" if entry.hollow else "full",
    )


def _draw_spans(ax, chart: Chart) -> None:
    """Each period as a bar across it: filled where the sources state the date, an outline where it is inferred."""
    for span in chart.spans:
        start, end = mdates.date2num(span.start), mdates.date2num(span.end)
        ax.barh(
            span.y,
            end - start,
            left=start,
            height=SPAN_HEIGHT,
            facecolor=BACKGROUND if span.hollow else span.color,
            edgecolor=span.color,
            linewidth=1.6,
            zorder=3,
        )


def _draw_label(ax, mark) -> None:
    after = mark.align == "left"
    ax.annotate(
        mark.text,
        (mdates.date2num(mark.x), mark.y),
        textcoords="offset points",
        xytext=(LABEL_OFFSET if after else -LABEL_OFFSET, 0),
        ha="left" if after else "right",
        va="center",
        fontsize=NUMBER_SIZE,
        color=TEXT_COLOUR,
    )


def _draw_numbered(ax, trace: Trace) -> None:
    """One trace's markers at the positions given."""
    symbols = trace.symbols or ("circle",) * len(trace.x)
    hollow = trace.hollow or (False,) * len(trace.x)
    for symbol in dict.fromkeys(symbols):
        at = [i for i, s in enumerate(symbols) if s == symbol]
        ax.scatter(
            [trace.x[i] for i in at],
            [trace.y[i] for i in at],
            s=MARKER_AREA,
            marker=SYMBOLS[symbol],
            facecolors=["white" if hollow[i] else trace.color for i in at],
            edgecolors=trace.color,
            linewidths=1.6,
            zorder=3,
        )


def _measurer(fig):
    """Text width and height in inches, as this figure's renderer draws them (each text measured once)."""
    renderer = fig.canvas.get_renderer()

    @functools.cache
    def measure(text: str, size: float = KEY_SIZE, weight: str = "normal") -> tuple[float, float]:
        prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight)
        width, height, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        return width / fig.dpi, height / fig.dpi

    return measure


WRAP_MARGIN = 0.02  # a line estimated from its words within 2 % of the width is measured whole


def _wrap(text: str, width: float, measure) -> list[str]:
    """Words on lines no wider than width inches (a word wider than that is cut).

    A line's width is first estimated as its words' widths plus the spaces between them: only a line
    whose estimate is within 2 % of the width (kerning and hinting move a line by far less) is measured
    whole, so each word is measured about once instead of every line at every word.
    """
    space = measure("x x")[0] - measure("xx")[0]
    lines, line, estimate = [], "", 0.0
    for word in str(text).split():
        candidate, guess = (f"{line} {word}", estimate + space + measure(word)[0]) if line else (word, measure(word)[0])
        if guess <= width * (1 - WRAP_MARGIN) or (guess < width * (1 + WRAP_MARGIN) and measure(candidate)[0] <= width):
            line, estimate = candidate, guess
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and measure(word)[0] > width:
            cut = max((k for k in range(1, len(word)) if measure(word[:k])[0] <= width), default=1)
            lines.append(word[:cut])
            word = word[cut:]
        line, estimate = word, measure(word)[0]
    return [*lines, line] if line or not lines else lines


def _key_columns(key, measure) -> tuple[int, list[list[tuple[str, list[str]]]]]:
    """The number of key columns, and the key's entries wrapped to fit them, read top to bottom then left to right."""
    if not key:
        return 0, []
    count = 1 if len(key) <= 4 else 2 if len(key) <= 12 else 3
    column = (WIDTH_IN - 2 * KEY_PAD_IN - (count - 1) * KEY_COLUMN_GAP_IN) / count
    number = max(measure(mark, KEY_SIZE, "bold")[0] for mark, _ in key) + 0.06
    wrapped = [(mark, _wrap(text, 0.95 * (column - number), measure)) for mark, text in key]
    columns = balance_columns([len(lines) for _, lines in wrapped], count)
    return count, [[wrapped[i] for i in column] for column in columns]


def _draw_key(subfig, count: int, columns, measure, height: float) -> None:
    """The key as text rows: each entry's mark right-aligned, its text left-aligned beside it."""
    width = (WIDTH_IN - 2 * KEY_PAD_IN - (count - 1) * KEY_COLUMN_GAP_IN) / count
    number = max(measure(mark, KEY_SIZE, "bold")[0] for column in columns for mark, _ in column) + 0.06
    for c, column in enumerate(columns):
        left = KEY_PAD_IN + c * (width + KEY_COLUMN_GAP_IN)
        row = 0
        for mark, lines in column:
            style = {"fontsize": KEY_SIZE, "va": "top", "parse_math": False, "transform": subfig.transSubfigure}
            y = 1 - (KEY_PAD_IN + row * KEY_LINE_IN) / height
            subfig.text((left + number - 0.06) / WIDTH_IN, y, mark, ha="right", fontweight="bold", **style)
            for line in lines:
                y = 1 - (KEY_PAD_IN + row * KEY_LINE_IN) / height
                subfig.text((left + number) / WIDTH_IN, y, line, ha="left", **style)
                row += 1


def _save_svg(fig, chart: Chart) -> str:
    buffer = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _prefix_ids(buffer.getvalue(), chart.id)


def _save_png(fig, dpi: int) -> bytes:
    buffer = io.BytesIO()
    with plt.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def to_svg(chart: Chart) -> str:
    """The chart as SVG text (vector, text kept as text), its ids prefixed with the chart id."""
    fig = to_matplotlib(chart)
    try:
        return _save_svg(fig, chart)
    finally:
        plt.close(fig)


def to_svg_and_png(chart: Chart, dpi: int = 200) -> tuple[str, bytes]:
    """The chart as SVG (print) and PNG (slides), from one drawing of the figure."""
    fig = to_matplotlib(chart)
    try:
        return _save_svg(fig, chart), _save_png(fig, dpi)
    finally:
        plt.close(fig)


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make element ids unique per chart, so several SVGs can share one HTML page."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)


def to_png(chart: Chart, dpi: int = 200) -> bytes:
    """The chart as PNG bytes, for slides."""
    fig = to_matplotlib(chart)
    try:
        return _save_png(fig, dpi)
    finally:
        plt.close(fig)
