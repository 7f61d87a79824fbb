"""Execute the report notebook with papermill; keep a failing notebook where it can be read."""

import math
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import exitcodes
from ..config import NOTEBOOKS_DIR, display
from ..kernel import shut_down
from .manifest import scrub
from .run import BuildFailure, Run

FAILED_DIR = "failed"
IOPUB_TIMEOUT = 120  # seconds a cell's outputs may take after its reply (bounded by the cell's time limit)
VERSION_DIGITS = 12


def execute(run: Run, output: Path, km) -> Any:
    """Run the notebook with papermill in the kernel `km` (started by the build, shut down here); a failing,
    timed-out or dead cell ends the build with status 70. Return the executed notebook, as written."""
    import papermill  # imported here: 0.8 s, and a build found up to date never executes
    from nbclient.exceptions import CellTimeoutError, DeadKernelError  # (nbclient comes with papermill)

    from .engine import ENGINE_NAME  # papermill's engine, for a kernel started beforehand

    request = run.request
    failure = None
    try:
        nb = papermill.execute_notebook(
            str(request.notebook),
            str(output),
            parameters=parameters(run),
            engine_name=ENGINE_NAME,
            kernel_name=km.kernel_name,  # the project's kernel, as in JupyterLab
            km=km,
            progress_bar=request.progress,
            log_output=False,
            execution_timeout=math.ceil(request.cell_timeout),  # nbclient takes whole seconds
            # How long a cell's last outputs may take to arrive after it finished (nbclient's 4 s by default,
            # and papermill fails the cell past it): figures.json's text rides on the last cell's output, and
            # at 10^5 claims its 30 MB took longer than that on a loaded machine.
            iopub_timeout=min(IOPUB_TIMEOUT, math.ceil(request.cell_timeout)),
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
    finally:
        shut_down(km)  # nbclient has, unless the kernel never answered
    if failure is not None:
        where, kept = keep_failed(run, output)
        raise BuildFailure(exitcodes.BUILD, f"notebook {where} {failure}; {kept}")
    shareable = write_shareable(nb, run, output)
    sign(shareable)
    return shareable


def parameters(run: Run) -> dict:
    """The notebook's parameters: the request's, with the resolved date, the version and the build's paths."""
    request, params = run.request, run.params
    found = {**request.params, "as_of": params.as_of.date().isoformat(), "version": version(run.key)}
    if found.get("data_dir"):  # the kernel runs in notebooks/: give it the resolved folder
        found["data_dir"] = str(run.data_dir)
    if run.previous is not None:  # the report published before, for "Changes since the previous report"
        found["previous"] = str(run.previous)
    return found


def version(key: str) -> str:
    """The report's short version: the first hex digits of the build's fingerprint (parameters and inputs)."""
    return key[:VERSION_DIGITS]


def keep_failed(run: Run, output: Path) -> tuple[str, str]:
    """Move the failing notebook, scrubbed, to reports/failed/; name the failing cell and say where it is kept."""
    import nbformat  # imported here: 0.3 s, and a build found up to date never reads a notebook

    failed_dir = Path(run.request.output_dir) / FAILED_DIR
    failed_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = failed_dir / f"{run.params.company_id}-{stamp}-{os.getpid()}.ipynb"
    where, kept_text = "(cell unknown)", "no executed notebook was written"
    if output.exists():
        nb = nbformat.read(output, as_version=4)
        index = _failing_cell(nb)
        if index is not None:
            first = next((line for line in nb.cells[index].source.splitlines() if line.strip()), "")
            where = f"cell {index} ({first.strip()[:60]})"
        write_shareable(nb, run, kept)
        output.unlink()
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


def write_shareable(nb, run: Run, target: Path) -> Any:
    """Write an executed notebook with no local path (papermill's record trimmed, then every path scrubbed);
    return it as written."""
    import nbformat  # imported here: 0.3 s, and a build found up to date never reads a notebook

    record = nb.metadata.get("papermill", {})
    record["input_path"] = str(run.request.notebook)  # scrubbed below with everything else
    record["output_path"] = target.name
    record.pop("environment_variables", None)
    shareable = nbformat.reads(scrub(nbformat.writes(nb), run.data_dir), as_version=4)
    nbformat.write(shareable, target)
    return shareable


def sign(nb) -> None:
    """Mark a notebook this build executed as trusted (Jupyter's notebook signatures), so JupyterLab
    shows its interactive charts; a copy that anyone edits, or opens elsewhere, is untrusted again."""
    from nbformat.sign import NotebookNotary  # imported here: as nbformat

    NotebookNotary().sign(nb)
