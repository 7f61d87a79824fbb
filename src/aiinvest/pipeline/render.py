"""Render the executed notebook: chart files for slides, then one loop over the report's exporters."""

import base64
import json
import logging
from pathlib import Path

from ..report.changes import FIGURES_FILE
from .manifest import MANIFEST_NAME, manifest_record, relative_name
from .run import Run

log = logging.getLogger("aiinvest.build")  # named after the command it logs

CHART_METADATA_KEY = "aiinvest"


def exporters() -> dict[str, tuple[type, str]]:
    """Each output format: its nbconvert exporter and file name (imported on use: nbconvert is slow to load)."""
    from ..report.exporters import ReportHTMLExporter, ReportPDFExporter  # nbconvert: 1 s, unneeded when up to date

    return {"html": (ReportHTMLExporter, "report.html"), "pdf": (ReportPDFExporter, "report.pdf")}


def render(run: Run, nb) -> None:
    """Write the figures and every requested format into the run's work folder."""
    with run.timed("figures"):
        write_figures(nb, run.work / "figures")
        write_figures_data(nb, run.work / FIGURES_FILE)
    for name, (exporter, filename) in exporters().items():
        if name not in run.request.formats:
            continue
        with run.timed(name):
            log.info("%s: rendering %s", run.request.label, name.upper())
            body, _ = exporter().from_notebook_node(nb, _attachments(run) if name == "pdf" else None)
            target = run.work / filename
            if isinstance(body, str):
                target.write_text(body, encoding="utf-8")
            else:
                target.write_bytes(body)


def _attachments(run: Run) -> dict:
    """What the PDF carries: the declared data files, as the build hashed them, and the build's record."""
    return {"evidence": evidence(run), "attachments": [_record(run)]}


def evidence(run: Run) -> list[tuple[str, bytes, str]]:
    """datapackage.json and the files it declares, from the run's data folder, each with the SHA-256 the build
    hashed (EvidenceError if one changed since): the PDF carries exactly what the report was made from."""
    from ..report.evidence import collect  # as exporters()

    return collect(run.data_dir, lambda path, _: run.inputs.get(relative_name(path), ""), "the build's record")


def _record(run: Run) -> tuple[str, bytes, str]:
    """The build's record, attached to the PDF: parameters, SHA-256 of every input, versions."""
    data = json.dumps(manifest_record(run), indent=2, sort_keys=True).encode("utf-8")
    return MANIFEST_NAME, data, "the build's record: parameters, SHA-256 of every input, package versions"


def write_figures_data(nb, target: Path) -> None:
    """Write figures.json: the headline figures the notebook computed (the same objects its header shows)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            figures = output.get("metadata", {}).get(CHART_METADATA_KEY, {}).get("figures")
            if figures is not None:  # figures.json's text (report.changes.figures_text)
                target.write_text(figures, encoding="utf-8")
                return
    raise ValueError("the executed notebook holds no figures (its last cell, how_to_cite, did not run)")


def write_figures(nb, folder: Path) -> None:
    """Write each chart's SVG and PNG (from the executed notebook) for reuse in slides."""
    folder.mkdir(parents=True, exist_ok=True)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            about = output.get("metadata", {}).get(CHART_METADATA_KEY, {})
            if not about.get("chart"):
                continue
            (folder / f"{about['chart']}.svg").write_text(output["data"]["image/svg+xml"], encoding="utf-8")
            (folder / f"{about['chart']}.png").write_bytes(base64.b64decode(about["png"]))
