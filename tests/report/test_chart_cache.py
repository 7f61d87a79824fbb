"""Charts drawn once per content: a kept drawing is the same bytes; a changed chart, library or damaged entry draws."""

import dataclasses
import json
import os
import subprocess
import sys
import textwrap

import plotly.io as pio
import pytest

from aiinvest.report.charts import cache, mpl_render, plotly_render
from aiinvest.report.charts import drawings as drawings_module
from aiinvest.report.charts.spec import Chart, RefLine, Trace

CHART = Chart(
    id="example",
    title="Example's $3B came in two tranches",
    caption="Two tranches of invented amounts.",
    x_title="",
    y_title="US$ billions",
    traces=(
        Trace("Tranche 1", "bar", (1.0,), ("Example",), "#0072B2", labels=("$1B",), base=(0.0,)),
        Trace("Tranche 2", "bar", (2.0,), ("Example",), "#0072B2", labels=("$2B",), base=(1.0,)),
    ),
    horizontal=True,
    categories=("Example",),
    lines=(RefLine(3.0, "total: $3B"),),
)


@pytest.fixture
def drawings(tmp_path, monkeypatch):
    """An empty cache folder of its own, and a count of what each renderer really drew."""
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))
    drawn = {"matplotlib": 0, "plotly": 0}
    real_mpl, real_plotly = mpl_render.to_svg_and_png, plotly_render.to_plotly

    def count_mpl(*args):
        drawn["matplotlib"] += 1
        return real_mpl(*args)

    def count_plotly(*args):
        drawn["plotly"] += 1
        return real_plotly(*args)

    monkeypatch.setattr(mpl_render, "to_svg_and_png", count_mpl)
    monkeypatch.setattr(plotly_render, "to_plotly", count_plotly)
    return drawn


def both(chart: Chart) -> tuple[tuple[str, bytes], str]:
    return drawings_module.svg_and_png(chart), drawings_module.plotly_json(chart)


def entries() -> list:
    return sorted(p for p in cache.cache_folder().iterdir() if not p.name.startswith("."))


def test_a_kept_drawing_is_the_same_bytes_as_a_fresh_one_and_is_not_drawn_again(drawings):
    first = both(CHART)
    assert drawings == {"matplotlib": 1, "plotly": 1} and len(entries()) == 2
    again = both(CHART)
    assert again == first
    assert drawings == {"matplotlib": 1, "plotly": 1}
    svg, png = first[0]
    assert svg.startswith("<?xml") and png.startswith(b"\x89PNG")
    assert (svg, png) == mpl_render.to_svg_and_png(CHART)  # what drawing it now gives
    assert json.loads(first[1]) == json.loads(pio.to_json(plotly_render.to_plotly(CHART), validate=False))


def test_a_changed_spec_draws_again(drawings):
    both(CHART)
    both(dataclasses.replace(CHART, title="Example's $3B came in one tranche"))
    assert drawings == {"matplotlib": 2, "plotly": 2} and len(entries()) == 4


@pytest.mark.parametrize("library", ["matplotlib", "plotly"])
def test_another_version_of_a_renderer_draws_again(drawings, monkeypatch, library):
    both(CHART)
    installed = drawings_module.version
    other = {library: installed(library) + ".other"}
    monkeypatch.setattr(drawings_module, "version", lambda name: other.get(name) or installed(name))
    both(CHART)
    assert drawings[library] == 2 and drawings[({"matplotlib", "plotly"} - {library}).pop()] == 1


def test_a_renderer_s_version_is_the_installed_one():
    import matplotlib
    import plotly

    assert drawings_module.version("matplotlib") == matplotlib.__version__
    assert drawings_module.version("plotly") == plotly.__version__


def test_a_damaged_entry_is_ignored_and_drawn_again(drawings):
    first = both(CHART)
    for entry in entries():
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte, as a disk or a hand may leave
        entry.write_bytes(bytes(data))
    assert both(CHART) == first
    assert drawings == {"matplotlib": 2, "plotly": 2}
    assert both(CHART) == first and drawings == {"matplotlib": 2, "plotly": 2}  # rewritten whole


def test_an_empty_or_truncated_entry_is_drawn_again(drawings):
    first = both(CHART)
    paths = entries()
    paths[0].write_bytes(b"")
    paths[1].write_bytes(paths[1].read_bytes()[:100])
    assert both(CHART) == first and drawings == {"matplotlib": 2, "plotly": 2}


@pytest.mark.slow  # a process of its own, to be killed
def test_a_writer_killed_before_the_rename_leaves_no_entry(drawings, tmp_path):
    # The child writes an entry and is killed (SIGKILL) just before renaming it into place.
    script = textwrap.dedent(
        """
        import os, signal
        from aiinvest.report.charts import drawings
        from tests_chart import CHART
        os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        drawings.svg_and_png(CHART)
        """
    )
    (tmp_path / "tests_chart.py").write_text(f"from aiinvest.report.charts.spec import *\nCHART = {CHART!r}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    assert not cache.cache_folder().exists() or entries() == []
    both(CHART)
    assert drawings["matplotlib"] == 1  # drawn here: nothing was kept by the killed writer


def test_an_unwritable_cache_draws_all_the_same(drawings, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(blocker))
    first = both(CHART)
    assert both(CHART) == first and drawings == {"matplotlib": 2, "plotly": 2}
