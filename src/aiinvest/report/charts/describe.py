"""A chart in words and as a table: its text alternative, drawn from the same spec as the picture."""

from dataclasses import dataclass

import pandas as pd

from ..formatting import AMOUNT, UNITS, format_day, format_usd
from .spec import Chart

MAX_ALT_ROWS = 12  # a text alternative names the first marks; the data table holds them all


@dataclass(frozen=True)
class Mark:
    """One drawn mark: its series, what it stands for, and its value or details."""

    series: str
    item: str
    value: str


def marks(chart: Chart, unit: str | None = None) -> list[Mark]:
    """Every mark of the chart: in drawing order, or in date order on a laid-out chart (the timeline); an amount
    as "$1.25B" (the value axis is in `unit`, e.g. "billions", of US dollars), whatever words surround it."""
    if chart.y_kind == "number":
        return _laid_out_marks(chart)
    found = []
    for trace in chart.traces:
        where = trace.y if chart.horizontal else trace.x
        values = trace.x if chart.horizontal else trace.y
        for i, (position, value) in enumerate(zip(where, values, strict=True)):
            label = trace.labels[i] if i < len(trace.labels) else ""
            hover = trace.hover[i] if i < len(trace.hover) else ""
            value_text = _value(_last_line(label), value, unit) or _first_line(hover)
            found.append(Mark(trace.name, _item(position), value_text))
    return found


def _laid_out_marks(chart: Chart) -> list[Mark]:
    """Each marker and period of a timeline, by date: what it is (its label) and its date and sources."""
    dated = [
        (pd.Timestamp(x), Mark(trace.name, _first_line(hover), _details(hover)))
        for trace in chart.traces
        for x, hover in zip(trace.x, trace.hover, strict=False)
    ]
    dated += [(pd.Timestamp(s.start), Mark(s.series, _first_line(s.hover), _details(s.hover))) for s in chart.spans]
    return [mark for _, mark in sorted(dated, key=lambda pair: pair[0])]


def alt_text(chart: Chart, found: list[Mark]) -> str:
    """A text alternative from the chart's marks: the title, then the first few, pointing at the full table."""
    parts = [f"{m.series}: {m.item}, {m.value}" if m.value else f"{m.series}: {m.item}" for m in found]
    text = f"{chart.title}. " + "; ".join(parts[:MAX_ALT_ROWS])
    if len(parts) > MAX_ALT_ROWS:
        text += f"; and {len(parts) - MAX_ALT_ROWS} more, listed in the table of the chart's data"
    return text + "."


def _item(position) -> str:
    if isinstance(position, pd.Timestamp):
        return format_day(position)
    return " ".join(str(position).split())


def _last_line(text: str) -> str:
    return text.rsplit("\n", 1)[-1].strip()


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip()


def _details(hover: str) -> str:
    return "; ".join(line.strip() for line in hover.split("\n")[1:] if line.strip())


def _value(label: str, value, unit: str | None) -> str:
    """A mark's value in the data table: the amount in its label, else its number as an amount, else its label."""
    if amount := AMOUNT.search(label):
        return amount.group(0)
    if label:
        return label
    if unit in UNITS and isinstance(value, int | float):
        return format_usd(value * UNITS[unit][0], unit)
    return "" if value is None else f"{value:g}" if isinstance(value, int | float) else str(value)


def value_column(found: list[Mark]) -> tuple[str, bool]:
    """The data table's last column: its heading, and whether it holds only amounts (then right-aligned)."""
    amounts = bool(found) and all(AMOUNT.fullmatch(m.value) for m in found)
    return ("Amount" if amounts else "Details"), amounts
