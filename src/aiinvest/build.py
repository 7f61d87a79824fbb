"""Build the report: validate, execute with papermill, render HTML and PDF, publish atomically.

A build writes into a temporary folder and moves it into place only when every format
succeeded, so the last good report is never clobbered. When no input changed, a rebuild
does nothing; builds of the same report are serialised by a lock.
"""

import dataclasses
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__, exitcodes
from .data.validation_process import CRASH, INVALID, BackgroundValidation
from .manifest import (
    MANIFEST_NAME,
    REPORT_NOTEBOOK,
    fingerprint,
    hash_inputs,
    hash_outputs,
    outputs_intact,
    package_versions,
    read_manifest,
    relative_name,
    scrub,
    write_json,
)
from .paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR, display

log = logging.getLogger("aiinvest.build")

FORMATS = ("html", "pdf")
LATEST = "latest"
FAILED_DIR = "failed"
TMP_DIR = ".tmp"
LOCKS_DIR = ".locks"
CHART_METADATA_KEY = "aiinvest"


@dataclass
class BuildRequest:
    """What to build and where."""

    params: dict = field(default_factory=dict)  # the parameter file merged with overrides
    label: str = "report"  # for log lines: the parameter file's name
    formats: tuple[str, ...] = FORMATS
    output_dir: Path = REPORTS_DIR
    force: bool = False
    cell_timeout: float = 600.0  # seconds one notebook cell may run
    lock_timeout: float = 1800.0  # seconds to wait for another build of the same report
    validation_timeout: float = 600.0  # seconds the data validation may take
    notebook: Path = REPORT_NOTEBOOK
    progress: bool = False  # papermill's progress bar (on a terminal)


@dataclass
class BuildResult:
    """How a build ended."""

    status: int
    message: str
    folder: Path | None = None
    built: bool = False
    outputs: dict[str, Path] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)


