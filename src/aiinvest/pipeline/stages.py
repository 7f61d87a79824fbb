"""The pipeline: one function per stage, each given the run object.

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
from datetime import UTC, datetime
from pathlib import Path

from .. import exitcodes
from ..config import DATA_DIR, ENV_GATED, NOTEBOOKS_DIR, curated_dir, display, raw_dir
from ..data.problems import DataValidationError
from ..data.transaction import reading
from ..exitcodes import CommandError
from ..kernel import started_kernel
from ..report.changes import FIGURES_FILE, compare, read_figures, to_text
from ..report.exporters_meta import output_metadata
from ..report.formatting import plural
from ..report.params import COLUMNS_NEEDED, ParameterError, check_names_and_types, resolve
from .execute import execute, keep_failed
from .index import refresh_index
from .manifest import (
    MANIFEST_NAME,
    REPORT_NOTEBOOK,
    fingerprint,
    hash_inputs,
    hash_outputs,
    manifest_record,
    notebook_for,
    read_manifest,
    scrub,
    write_json,
)
from .publish import TMP_DIR, dated_reports, find_up_to_date, lock, output_paths, publish, update_latest
from .render import render, render_processes
from .run import FORMATS, BuildFailure, BuildRequest, BuildResult, Run

log = logging.getLogger("aiinvest.build")  # named after the command it logs

__all__ = ["BuildRequest", "BuildResult", "build", "build_many", "configure_logging", "preview"]


def build(request: BuildRequest) -> BuildResult:
    """Build one report, then make the output folder's index current; never raises for expected failures."""
    try:
        result = _build(request)
        if result.status == exitcodes.OK:
            result.index = refresh_index(request.output_dir, request.lock_timeout)
        return result
    except CommandError as failure:  # a failed step, or the data locked by a data command past the timeout
        log.error("%s: %s", request.label, failure)
        return BuildResult(failure.exit_status, str(failure))
    except Exception as error:  # an unexpected failure is still a build error, never silent
        log.exception("%s: build failed", request.label)
        return BuildResult(exitcodes.BUILD, f"build failed: {type(error).__name__}: {error}")


def _build(request: BuildRequest) -> BuildResult:
    """Hold the data folder's shared lock from hashing to publishing: the report is of the bytes it hashed."""
    with reading(data_folder(request), request.lock_timeout):
        return _build_locked(request)


def data_folder(request: BuildRequest) -> Path:
    """The data folder a request reads, absolute."""
    return Path(request.params.get("data_dir") or DATA_DIR).resolve()


def _build_locked(request: BuildRequest) -> BuildResult:
    started = time.perf_counter()
    run = start(request)
    if up_to_date := _up_to_date(run, "no input changed; --force rebuilds"):
        return up_to_date
    from ..data.validation_process import BackgroundValidation  # jsonschema: 0.3 s, unneeded when up to date

    log.info("%s: validating the data while the notebook executes", request.label)
    with BackgroundValidation(run.data_dir, request.validation_timeout) as run.validation, kernel(run) as run.kernel:
        resolve_parameters(run)  # while the kernel starts
        with lock(run):
            if up_to_date := _up_to_date(run, "built meanwhile by another run"):
                return up_to_date
            stage_and_publish(run)
    update_latest(run.folder)
    message = f"built {display(run.folder)}"
    log.info("%s: %s in %.1fs", request.label, message, time.perf_counter() - started)
    result = BuildResult(exitcodes.OK, message, run.folder, True, output_paths(run.folder), run.steps)
    result.changes = run.changes
    return result


def kernel(run: Run):
    """The kernel the notebook will run in, started now (it starts and imports the report's modules while the
    parameters are checked); shut down on every way out. It reads the validation's digest from its environment:
    the build validates exactly these bytes, so the notebook need not."""
    return started_kernel(NOTEBOOKS_DIR, {**os.environ, ENV_GATED: run.validation.digest})


def preview(request: BuildRequest) -> BuildResult:
    """Validate, reconcile and compare with the published report, rendering and publishing nothing."""
    try:
        with reading(data_folder(request), request.lock_timeout):  # the data as one state, as a build reads it
            return _preview(request)
    except CommandError as error:  # the data locked by a data command past the timeout
        return BuildResult(error.exit_status, str(error))


