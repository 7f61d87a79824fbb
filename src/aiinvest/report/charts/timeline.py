"""A timeline whose labels sit on their marks and cannot overlap.

A date known to the day is a marker; a date known only to the month or the year is a bar across that
period (never a point on its first day). Each item's label is written beside its mark: after it, or
before it near the right edge; an item whose label fits neither way gets a number, and its label goes in a
key below the plot. Within a lane, items whose marks and labels would touch go on separate sub-rows
(first fit), so nothing overlaps however many items share a date. Widths are estimated as a share of the
date axis (CHAR_WIDTH per character), which holds for the print figure and the report's chart column.
The layout is computed here, once; both renderers draw exactly these positions.
"""

from dataclasses import dataclass

import pandas as pd

from ..rows import rows
from .spec import GREY, MUTED_TEXT, Chart, LegendEntry, Span, TextMark, Trace

MIN_GAP = 0.015  # fraction of the date span left between two items' extents on one sub-row
MARGIN = 0.03  # fraction of the date span left empty on each side of the x axis
MIN_SPAN = pd.Timedelta(days=30)  # a shorter span (all items on one date, say) is widened to this
CHAR_WIDTH = 0.0155  # one character of a label, as a fraction of the x axis (the HTML timeline at its least width)
LABEL_PAD = 0.012  # between a mark and its label, as a fraction of the x axis
NUMBER_CHARS = 3  # a numbered item's number, in characters
LANE_GAP = 0.4  # extra space between two lanes, in sub-rows
HEADROOM = 0.6  # space above the first sub-row, in sub-rows
FOOTROOM = 0.6  # space below the last sub-row, in sub-rows
COLUMNS = ("date", "lane", "label", "status", "inferred", "detail")
STATUSES = {"confirmed": ("Reported", "circle"), "rumoured": ("Rumoured", "diamond")}  # trace name, symbol


def period_end(date, precision) -> pd.Timestamp:
    """The first day after the period a date stands for: the next day, month or year (the date itself for a day)."""
    date = pd.Timestamp(date)
    if precision == "month":
        return date + pd.offsets.MonthBegin(1)
    if precision == "year":
        return date + pd.offsets.YearBegin(1)
    if precision == "quarter":
        return date + pd.offsets.QuarterBegin(1, startingMonth=1)
    return date


@dataclass(frozen=True)
class TimelineLayout:
    """Where each item goes: the items in date order, with number, sub-row, y and the side of its label."""

    # the input columns plus end, number (1…n), subrow, y, side ("after", "before", "key" or "none": unlabelled)
    # and the time its mark and label cover (extent_start, extent_end)
    items: pd.DataFrame
    gap: pd.Timedelta  # the least distance between two items' extents on one sub-row
    x_range: tuple[pd.Timestamp, pd.Timestamp]
    y_range: tuple[float, float]  # (top, bottom): y grows downwards
    lane_centres: tuple[float, ...]  # per lane, in lane order
    dividers: tuple[float, ...]  # between consecutive lanes
    rows: int  # sub-rows in all lanes


def _checked(items: pd.DataFrame, lanes: tuple[str, ...]) -> pd.DataFrame:
    """The items in date, lane and label order, each with the end of its period; bad items refused."""
    missing = [c for c in ("date", "lane") if c not in items.columns]
    if missing:
        raise ValueError(f"timeline items lack columns: {', '.join(missing)}")
    if items.empty:
        raise ValueError("a timeline needs at least one dated item")
    dates = pd.to_datetime(items["date"])
    if dates.isna().any():
        raise ValueError("every timeline item needs a date")
    unknown = sorted(set(items["lane"]) - set(lanes))
    if unknown:
        raise ValueError(f"timeline items in lanes not listed: {', '.join(map(str, unknown))}")
    lane_index = {lane: i for i, lane in enumerate(lanes)}
    ends = pd.to_datetime(items["end"]) if "end" in items.columns else dates
    return (
        items.assign(
            date=dates,
            end=ends.where(ends > dates, dates),
            _lane=items["lane"].map(lane_index),
            label_text=items["label"].astype(str) if "label" in items.columns else "",
        )
        .sort_values(["date", "_lane", "label_text"], kind="stable")
        .drop(columns=["_lane"])
        .reset_index(drop=True)
    )