class BuildFailure(Exception):
    """A build step failed; carries the exit status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def build(request: BuildRequest) -> BuildResult:
    """Build one report; never raises for expected failures, returns a result with a status."""
    try:
        return _build(request)
    except BuildFailure as failure:
        log.error("%s: %s", request.label, failure)
        return BuildResult(failure.status, str(failure))
    except Exception as error:  # an unexpected failure is still a build error, never silent
        log.exception("%s: build failed", request.label)
        return BuildResult(exitcodes.BUILD, f"build failed: {type(error).__name__}: {error}")


def _build(request: BuildRequest) -> BuildResult:
    started = time.perf_counter()
    from .params import ParameterError, check_names_and_types

    problems = check_names_and_types(request.params)
    if problems:
        raise BuildFailure(exitcodes.PARAMETERS, str(ParameterError(problems)))
    unknown = sorted(set(request.formats) - set(FORMATS))
    if unknown:
        raise BuildFailure(
            exitcodes.PARAMETERS,
            f"unknown format(s) {', '.join(unknown)}: expected {', '.join(FORMATS)}",
        )
    # papermill changes the working directory while it runs: hold absolute paths from here on
    data_dir = Path(request.params.get("data_dir") or DATA_DIR).resolve()
    request = dataclasses.replace(
        request, output_dir=Path(request.output_dir).resolve(), notebook=Path(request.notebook).resolve()
    )
    steps: dict[str, float] = {}
    with _timed(steps, "hash inputs"):
        inputs = hash_inputs(data_dir, request.notebook)
    key = fingerprint({"params": request.params, "formats": sorted(request.formats)}, inputs)
    if up_to_date := _up_to_date(request, key, steps, "no input changed; --force rebuilds"):
        return up_to_date

    log.info("%s: validating the data while the notebook executes", request.label)
    with BackgroundValidation(data_dir, request.validation_timeout) as validation:
        params = _resolve(request, data_dir, steps, validation)
        folder = Path(request.output_dir) / params.company_id / params.as_of.date().isoformat()
        with _lock(request, folder):
            if up_to_date := _up_to_date(request, key, steps, "built meanwhile by another run"):
                return up_to_date
            _stage_and_publish(request, params, data_dir, folder, key, inputs, steps, validation)
    _update_latest(folder)
    message = f"built {display(folder)}"
    log.info("%s: %s in %.1fs", request.label, message, time.perf_counter() - started)
    return BuildResult(exitcodes.OK, message, folder, True, _output_paths(folder), steps)


def _up_to_date(request: BuildRequest, key: str, steps: dict, why: str) -> BuildResult | None:
    """The result for a report already built from these inputs (unless forced), else None."""
    if request.force or not (hit := find_up_to_date(request.output_dir, key)):
        return None
    message = f"up to date: {display(hit)} ({why})"
    log.info("%s: %s", request.label, message)
    return BuildResult(exitcodes.OK, message, hit, False, _output_paths(hit), steps)


def _stage_and_publish(request, params, data_dir, folder, key, inputs, steps, validation) -> None:
    """Build into a private folder under reports/.tmp, then move it into place."""
    staging = Path(request.output_dir) / TMP_DIR
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{params.company_id}-", dir=staging))
    try:
        _render_all(request, params, data_dir, work, steps, validation)
        manifest = {
            "aiinvest_version": __version__,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": key,
            "request": {"params": request.params, "formats": sorted(request.formats)},
            "parameters": _resolved_dict(params),
            "inputs": inputs,
            "packages": package_versions(),
            "steps_seconds": {k: round(v, 3) for k, v in steps.items()},
            "outputs": hash_outputs(work),
        }
        write_json(work / MANIFEST_NAME, json.loads(scrub(json.dumps(manifest))))
        publish(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _raise_if_invalid(validation: BackgroundValidation) -> None:
    """Wait for the validation process; invalid data ends the build with status 65, a failed check with 70."""
    kind, detail = validation.outcome()
    if kind == INVALID:
        from .data.validate import DataValidationError

        raise BuildFailure(exitcodes.DATA, str(DataValidationError(detail)))
    if kind == CRASH:
        raise BuildFailure(exitcodes.BUILD, f"validation failed: {detail}")


def _resolve(request: BuildRequest, data_dir: Path, steps: dict, validation: BackgroundValidation):
    """Parameters checked against the data, which loads unvalidated here: validation runs alongside."""
    from .data.load import load_tables
    from .params import COLUMNS_NEEDED, ParameterError, resolve

    with _timed(steps, "parameters"):
        log.info("%s: checking parameters against the data", request.label)
        try:
            tables = load_tables(data_dir, validate=False, columns=COLUMNS_NEEDED)
            return resolve(request.params, tables)
        except (ParameterError, ValueError, KeyError, OSError) as error:
            _raise_if_invalid(validation)  # invalid data explains more than the symptom it caused
            if isinstance(error, ParameterError):
                raise BuildFailure(exitcodes.PARAMETERS, str(error)) from None
            raise


def _render_all(
    request: BuildRequest, params, data_dir: Path, work: Path, steps: dict, validation: BackgroundValidation
) -> None:
    """Execute and render while the data is validated; the validation result gates publication."""
    import nbformat

    from .data.validate import GATED_BY_BUILD

    notebook_path = work / "report.ipynb"
    with _timed(steps, "execute"):
        log.info("%s: executing the notebook", request.label)
        os.environ[GATED_BY_BUILD] = validation.digest  # inherited by the kernel papermill starts
        try:
            _execute(request, params, data_dir, notebook_path)
        except BuildFailure:
            _raise_if_invalid(validation)  # a data error is the cause, whatever the kernel did
            raise
        finally:
            os.environ.pop(GATED_BY_BUILD, None)
    nb = nbformat.read(notebook_path, as_version=4)
    try:
        with _timed(steps, "figures"):
            _write_figures(nb, work / "figures")
        if "html" in request.formats:
            with _timed(steps, "html"):
                log.info("%s: rendering HTML", request.label)
                _export_html(nb, work / "report.html")
        if "pdf" in request.formats:
            with _timed(steps, "pdf"):
                log.info("%s: rendering PDF", request.label)
                _export_pdf(nb, work / "report.pdf")
    except Exception as error:
        _raise_if_invalid(validation)
        _, kept = _keep_failed(request, params.company_id, notebook_path)
        raise BuildFailure(exitcodes.BUILD, f"rendering failed ({type(error).__name__}: {error}); {kept}") from error
    _raise_if_invalid(validation)  # nothing is published unless the data passed
    steps["validate"] = validation.seconds  # in its own process, alongside execution and rendering


def _execute(request: BuildRequest, params, data_dir: Path, output: Path) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    parameters = {**request.params, "as_of": params.as_of.date().isoformat()}
    if parameters.get("data_dir"):  # the kernel runs in notebooks/: give it the resolved folder
        parameters["data_dir"] = str(data_dir)
    failure = None
    try:
        papermill.execute_notebook(
            str(request.notebook),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=request.progress,
            log_output=False,
            request_save_on_cell_execute=True,  # so a timed-out or dead kernel still leaves the failing cell
            execution_timeout=request.cell_timeout,
            cwd=str(NOTEBOOKS_DIR),
        )
    except papermill.PapermillExecutionError as error:
        failure = f"raised {error.ename}: {error.evalue}"
    except CellTimeoutError:
        failure = f"exceeded the time limit of {request.cell_timeout:g}s per cell"
    except DeadKernelError:
        failure = "killed the kernel (it died while running this cell)"
    except RuntimeError as error:  # papermill wraps some kernel failures
        failure = f"failed: {error}"
    if failure is not None:
        where, kept = _keep_failed(request, params.company_id, output)
        raise BuildFailure(exitcodes.BUILD, f"notebook {where} {failure}; {kept}")
    _scrub_notebook(output, request.notebook)


def _keep_failed(request: BuildRequest, company_id: str, output: Path) -> tuple[str, str]:
    """Move the failing notebook to reports/failed/; name the failing cell and say where it is kept."""
    import nbformat

    failed_dir = Path(request.output_dir) / FAILED_DIR
    failed_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = failed_dir / f"{company_id}-{stamp}-{os.getpid()}.ipynb"
    where, kept_text = "(cell unknown)", "no executed notebook was written"
    if output.exists():
        nb = nbformat.read(output, as_version=4)
        index = _failing_cell(nb)
        if index is not None:
            first = next((line for line in nb.cells[index].source.splitlines() if line.strip()), "")
            where = f"cell {index} ({first.strip()[:60]})"
        shutil.move(output, kept)
        kept_text = f"the executed notebook is kept in {display(kept)}"
    return where, kept_text


def _failing_cell(nb) -> int | None:
    """Index of the cell that failed: marked failed, else the last one that started (timeout, dead kernel)."""
    started = None
    for index, cell in enumerate(nb.cells):
        record = cell.get("metadata", {}).get("papermill", {})
        if cell.cell_type != "code":
            continue
        if record.get("status") == "failed" or record.get("exception"):
            return index
        if record.get("start_time"):
            started = index
    return started


def _scrub_notebook(path: Path, source: Path) -> None:
    """Make papermill's record shareable: relative paths, no local directories."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    record = nb.metadata.get("papermill", {})
    record["input_path"] = relative_name(source)
    record["output_path"] = "report.ipynb"
    record.pop("environment_variables", None)
    nbformat.write(nbformat.reads(scrub(nbformat.writes(nb)), as_version=4), path)


