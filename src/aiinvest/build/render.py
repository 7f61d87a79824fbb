"""Render the executed notebook: chart files for slides, then one loop over the report's exporters."""

import base64
import logging
from pathlib import Path

from .run import Run

log = logging.getLogger("aiinvest.build")

CHART_METADATA_KEY = "aiinvest"


def exporters() -> dict[str, tuple[type, str]]:
    """Each output format: its nbconvert exporter and file name (imported on use: nbconvert is slow to load)."""
    from ..report.exporters import ReportHTMLExporter, ReportPDFExporter  # nbconvert: 1 s, unneeded when up to date

    return {"html": (ReportHTMLExporter, "report.html"), "pdf": (ReportPDFExporter, "report.pdf")}


def render(run: Run, nb) -> None:
    """Write the figures and every requested format into the run's work folder."""
    with run.timed("figures"):
        write_figures(nb, run.work / "figures")
    for name, (exporter, filename) in exporters().items():
        if name not in run.request.formats:
            continue
        with run.timed(name):
            log.info("%s: rendering %s", run.request.label, name.upper())
            body, _ = exporter().from_notebook_node(nb)
            target = run.work / filename
            if isinstance(body, str):
                target.write_text(body, encoding="utf-8")
            else:
                target.write_bytes(body)


def write_figures(nb, folder: Path) -> None:
    """Write each chart's SVG and PNG (from the executed notebook) for reuse in slides."""
    folder.mkdir(parents=True, exist_ok=True)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            chart = output.get("metadata", {}).get(CHART_METADATA_KEY, {}).get("chart")
            if not chart:
                continue
            data = output["data"]
            (folder / f"{chart}.svg").write_text(data["image/svg+xml"], encoding="utf-8")
            (folder / f"{chart}.png").write_bytes(base64.b64decode(data["image/png"]))
