"""The floor of a build: what no build of the report can avoid on this machine, and the build against it.

Each part of the floor is timed in a fresh process (median of `repeat`): the interpreter's start, the imports
each process needs, a Jupyter kernel's start, the reconciliation, the charts, rendering HTML and laying out the
PDF. Then a full build with an empty cache (cold), one whose charts and validation are cached (warm) and the
bare chain (papermill CLI + `jupyter nbconvert --to html`), interleaved in one session, medians.

    python -m benchmarks.floor --repeat 3
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python")

# Each part: Python code run in a fresh interpreter, printing {"name": seconds} for what it timed itself.
KERNEL = """
import json, time
from jupyter_client.manager import start_new_kernel
t = time.perf_counter()
km, kc = start_new_kernel(kernel_name="aiinvest")
ready = time.perf_counter() - t
kc.stop_channels(); km.shutdown_kernel(now=True)
print(json.dumps({"kernel start, to its first reply": ready}))
"""
IMPORTS = """
import json, time, importlib
found = {}
for name in ("aiinvest.report.document", "matplotlib.pyplot", "papermill", "aiinvest.report.exporters", "weasyprint"):
    t = time.perf_counter(); importlib.import_module(name); found["import " + name] = time.perf_counter() - t
print(json.dumps(found))
"""
REPORT = """
import json, sys, time
from aiinvest.report import prepare
from aiinvest.report.document import chart_bundle
from aiinvest.report.charts import mpl_render, plotly_render
import plotly.io as pio
found = {}
t = time.perf_counter(); report = prepare(company="Anthropic")
found["prepare: load, reconcile, specify charts"] = time.perf_counter() - t
charts = list(report.charts.values())
t = time.perf_counter()
for c in charts: pio.to_json(plotly_render.to_plotly(c), validate=False)
found[f"plotly figures and JSON, drawn ({len(charts)} charts)"] = time.perf_counter() - t
t = time.perf_counter()
for c in charts: mpl_render.to_svg_and_png(c)  # drawn, not through the cache
found[f"matplotlib SVG and PNG, drawn ({len(charts)} charts)"] = time.perf_counter() - t
for kind in ("drawn, empty cache", "cached"):
    t = time.perf_counter()
    for n, c in enumerate(charts, 1): chart_bundle(c, n)
    found[f"chart bundles as the notebook makes them, {kind}"] = time.perf_counter() - t
print(json.dumps(found))
"""
RENDER = """
import json, sys, time
import nbformat
from aiinvest.report.exporters import ReportHTMLExporter, ReportPrintExporter, html_to_pdf
import weasyprint
nb = nbformat.read(sys.argv[1], as_version=4)
found = {}
t = time.perf_counter(); ReportHTMLExporter().from_notebook_node(nb)
found["HTML (nbconvert)"] = time.perf_counter() - t
t = time.perf_counter(); html, _ = ReportPrintExporter().from_notebook_node(nb)
found["print HTML (nbconvert)"] = time.perf_counter() - t
t = time.perf_counter(); html_to_pdf(html)
found["PDF layout and writing (WeasyPrint)"] = time.perf_counter() - t
print(json.dumps(found))
"""


def timed(command: list[str], env: dict | None = None) -> float:
    """Wall seconds of a command run to its end (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def measured(code: str, *args: str) -> dict[str, float]:
    """What a snippet timed itself, run in a fresh interpreter with an empty cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "AIINVEST_CACHE_DIR": cache}
        done = subprocess.run([PYTHON, "-c", code, *args], check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor_parts(executed: Path, repeat: int) -> dict[str, float]:
    """Median seconds of each part a build cannot avoid."""
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        found = {"interpreter start (python -c pass)": timed([PYTHON, "-c", "pass"])}
        for code in (IMPORTS, KERNEL, REPORT):
            found |= measured(code)
        found |= measured(RENDER, str(executed))
        runs.append(found)
    return {name: statistics.median(r[name] for r in runs) for name in runs[0]}


def build(out: Path, cache: Path, code: dict | None = None) -> tuple[float, dict]:
    """A forced build of the real data into out, with this cache folder (and `code`: environment variables
    naming another checkout, PYTHONPATH and AIINVEST_ROOT): wall seconds and its steps."""
    env = {**os.environ, "AIINVEST_CACHE_DIR": str(cache), **(code or {})}
    seconds = timed([str(BIN / "aiinvest"), "build", "--force", "-o", str(out), "--formats", "html,pdf"], env)
    manifest = json.loads((out / "anthropic" / "latest" / "manifest.json").read_text(encoding="utf-8"))
    return seconds, manifest["steps_seconds"]


def chain(work: Path) -> float:
    """The bare chain: papermill's command, then nbconvert's, on the same notebook, with an empty cache."""
    from aiinvest.config import NOTEBOOKS_DIR

    env = {**os.environ, "AIINVEST_CACHE_DIR": tempfile.mkdtemp(dir=work)}
    executed = work / "bare.ipynb"
    notebook = str(NOTEBOOKS_DIR / "report.ipynb")
    first = timed([str(BIN / "papermill"), notebook, str(executed), "--cwd", str(NOTEBOOKS_DIR)], env)
    return first + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], env)


def interleaved(work: Path, repeat: int) -> dict[str, list]:
    """Cold builds (empty cache), warm builds (charts and validation cached) and bare chains, interleaved."""
    warm_cache = Path(tempfile.mkdtemp(dir=work))
    build(work / "warm", warm_cache)  # fills the cache
    kinds: dict[str, Callable[[], tuple[float, dict]]] = {
        "cold": lambda: build(work / "cold", Path(tempfile.mkdtemp(dir=work))),
        "warm": lambda: build(work / "warm", warm_cache),
        "chain": lambda: (chain(work), {}),
    }
    found: dict[str, list] = {name: [] for name in kinds}
    for i in range(repeat):
        names = list(kinds) if i % 2 == 0 else list(reversed(kinds))
        for name in names:
            found[name].append(kinds[name]())
    return found


def section(work: Path, repeat: int) -> list[str]:
    """The floor's table and the build against the bare chain, as Markdown lines."""
    work.mkdir(parents=True, exist_ok=True)
    runs = interleaved(work, repeat)
    med = statistics.median
    chain_s = med(s for s, _ in runs["chain"])
    executed = work / "cold" / "anthropic" / "latest" / "report.ipynb"
    lines = [
        f"## The floor of a build (medians of {repeat}; load average {os.getloadavg()[0]:.1f})",
        "",
        "| part (each timed in a fresh process) | seconds |",
        "| --- | ---: |",
        *(f"| {name} | {s:.2f} |" for name, s in floor_parts(executed, repeat).items()),
        "",
        "| build, interleaved | wall s | / bare chain | steps (median s) |",
        "| --- | ---: | ---: | --- |",
    ]
    for name in ("cold", "warm"):
        wall = med(s for s, _ in runs[name])
        steps = {k: med(st[k] for _, st in runs[name]) for k in runs[name][0][1]}
        listed = ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
        lines.append(f"| `aiinvest build`, {name} | {wall:.2f} | **{wall / chain_s:.2f}** | {listed} |")
    lines += [f"| bare chain: papermill + `nbconvert --to html` | {chain_s:.2f} | 1.00 | |", ""]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per median (default: %(default)s)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aiinvest-floor-") as tmp:
        print("\n".join(section(Path(tmp), args.repeat)))


if __name__ == "__main__":
    main()