def _extent(row, x_range, labelled: bool) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Where an item's label goes and the time its mark and label cover: after the mark, before it, or a key number."""
    low, high = x_range
    axis = high - low
    if not labelled:
        return "none", row.date, row.end
    width = axis * (LABEL_PAD + CHAR_WIDTH * len(row.label_text))
    if row.end + width <= high:
        return "after", row.date, row.end + width
    if row.date - width >= low:
        return "before", row.date - width, row.end
    return "key", row.date, row.end + axis * (LABEL_PAD + CHAR_WIDTH * NUMBER_CHARS)


def _free(taken: list[tuple[pd.Timestamp, pd.Timestamp]], start, end, gap) -> bool:
    return all(end + gap <= a or b + gap <= start for a, b in taken)


def timeline_layout(
    items: pd.DataFrame, lanes: tuple[str, ...], *, min_gap: float = MIN_GAP, labelled: bool = True
) -> TimelineLayout:
    """Put each item's label beside its mark and the item on the first sub-row of its lane with room for both."""
    ordered = _checked(items, lanes)
    first, last = ordered["date"].min(), ordered["end"].max()
    span = max(last - first, MIN_SPAN)
    middle = first + (last - first) / 2
    half = span / 2 + span * MARGIN
    x_range = (middle - half, middle + half)
    gap = span * min_gap
    taken: dict[str, list[list]] = {lane: [] for lane in lanes}  # per lane and sub-row: the extents on it
    sides, subrows, extents = [], [], []
    for row in rows(ordered):
        side, start, end = _extent(row, x_range, labelled)
        extents.append((start, end))
        subs = taken[row.lane]
        sub = next((r for r, extents in enumerate(subs) if _free(extents, start, end, gap)), len(subs))
        if sub == len(subs):
            subs.append([])
        subs[sub].append((start, end))
        sides.append(side)
        subrows.append(sub)
    starts, centres, dividers, top = {}, [], [], 0.0
    for i, lane in enumerate(lanes):
        if i:
            dividers.append(top - (1 + LANE_GAP) / 2)
        count = max(len(taken[lane]), 1)  # an empty lane still gets its row
        starts[lane] = top
        centres.append(top + (count - 1) / 2)
        top += count + LANE_GAP
    ordered = ordered.drop(columns=["label_text"])
    ordered["number"] = range(1, len(ordered) + 1)
    ordered["subrow"] = subrows
    ordered["side"] = sides
    ordered["extent_start"] = [start for start, _ in extents]
    ordered["extent_end"] = [end for _, end in extents]
    ordered["y"] = [starts[lane] + sub for lane, sub in zip(ordered["lane"], subrows, strict=True)]
    return TimelineLayout(
        items=ordered,
        gap=gap,
        x_range=x_range,
        y_range=(-HEADROOM, top - LANE_GAP - 1 + FOOTROOM),
        lane_centres=tuple(centres),
        dividers=tuple(dividers),
        rows=sum(max(len(taken[lane]), 1) for lane in lanes),
    )


@dataclass(frozen=True)
class Timeline:
    """What a timeline says and how it is drawn, besides its items.

    colours maps status to colour; numbered=False draws the marks alone, without labels or key
    (the labels stay in the hover text).
    """

    title: str
    caption: str
    lanes: tuple[str, ...]
    colours: dict[str, str]
    chart_id: str = "timeline"
    min_gap: float = MIN_GAP
    numbered: bool = True
    subtitle: str = ""
    sources: tuple[tuple[str, str], ...] = ()


