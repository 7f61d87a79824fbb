"""The renderer-neutral description of a chart."""

from dataclasses import dataclass, field

# Okabe-Ito colour-blind-safe palette, by role.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
INVESTOR_COLOURS = (ORANGE, BLUE, GREEN, PURPLE, SKY_BLUE, VERMILLION)
LOWER_BOUND_COLOUR = GREY

FONT_FAMILY = "DejaVu Sans"
WIDTH_IN, HEIGHT_IN = 7.0, 3.3  # print size; the interactive size follows the page


@dataclass(frozen=True)
class Trace:
    """One series: bars, a line, or markers."""

    name: str
    kind: str  # "bar" | "line" | "markers"
    x: tuple
    y: tuple
    color: str
    labels: tuple[str, ...] = ()  # text drawn on each mark
    hover: tuple[str, ...] = ()  # extra text on hover (interactive only)
    hatch: bool = False  # drawn hatched: an open-ended amount (a lower bound)
    base: tuple | None = None  # bar start, for stacked bars
    hollow: tuple[bool, ...] = ()  # per marker: hollow when its date is inferred
    symbols: tuple[str, ...] = ()  # per marker: "circle" or "diamond"
    show_in_legend: bool = True
    label_position: str = "right"  # markers: "right" of each marker, or "above" it (short labels, e.g. numbers)


@dataclass(frozen=True)
class RefLine:
    """A labelled reference line across the value axis."""

    value: float
    label: str
    color: str = "#333333"


@dataclass(frozen=True)
class Chart:
    """Everything both renderers need to draw the same chart."""

    id: str
    title: str
    caption: str  # what it shows and its sources
    x_title: str
    y_title: str
    traces: tuple[Trace, ...]
    horizontal: bool = False  # bars grow along x; categories on y
    x_kind: str = "category"  # "category" | "date"
    categories: tuple[str, ...] = ()  # category axis order, first at the top/left
    lines: tuple[RefLine, ...] = field(default_factory=tuple)
    value_max: float | None = None  # upper end of the value axis
    # A laid-out chart (the timeline) fixes its positions here, so both renderers draw the same thing:
    y_kind: str = "category"  # "category" | "number": traces' y are positions; categories sit at category_positions
    category_positions: tuple[float, ...] = ()  # where each category is labelled on a numeric y axis
    dividers: tuple[float, ...] = ()  # y positions of thin lines between categories
    x_range: tuple | None = None  # (start, end) of the x axis
    y_range: tuple[float, float] | None = None  # (top, bottom) of a numeric y axis: the first value is drawn at the top
    key: tuple[tuple[str, str], ...] = ()  # (mark, full text) per marker label, listed below the plot
