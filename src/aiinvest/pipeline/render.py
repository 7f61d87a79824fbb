"""Render the executed notebook: chart files for slides, then each format (HTML, PDF) by a process of its own."""

import base64
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..report.changes import FIGURES_FILE
from ..report.exporters_meta import METADATA_KEY, output_record
from .manifest import MANIFEST_NAME, manifest_record, relative_name
from .render_process import RenderProcess
from .run import Run

log = logging.getLogger("aiinvest.build")  # named after the command it logs

FILENAMES = {"html": "report.html", "pdf": "report.pdf"}


@contextmanager
def render_processes(run: Run) -> Iterator[dict[str, RenderProcess]]:
    """A process for each requested format, started now (each imports its exporter while the notebook executes);
    stopped at the end of the block, whatever happened."""
    processes: dict[str, RenderProcess] = {}
    try:
        for kind in FILENAMES:
            if kind in run.request.formats:
                processes[kind] = RenderProcess(kind)
        yield processes
    finally:
        for process in processes.values():
            process.close()


def render(run: Run, nb, processes: dict[str, RenderProcess]) -> None:
    """Write the figures, then every requested format into the run's work folder, each by its process, at the
    same time, from the notebook as written there."""
    with run.timed("figures"):
        write_figures(nb, run.work / "figures")
        write_figures_data(nb, run.work / FIGURES_FILE)
    with run.timed("html and pdf"):
        for kind, process in processes.items():
            log.info("%s: rendering %s", run.request.label, kind.upper())
            process.render(run.executed, run.work / FILENAMES[kind], _resources(run, kind))
        for kind, process in processes.items():
            process.wait()
            run.steps[kind] = process.seconds  # each in its own process: they overlap


def _resources(run: Run, kind: str) -> dict | None:
    """What the exporter is given besides the notebook: for the PDF, the files it carries."""
    return _attachments(run) if kind == "pdf" else None


def _attachments(run: Run) -> dict:
    """What the PDF carries: the declared data files, as the build hashed them, and the build's record."""
    return {"evidence": evidence(run), "attachments": [_record(run)]}


def evidence(run: Run) -> list[tuple[str, bytes, str]]:
    """datapackage.json and the files it declares, from the run's data folder, each with the SHA-256 the build
    hashed (EvidenceError if one changed since): the PDF carries exactly what the report was made from."""
    from ..report.evidence import collect  # imported here: the PDF's evidence, unneeded when up to date

    return collect(run.data_dir, lambda path, _: run.inputs.get(relative_name(path), ""), "the build's record")


def _record(run: Run) -> tuple[str, bytes, str]:
    """The build's record, attached to the PDF: parameters, SHA-256 of every input, versions."""
    data = json.dumps(manifest_record(run), indent=2, sort_keys=True).encode("utf-8")
    return MANIFEST_NAME, data, "the build's record: parameters, SHA-256 of every input, package versions"


def write_figures_data(nb, target: Path) -> None:
    """Write figures.json: the headline figures the notebook computed (the same objects its header shows)."""
    figures = output_record(nb, "figures")  # figures.json's text (report.changes.figures_text)
    if figures is None:
        raise ValueError("the executed notebook holds no figures (its last cell, how_to_cite, did not run)")
    target.write_text(figures, encoding="utf-8")


def write_figures(nb, folder: Path) -> None:
    """Write each chart's SVG and PNG (from the executed notebook) for reuse in slides."""
    folder.mkdir(parents=True, exist_ok=True)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            about = output.get("metadata", {}).get(METADATA_KEY, {})
            if not about.get("chart"):
                continue
            (folder / f"{about['chart']}.svg").write_text(output["data"]["image/svg+xml"], encoding="utf-8")
            (folder / f"{about['chart']}.png").write_bytes(base64.b64decode(about["png"]))