def _preview(request: BuildRequest) -> BuildResult:
    try:
        run = start(request)
        if hit := find_up_to_date(run.request.output_dir, run.key):  # what a build would find: no data loaded
            return BuildResult(exitcodes.OK, f"dry run: {display(hit)} is up to date; a build would do nothing")
        from ..data.load import load_tables  # imported here: pandas, 0.5 s, which an up-to-date report skips

        tables = load_tables(run.data_dir)  # validates (a result cached for these exact bytes)
        run.params = resolve(run.request.params, tables)
    except CommandError as error:  # invalid data or parameters, a failed step: each with its status
        return BuildResult(error.exit_status, str(error))
    from ..report.key_figures import figures_as_of  # imported here: pandas and the analysis, as load_tables

    run.folder = report_folder(run)
    new = figures_as_of(tables, run.params)
    previous = previous_figures(run)
    if previous is None:
        message = f"dry run: a build would publish {display(run.folder)}, the first report of its kind here"
        return BuildResult(exitcodes.OK, message, changes=f"{plural(len(new['figures']), 'figure')}, none before\n")
    changes = compare(read_figures(previous), new)
    message = f"dry run: a build would publish {display(run.folder)}; nothing was rendered or published"
    return BuildResult(exitcodes.OK, message, changes=to_text(changes))


def changes_text(run: Run) -> str:
    """What changed since the previous report (summary line and table), or "" without one."""
    if run.previous is None:
        return ""
    changes = compare(read_figures(run.previous), read_figures(run.work / FIGURES_FILE))
    log.info("%s: %s", run.request.label, changes.summary())
    run.changed = {"previous_as_of": changes.old_as_of, "summary": changes.counted()}
    return to_text(changes)


def previous_figures(run: Run) -> Path | None:
    """figures.json of the report this one follows: the same date's, else the newest of an earlier date.

    Only a report built from other inputs counts; its own build folder is named (the links may move meanwhile).
    """
    earlier = [name for name in dated_reports(run.folder.parent) if name <= run.folder.name]
    if not earlier:
        return None
    folder = run.folder.parent / earlier[-1]
    manifest = read_manifest(folder)
    if not manifest or manifest.get("fingerprint") == run.key or not (folder / FIGURES_FILE).is_file():
        return None
    return Path(os.path.realpath(folder / FIGURES_FILE))


def start(request: BuildRequest) -> Run:
    """Check the request's names, types and formats; fingerprint the inputs."""
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
    notebook = Path(request.notebook)
    notebook = notebook_for(request.params) if notebook == REPORT_NOTEBOOK else notebook  # the race: its own
    request = dataclasses.replace(request, output_dir=Path(request.output_dir).resolve(), notebook=notebook.resolve())
    run = Run(request, data_folder(request))
    _refuse_output_among_inputs(request.output_dir, run.data_dir)
    log.info("%s: data from %s", request.label, display(run.data_dir))
    with run.timed("hash inputs"):
        run.inputs = hash_inputs(run.data_dir, request.notebook)
    run.key = fingerprint({"params": request.params, "formats": sorted(request.formats)}, run.inputs)
    return run


def _refuse_output_among_inputs(output_dir: Path, data_dir: Path) -> None:
    """Reports written into the data's curated/ or raw/ would be inputs of the next build (and unnamed files there)."""
    for inputs in (curated_dir(data_dir), raw_dir(data_dir)):
        if output_dir.is_relative_to(inputs.resolve()):
            raise BuildFailure(
                exitcodes.PARAMETERS,
                f"--output-dir {display(output_dir)}: expected a folder outside the data's curated/ and raw/ "
                f"(reports there would be inputs of the next build, which would never be up to date)",
            )


def _up_to_date(run: Run, why: str) -> BuildResult | None:
    """The result for a report already built from these inputs (unless forced), else None."""
    request = run.request
    if request.force or not (hit := find_up_to_date(request.output_dir, run.key)):
        return None
    message = f"up to date: {display(hit)} ({why})"
    log.info("%s: %s", request.label, message)
    update_latest(hit)  # a build killed after publishing may have left latest on an older date
    return BuildResult(exitcodes.OK, message, hit, False, output_paths(hit), run.steps)


def resolve_parameters(run: Run) -> None:
    """Parameters checked against the data, which loads unvalidated here: validation runs alongside."""
    from ..data.load import load_tables  # imported here: pandas, 0.5 s, which a build found up to date skips

    with run.timed("parameters"):
        log.info("%s: checking parameters against the data", run.request.label)
        try:
            tables = load_tables(run.data_dir, validate=False, columns=COLUMNS_NEEDED)
            run.params = resolve(run.request.params, tables)
        except (ParameterError, DataValidationError, ValueError, KeyError, OSError) as error:
            raise_if_invalid(run)  # invalid data explains more than the symptom it caused
            if isinstance(error, ParameterError):
                raise BuildFailure(exitcodes.PARAMETERS, str(error)) from None
            raise
    run.folder = report_folder(run)


