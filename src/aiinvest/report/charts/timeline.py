"""A timeline whose labels cannot overlap: numbered markers on staggered sub-rows, the full labels in a key.

Each dated item gets a number (1, 2, … in date order) drawn just above its marker; its full label goes in a
key listed below the plot. Within a lane, items closer in time than a minimum gap (a fraction of the date
span) go on separate sub-rows (first fit), so markers and numbers keep apart however many items share a date.
The layout is computed here, once; both renderers draw exactly these positions.
"""

from dataclasses import dataclass

import pandas as pd

from ..rows import rows
from .spec import GREY, Chart, Trace

MIN_GAP = 0.04  # fraction of the date span: items of a lane closer than this go on separate sub-rows
MARGIN = 0.05  # fraction of the date span left empty on each side of the x axis
MIN_SPAN = pd.Timedelta(days=30)  # a shorter span (all items on one date, say) is widened to this
LANE_GAP = 0.4  # extra space between two lanes, in sub-rows
HEADROOM = 0.9  # space above the first sub-row, in sub-rows: room for its numbers
FOOTROOM = 0.6  # space below the last sub-row, in sub-rows
COLUMNS = ("date", "lane", "label", "status", "inferred", "detail")
STATUSES = {"confirmed": ("Reported", "circle"), "rumoured": ("Rumoured", "diamond")}  # trace name, symbol


@dataclass(frozen=True)
class TimelineLayout:
    """Where each item goes: the items in number order, with their number, sub-row and y position."""

    items: pd.DataFrame  # the input columns plus number (1…n), subrow (0… within its lane) and y
    gap: pd.Timedelta  # the minimum distance between two items on one sub-row
    x_range: tuple[pd.Timestamp, pd.Timestamp]
    y_range: tuple[float, float]  # (top, bottom): y grows downwards
    lane_centres: tuple[float, ...]  # per lane, in lane order
    dividers: tuple[float, ...]  # between consecutive lanes
    rows: int  # sub-rows in all lanes


def timeline_layout(items: pd.DataFrame, lanes: tuple[str, ...], *, min_gap: float = MIN_GAP) -> TimelineLayout:
    """Number the items in date order and place each on the first sub-row of its lane with room for it."""
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
    labels = items["label"].astype(str) if "label" in items.columns else ""
    ordered = (
        items.assign(date=dates, _lane=items["lane"].map(lane_index), _label=labels)
        .sort_values(["date", "_lane", "_label"], kind="stable")
        .drop(columns=["_lane", "_label"])
        .reset_index(drop=True)
    )
    first, last = ordered["date"].iloc[0], ordered["date"].iloc[-1]
    span = max(last - first, MIN_SPAN)
    gap = span * min_gap
    ends: dict[str, list[pd.Timestamp]] = {lane: [] for lane in lanes}  # per lane: the last date on each sub-row
    subrows = []
    for date, lane in zip(ordered["date"], ordered["lane"], strict=True):
        rows = ends[lane]
        row = next((r for r, end in enumerate(rows) if date - end >= gap), len(rows))
        if row == len(rows):
            rows.append(date)
        else:
            rows[row] = date
        subrows.append(row)
    starts, centres, dividers, top = {}, [], [], 0.0
    for i, lane in enumerate(lanes):
        if i:
            dividers.append(top - (1 + LANE_GAP) / 2)
        count = max(len(ends[lane]), 1)  # an empty lane still gets its row
        starts[lane] = top
        centres.append(top + (count - 1) / 2)
        top += count + LANE_GAP
    bottom = top - LANE_GAP - 1  # the last sub-row
    ordered["number"] = range(1, len(ordered) + 1)
    ordered["subrow"] = subrows
    ordered["y"] = [starts[lane] + row for lane, row in zip(ordered["lane"], subrows, strict=True)]
    middle = first + (last - first) / 2
    half = span / 2 + span * MARGIN
    return TimelineLayout(
        items=ordered,
        gap=gap,
        x_range=(middle - half, middle + half),
        y_range=(-HEADROOM, bottom + FOOTROOM),
        lane_centres=tuple(centres),
        dividers=tuple(dividers),
        rows=sum(max(len(ends[lane]), 1) for lane in lanes),
    )


@dataclass(frozen=True)
class Timeline:
    """What a timeline says and how it is drawn, besides its items.

    colours maps status to colour; numbered=False draws the markers alone, without numbers or key
    (the labels stay in the hover text).
    """

    title: str
    caption: str
    lanes: tuple[str, ...]
    colours: dict[str, str]
    chart_id: str = "timeline"
    min_gap: float = MIN_GAP
    numbered: bool = True


def timeline_chart_spec(items: pd.DataFrame, timeline: Timeline) -> Chart:
    """A timeline of dated items: numbered markers in lanes, the full labels in the chart's key.

    items: one row per dated item, with columns date, lane (one of the timeline's lanes), label, status
    ("confirmed" or "rumoured"), inferred (a hollow marker) and detail (hover text).
    """
    lanes, colours, numbered = timeline.lanes, timeline.colours, timeline.numbered
    missing = [c for c in COLUMNS if c not in items.columns]
    if missing:
        raise ValueError(f"timeline items lack columns: {', '.join(missing)}")
    layout = timeline_layout(items, lanes, min_gap=timeline.min_gap)
    placed = layout.items
    known = [s for s in STATUSES if s in set(placed["status"])]
    others = sorted(set(placed["status"]) - set(STATUSES), key=str)
    traces = []
    for status in known + others:
        part = placed[placed["status"] == status]
        name, symbol = STATUSES.get(status, (str(status).capitalize(), "circle"))
        traces.append(
            Trace(
                name,
                "markers",
                tuple(part["date"]),
                tuple(float(y) for y in part["y"]),
                colours.get(status, GREY),
                labels=tuple(str(n) for n in part["number"]) if numbered else (),
                hover=tuple(f"{r.number}. {r.label}\n{r.detail}" for r in rows(part)),
                hollow=tuple(bool(i) for i in part["inferred"]),
                symbols=(symbol,) * len(part),
                label_position="above",
            )
        )
    return Chart(
        id=timeline.chart_id,
        title=timeline.title,
        caption=timeline.caption,
        x_title="",
        y_title="",
        traces=tuple(traces),
        x_kind="date",
        y_kind="number",
        categories=tuple(lanes),
        category_positions=layout.lane_centres,
        dividers=layout.dividers,
        x_range=layout.x_range,
        y_range=layout.y_range,
        key=tuple((str(r.number), str(r.label)) for r in rows(placed)) if numbered else (),
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
