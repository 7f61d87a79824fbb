"""The renderer-neutral description of a chart."""

from dataclasses import dataclass, field

import pandas as pd

# One accessible palette for both renderers (plotly for the HTML, matplotlib for print), after Okabe-Ito's
# colour-blind-safe hues. Every series colour keeps a contrast of at least 3:1 (WCAG 1.4.11, graphics) against
# the light page and against the dark one (DARK_BACKGROUND, the HTML report's dark scheme); Okabe-Ito's orange
# and sky blue are darkened for that. Text is never drawn in a series colour: it is TEXT_COLOUR on the page, or
# on a bar in the colour of text_on(fill), which keeps at least 4.5:1 (WCAG 1.4.3) against the fill and its hatch.
ORANGE = "#C27200"
SKY_BLUE = "#2F8FCB"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#707070"
INVESTOR_COLOURS = (ORANGE, BLUE, GREEN, PURPLE, SKY_BLUE, VERMILLION)
LOWER_BOUND_COLOUR = GREY
HATCH_COLOUR = "#4D4D4D"  # the lines of a hatched (lower-bound) bar, darker than its fill

BACKGROUND = "#FFFFFF"  # the page, and the chart's paper
TEXT_COLOUR = "#1F1F1F"  # every text on the page: titles, ticks, legend, labels outside the bars
MUTED_TEXT = "#595959"  # secondary text (at least 7:1 on BACKGROUND)
GRID_COLOUR = "#E3E3E3"
AXIS_COLOUR = "#8C8C8C"
REFERENCE_COLOUR = "#333333"  # reference lines
DARK_BACKGROUND = "#1E1E1E"  # the HTML report's dark scheme (its stylesheet redraws the chart text light on it)
DARK_TEXT = "#E8E8E8"
LIGHT_ON_FILL, DARK_ON_FILL = "#FFFFFF", "#000000"
MIN_TEXT_CONTRAST = 4.5  # WCAG 1.4.3 (AA), normal text
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 1.4.11 (AA), graphical objects


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #RRGGBB (or #RGB) colour."""
    digits = colour.lstrip("#")
    digits = "".join(d * 2 for d in digits) if len(digits) == 3 else digits
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two #RRGGBB (or #RGB) colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(fill: str, *others: str) -> str:
    """White or black text, whichever contrasts more with the fill and any other colour drawn under the text."""
    return max((LIGHT_ON_FILL, DARK_ON_FILL), key=lambda text: min(contrast_ratio(text, c) for c in (fill, *others)))


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
class Span:
    """A dated item whose date is a month or a year: a bar across that period, on a numeric y position."""

    start: pd.Timestamp  # the period's first day
    end: pd.Timestamp  # the day after its last
    y: float
    color: str
    series: str  # what it is ("Reported", "Rumoured"), as the markers' trace name
    hollow: bool = False  # the date is inferred: drawn as an outline
    hover: str = ""  # its label, then details on further lines


@dataclass(frozen=True)
class TextMark:
    """A label drawn beside a mark of a laid-out chart: starting at x ("left" aligned) or ending there ("right")."""

    x: pd.Timestamp
    y: float
    text: str
    align: str = "left"


@dataclass(frozen=True)
class LegendEntry:
    """One entry of a laid-out chart's legend, listed only when such a mark is drawn."""

    name: str
    symbol: str  # "circle", "diamond" or "span"
    color: str
    hollow: bool = False


@dataclass(frozen=True)
class RefLine:
    """A labelled reference line across the value axis."""

    value: float
    label: str
    color: str = REFERENCE_COLOUR


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
    subtitle: str = ""  # the unit and the date the figures are measured on: "US$ billions · as of 27 March 2024"
    sources: tuple[tuple[str, str], ...] = ()  # (source id, reader's name) behind the chart, in publication order
    spans: tuple[Span, ...] = ()  # periods drawn as bars across their time (a month- or year-precision date)
    texts: tuple[TextMark, ...] = ()  # labels placed beside their marks (the timeline)
    legend: tuple[LegendEntry, ...] = ()  # a laid-out chart's legend: only the marks it draws

    @property
    def sources_note(self) -> str:
        """'Sources: Article of 27 March 2024 and ...': the sources by their readers' names, never their ids."""
        names = [name for _, name in self.sources]
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"Source{'s' if len(names) > 1 else ''}: {listed}."

    @property
    def full_caption(self) -> str:
        """The caption and its sources note, as plain text (the HTML caption links each source instead)."""
        return " ".join(part for part in (self.caption, self.sources_note) if part)