def _write_figures(nb, folder: Path) -> None:
    """Write each chart's SVG and PNG (from the executed notebook) for reuse in slides."""
    import base64

    folder.mkdir(parents=True, exist_ok=True)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            chart = output.get("metadata", {}).get(CHART_METADATA_KEY, {}).get("chart")
            if not chart:
                continue
            data = output["data"]
            (folder / f"{chart}.svg").write_text(data["image/svg+xml"], encoding="utf-8")
            (folder / f"{chart}.png").write_bytes(base64.b64decode(data["image/png"]))


def _export_html(nb, target: Path) -> None:
    from .exporters import ReportHTMLExporter

    html, _ = ReportHTMLExporter().from_notebook_node(nb)
    target.write_text(html, encoding="utf-8")


def _export_pdf(nb, target: Path) -> None:
    from .exporters import ReportPDFExporter

    pdf, _ = ReportPDFExporter().from_notebook_node(nb)
    target.write_bytes(pdf)


def publish(work: Path, folder: Path) -> None:
    """Move a finished build into place, replacing the previous one only at the last moment."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    final = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    final.chmod(0o755)  # mkdtemp makes it private; reports are for sharing
    for item in work.iterdir():
        shutil.move(str(item), final / item.name)
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.rename(folder, old)
    try:
        os.rename(final, folder)
    except OSError:
        if old is not None:
            os.rename(old, folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _update_latest(folder: Path) -> None:
    """Point <company>/latest at the newest as-of folder, atomically."""
    company_dir = folder.parent
    dated = sorted(
        p.name for p in company_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != LATEST
    )
    if not dated:
        return
    link = company_dir / LATEST
    tmp = company_dir / f".{LATEST}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(dated[-1], target_is_directory=True)
    os.replace(tmp, link)


def find_up_to_date(output_dir: Path, key: str) -> Path | None:
    """The published report folder built from exactly these inputs, if intact."""
    for manifest_path in Path(output_dir).glob(f"*/*/{MANIFEST_NAME}"):
        folder = manifest_path.parent
        if folder.name == LATEST or folder.name.startswith("."):
            continue
        manifest = read_manifest(folder)
        if manifest and manifest.get("fingerprint") == key and outputs_intact(folder, manifest):
            return folder
    return None


@contextmanager
def _lock(request: BuildRequest, folder: Path):
    from filelock import FileLock, Timeout

    locks = Path(request.output_dir) / LOCKS_DIR
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(locks / f"{folder.parent.name}-{folder.name}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("%s: another build of %s is running; waiting", request.label, display(folder))
        try:
            lock.acquire(timeout=request.lock_timeout)
        except Timeout:
            raise BuildFailure(
                exitcodes.LOCKED,
                f"another build of {display(folder)} held the lock for {request.lock_timeout:g}s; try later",
            ) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _timed(steps: dict, name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - start


def _resolved_dict(params) -> dict:
    return {
        "company_id": params.company_id,
        "company_name": params.company_name,
        "as_of": params.as_of.date().isoformat(),
        "unit": params.unit,
        "title": params.title,
        "page_size": params.page_size,
    }


def _output_paths(folder: Path) -> dict[str, Path]:
    names = {
        "html": "report.html",
        "pdf": "report.pdf",
        "notebook": "report.ipynb",
        "manifest": MANIFEST_NAME,
    }
    return {kind: folder / name for kind, name in names.items() if (folder / name).exists()}


def build_many(requests: list[BuildRequest], jobs: int) -> list[BuildResult]:
    """Build several parameter sets, in parallel processes when jobs > 1.

    The workers are spawned (forking a process that has threads can deadlock), so a script
    that calls this with jobs > 1 must do so under `if __name__ == "__main__":`.
    """
    if jobs <= 1 or len(requests) <= 1:
        return [build(r) for r in requests]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # forking a process that has threads can deadlock
    with ProcessPoolExecutor(max_workers=min(jobs, len(requests)), mp_context=context) as pool:
        return list(pool.map(_build_in_worker, requests))


def _build_in_worker(request: BuildRequest) -> BuildResult:
    from .startup import skip_unused_format_checkers

    skip_unused_format_checkers()
    configure_logging(progress=False)
    return build(request)


def configure_logging(progress: bool) -> None:
    """Terminal: short lines. Otherwise (cron, CI): timestamped plain log lines."""
    handler = logging.StreamHandler(sys.stderr)
    fmt = "%(message)s" if progress else "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt, datefmt="%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger("aiinvest")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
