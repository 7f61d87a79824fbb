"""Render the executed notebook: chart files for slides, then one loop over the report's exporters."""

import base64
import json
import logging
import time
from pathlib import Path

from ..report.changes import FIGURES_FILE
from .manifest import MANIFEST_NAME, manifest_record, relative_name
from .pdf_process import PDFProcess
from .run import Run

log = logging.getLogger("aiinvest.build")  # named after the command it logs

CHART_METADATA_KEY = "aiinvest"


def render(run: Run, nb, pdf: PDFProcess | None = None) -> None:
    """Write the figures and every requested format into the run's work folder: the PDF, by the PDF process when
    there is one (it lays the PDF out while this process writes the HTML), from the notebook as written."""
    with run.timed("figures"):
        write_figures(nb, run.work / "figures")
        write_figures_data(nb, run.work / FIGURES_FILE)
    started = time.perf_counter()
    if "pdf" in run.request.formats and pdf is not None:
        log.info("%s: rendering PDF (in its own process)", run.request.label)
        pdf.render(run.work / "report.ipynb", run.work / "report.pdf", _attachments(run))
    if "html" in run.request.formats:
        from ..report.exporters import ReportHTMLExporter  # nbconvert: 1 s, unneeded when up to date

        with run.timed("html"):
            log.info("%s: rendering HTML", run.request.label)
            (run.work / "report.html").write_text(ReportHTMLExporter().from_notebook_node(nb)[0], encoding="utf-8")
    if "pdf" in run.request.formats:
        _pdf(run, nb, pdf)
    run.steps["html and pdf"] = time.perf_counter() - started


def _pdf(run: Run, nb, pdf: PDFProcess | None) -> None:
    """The PDF: the process's, once it has written it (its seconds overlap the HTML's), else laid out here."""
    if pdf is not None:
        pdf.wait()
        run.steps["pdf"] = pdf.seconds
        return
    from ..report.exporters import ReportPDFExporter  # as ReportHTMLExporter

    with run.timed("pdf"):
        log.info("%s: rendering PDF", run.request.label)
        (run.work / "report.pdf").write_bytes(ReportPDFExporter().from_notebook_node(nb, _attachments(run))[0])


def _attachments(run: Run) -> dict:
    """What the PDF carries: the declared data files, as the build hashed them, and the build's record."""
    return {"evidence": evidence(run), "attachments": [_record(run)]}


def evidence(run: Run) -> list[tuple[str, bytes, str]]:
    """datapackage.json and the files it declares, from the run's data folder, each with the SHA-256 the build
    hashed (EvidenceError if one changed since): the PDF carries exactly what the report was made from."""
    from ..report.evidence import collect  # as ReportHTMLExporter

    return collect(run.data_dir, lambda path, _: run.inputs.get(relative_name(path), ""), "the build's record")


def _record(run: Run) -> tuple[str, bytes, str]:
    """The build's record, attached to the PDF: parameters, SHA-256 of every input, versions."""
    data = json.dumps(manifest_record(run), indent=2, sort_keys=True).encode("utf-8")
    return MANIFEST_NAME, data, "the build's record: parameters, SHA-256 of every input, package versions"


def write_figures_data(nb, target: Path) -> None:
    """Write figures.json: the headline figures the notebook's header computed (the same objects it shows)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            figures = output.get("metadata", {}).get(CHART_METADATA_KEY, {}).get("figures")
            if figures is not None:
                target.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
                return
    raise ValueError("the executed notebook holds no figures (its header cell did not run)")


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
