"""Each chart's drawings, from the charts' cache when it keeps them, else drawn now (and kept).

The renderers are imported only to draw: a report whose charts are all kept never imports matplotlib (about
0.5 s of a kernel's start) nor builds a plotly figure. A kept drawing is the same bytes as a fresh one.
"""

import functools
from importlib import metadata

from . import cache
from .spec import Chart

MATPLOTLIB_MODULES = ("mpl_render.py", "timeline.py")  # the modules whose code draws a chart with matplotlib
PLOTLY_MODULES = ("plotly_render.py",)  # and with plotly


def svg_and_png(chart: Chart, dpi: int = 200) -> tuple[str, bytes]:
    """The chart as SVG (print) and PNG (slides), from one drawing by matplotlib."""

    def draw() -> bytes:
        from . import mpl_render  # imported here: matplotlib, 0.5 s, which a kept drawing never needs

        svg, png = mpl_render.to_svg_and_png(chart, dpi)
        return svg.encode("utf-8") + b"\0" + png  # the SVG's text holds no NUL

    name = cache.key(chart, f"matplotlib svg+png {dpi} dpi", version("matplotlib"), MATPLOTLIB_MODULES)
    svg, _, png = cache.cached(name, draw).partition(b"\0")
    return svg.decode("utf-8"), png


def plotly_json(chart: Chart) -> str:
    """The chart's plotly figure as JSON (plotly.io.to_json, not validated again)."""

    def draw() -> bytes:
        import plotly.io as pio  # imported here: as matplotlib above

        from . import plotly_render  # as matplotlib above

        return pio.to_json(plotly_render.to_plotly(chart), validate=False).encode("utf-8")

    name = cache.key(chart, "plotly json", version("plotly"), PLOTLY_MODULES)
    return cache.cached(name, draw).decode("utf-8")


@functools.cache  # what is installed does not change while a process runs
def version(library: str) -> str:
    """The installed version of a renderer's library."""
    return metadata.version(library)
