"""The run object every stage receives, and how a stage fails."""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..config import REPORTS_DIR
from .manifest import REPORT_NOTEBOOK

FORMATS = ("html", "pdf")


@dataclass
class BuildRequest:
    """What to build and where."""

    params: dict = field(default_factory=dict)  # the parameter file merged with overrides
    label: str = "report"  # for log lines: the parameter file's name
    formats: tuple[str, ...] = FORMATS
    output_dir: Path = REPORTS_DIR
    force: bool = False
    cell_timeout: float = 600.0  # seconds one notebook cell may run (rounded up to whole seconds)
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
    changes: str = ""  # what changed since the previous report, for the terminal


class BuildFailure(Exception):
    """A build step failed; carries the exit status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Run:
    """One build in progress: the request and everything the stages learn on the way."""

    request: BuildRequest
    data_dir: Path  # absolute: papermill changes the working directory while it runs
    inputs: dict = field(default_factory=dict)  # SHA-256 of every input (the fingerprint's basis)
    key: str = ""  # the fingerprint of parameters, formats and inputs
    params: object = None  # the resolved parameters (aiinvest.report.params.ResolvedParams)
    validation: object = None  # the background validation process
    folder: Path | None = None  # where the report is published
    work: Path | None = None  # the private folder it is built in
    previous: Path | None = None  # figures.json of the report published before, for "what changed"
    changes: str = ""  # what changed since then, for the terminal
    steps: dict[str, float] = field(default_factory=dict)  # seconds per stage

    @contextmanager
    def timed(self, name: str):
        """Add the seconds a block takes to the named step."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start