def report_folder(run: Run) -> Path:
    """Where the report of the run's resolved parameters is published: OUTPUT/<company>/<as-of date>."""
    return Path(run.request.output_dir) / run.params.company_id / run.params.as_of.date().isoformat()


def stage_and_publish(run: Run) -> None:
    """Build into a private folder, reports/.tmp/<company>-<date>-<pid>-<random>, then publish it in one step.

    The name says whose it is: a build of the same report removes it if this process is killed.
    """
    staging = Path(run.request.output_dir) / TMP_DIR
    staging.mkdir(parents=True, exist_ok=True)
    owner = f"{run.params.company_id}-{run.folder.name}-{os.getpid()}-"
    run.work = Path(tempfile.mkdtemp(prefix=owner, dir=staging))
    run.previous = previous_figures(run)
    try:
        execute_and_render(run)
        run.changes = changes_text(run)
        write_manifest(run)
        publish(run.work, run.folder)
    finally:
        shutil.rmtree(run.work, ignore_errors=True)


def raise_if_invalid(run: Run) -> None:
    """Wait for the validation process; invalid data ends the build with status 65, a failed check with 70."""
    from ..data.validation_process import CRASH, INVALID  # as in _build

    kind, detail = run.validation.outcome()
    if kind == INVALID and isinstance(detail, list):  # INVALID's detail: the problems found
        raise BuildFailure(exitcodes.DATA, str(DataValidationError(detail)))
    if kind == CRASH:
        raise BuildFailure(exitcodes.BUILD, f"validation failed: {detail}")


def execute_and_render(run: Run) -> None:
    """Execute (in the kernel started for it) and render while the data is validated; the validation's result
    gates publication."""
    with render_processes(run) as processes:  # they import their exporters while the notebook executes
        nb = execute_notebook(run)
        run.document = output_metadata(nb, "document")
        try:
            render(run, nb, processes)
        except Exception as error:
            raise_if_invalid(run)
            _, kept = keep_failed(run, run.executed)
            message = f"rendering failed ({type(error).__name__}: {error}); {kept}"
            raise BuildFailure(exitcodes.BUILD, message) from error
    raise_if_invalid(run)  # nothing is published unless the data passed
    run.steps["validate"] = run.validation.seconds  # in its own process, alongside execution and rendering


def execute_notebook(run: Run):
    """The executed notebook, as written in the work folder; a failed run (or invalid data) ends the build."""
    with run.timed("execute"):
        log.info("%s: executing the notebook", run.request.label)
        try:
            return execute(run, run.executed, run.kernel)
        except BuildFailure:
            raise_if_invalid(run)  # a data error is the cause, whatever the kernel did
            raise


def write_manifest(run: Run) -> None:
    """Parameters, SHA-256 of every input and output, package versions and seconds per step."""
    manifest = {
        **manifest_record(run),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "steps_seconds": {k: round(v, 3) for k, v in run.steps.items()},
        "outputs": hash_outputs(run.work),
        "report": {"title": run.document.get("title") or run.params.company_name, "changes": run.changed},
    }
    write_json(run.work / MANIFEST_NAME, json.loads(scrub(json.dumps(manifest), run.data_dir)))


def build_many(requests: list[BuildRequest], jobs: int) -> list[BuildResult]:
    """Build several parameter sets, in parallel processes when jobs > 1.

    The workers are spawned (forking a process that has threads can deadlock), so a script
    that calls this with jobs > 1 must do so under `if __name__ == "__main__":`.
    """
    if jobs <= 1 or len(requests) <= 1:
        return [build(r) for r in requests]
    import multiprocessing  # 0.02 s, which one parameter file (the usual build) never needs
    from concurrent.futures import ProcessPoolExecutor  # as multiprocessing

    context = multiprocessing.get_context("spawn")  # forking a process that has threads can deadlock
    with ProcessPoolExecutor(max_workers=min(jobs, len(requests)), mp_context=context) as pool:
        return list(pool.map(_build_in_worker, requests))


def _build_in_worker(request: BuildRequest) -> BuildResult:
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