def _texts(placed: pd.DataFrame) -> tuple[tuple[TextMark, ...], tuple[tuple[str, str], ...]]:
    """Each label beside its mark, or its number there and the label in the key."""
    texts, key = [], []
    for r in rows(placed):
        if r.side == "after":
            texts.append(TextMark(r.end, float(r.y), str(r.label), "left"))
        elif r.side == "before":
            texts.append(TextMark(r.date, float(r.y), str(r.label), "right"))
        elif r.side == "key":
            texts.append(TextMark(r.end, float(r.y), str(r.number), "left"))
            key.append((str(r.number), str(r.label)))
    return tuple(texts), tuple(key)


def _marks(placed: pd.DataFrame, timeline: Timeline) -> tuple[list[Trace], list[Span], list[LegendEntry]]:
    """Markers for days and bars for periods, by status; the legend lists only what is drawn."""
    traces, spans, legend = [], [], []
    known = [s for s in STATUSES if s in set(placed["status"])]
    for status in known + sorted(set(placed["status"]) - set(STATUSES), key=str):
        part = placed[placed["status"] == status]
        name, symbol = STATUSES.get(status, (str(status).capitalize(), "circle"))
        colour = timeline.colours.get(status, GREY)
        points, periods = part[part["end"] == part["date"]], part[part["end"] > part["date"]]
        if len(points):
            traces.append(
                Trace(
                    name,
                    "markers",
                    tuple(points["date"]),
                    tuple(float(y) for y in points["y"]),
                    colour,
                    hover=tuple(f"{r.label}\n{r.detail}" for r in rows(points)),
                    hollow=tuple(bool(i) for i in points["inferred"]),
                    symbols=(symbol,) * len(points),
                )
            )
            legend.append(LegendEntry(f"{name}, on a day", symbol, colour))
        spans += [
            Span(r.date, r.end, float(r.y), colour, name, bool(r.inferred), f"{r.label}\n{r.detail}")
            for r in rows(periods)
        ]
        if len(periods):
            legend.append(LegendEntry(f"{name}, in a month or year", "span", colour))
    inferred = placed[placed["inferred"].astype(bool)]
    if len(inferred):
        symbol = "circle" if (inferred["end"] == inferred["date"]).any() else "span"
        legend.append(LegendEntry("Date inferred (hollow)", symbol, MUTED_TEXT, hollow=True))
    return traces, spans, legend


def timeline_chart_spec(items: pd.DataFrame, timeline: Timeline) -> Chart:
    """A timeline of dated items: markers and period bars in lanes, each label beside its mark.

    items: one row per dated item, with columns date, lane (one of the timeline's lanes), label, status
    ("confirmed" or "rumoured"), inferred (a hollow mark) and detail (hover text); optionally end, the
    first day after the period a month- or year-precision date stands for.
    """
    missing = [c for c in COLUMNS if c not in items.columns]
    if missing:
        raise ValueError(f"timeline items lack columns: {', '.join(missing)}")
    layout = timeline_layout(items, timeline.lanes, min_gap=timeline.min_gap, labelled=timeline.numbered)
    traces, spans, legend = _marks(layout.items, timeline)
    texts, key = _texts(layout.items)
    return Chart(
        id=timeline.chart_id,
        title=timeline.title,
        subtitle=timeline.subtitle,
        caption=timeline.caption,
        sources=timeline.sources,
        x_title="",
        y_title="",
        traces=tuple(traces),
        spans=tuple(spans),
        texts=texts,
        legend=tuple(legend),
        x_kind="date",
        y_kind="number",
        categories=tuple(timeline.lanes),
        category_positions=layout.lane_centres,
        dividers=layout.dividers,
        x_range=layout.x_range,
        y_range=layout.y_range,
        key=key,
    )


def balance_columns(heights: list[int], count: int) -> list[list[int]]:
    """Split entries (their heights in lines) into at most count columns, in order, the tallest as short as can be.

    Returns the entries' indices per column; the renderers use it to lay the key out.
    """
    if not heights:
        return []
    cap = max(max(heights), -(-sum(heights) // count))
    while True:
        columns: list[list[int]] = [[]]
        used = 0
        for i, height in enumerate(heights):
            if columns[-1] and used + height > cap:
                columns.append([])
                used = 0
            columns[-1].append(i)
            used += height
        if len(columns) <= count:
            return columns
        cap += 1
