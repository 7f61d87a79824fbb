"""The run object every stage receives, and how a stage fails."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..config import REPORTS_DIR
from ..exitcodes import CommandError, ExitStatus
from .manifest import REPORT_NOTEBOOK

if TYPE_CHECKING:  # for the annotations only: a build found up to date imports neither
    from ..data.validation_process import BackgroundValidation
    from ..report.params import ResolvedParams

T = TypeVar("T")

FORMATS = ("html", "pdf")


@dataclass
class BuildRequest:
    """What to build and where."""

    params: dict = field(default_factory=dict)  # the parameter file merged with overrides
    label: str = "report"  # for log lines: the report's subject (params.subject_label)
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
    index: Path | None = None  # the index of all reports in the output folder, once made current


class BuildFailure(CommandError):
    """A build step failed, with the exit status that says how (data, build, lock)."""

    def __init__(self, status: ExitStatus, message: str):
        super().__init__(message)
        self.exit_status = status


@dataclass
class Run:
    """One build in progress: the request and everything the stages learn on the way.

    The stages fill in `params`, `validation`, `folder` and `work` as they go; reading one before the
    stage that sets it has run is a programming error, said as such.
    """

    request: BuildRequest
    data_dir: Path  # absolute: papermill changes the working directory while it runs
    inputs: dict[str, str] = field(default_factory=dict)  # SHA-256 of every input (the fingerprint's basis)
    key: str = ""  # the fingerprint of parameters, formats and inputs
    previous: Path | None = None  # figures.json of the report published before, for "what changed"
    changes: str = ""  # what changed since then, for the terminal
    changed: dict | None = None  # the same in one line (previous_as_of, summary), for the manifest and the index
    document: dict = field(default_factory=dict)  # what the report says about itself (its title), for the index
    steps: dict[str, float] = field(default_factory=dict)  # seconds per stage
    kernel: Any = None  # the jupyter_client KernelManager of the kernel started for the notebook
    _params: "ResolvedParams | None" = None
    _validation: "BackgroundValidation | None" = None
    _folder: Path | None = None
    _work: Path | None = None

    @property
    def params(self) -> "ResolvedParams":
        """The resolved parameters (set once the data is loaded)."""
        return _set(self._params, "params")

    @params.setter
    def params(self, value: "ResolvedParams") -> None:
        self._params = value

    @property
    def validation(self) -> "BackgroundValidation":
        """The background validation process (set while it runs)."""
        return _set(self._validation, "validation")

    @validation.setter
    def validation(self, value: "BackgroundValidation") -> None:
        self._validation = value

    @property
    def folder(self) -> Path:
        """Where the report is published: OUTPUT/<company>/<as-of date>."""
        return _set(self._folder, "folder")

    @folder.setter
    def folder(self, value: Path) -> None:
        self._folder = value

    @property
    def work(self) -> Path:
        """The private folder the report is built in."""
        return _set(self._work, "work")

    @work.setter
    def work(self, value: Path) -> None:
        self._work = value

    @property
    def executed(self) -> Path:
        """The executed notebook, in the work folder: papermill writes it, the renderers read it."""
        return self.work / "report.ipynb"

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Add the seconds a block takes to the named step."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start


def _set(value: T | None, name: str) -> T:
    """A run's attribute that a stage sets, once it is set."""
    if value is None:
        raise AttributeError(f"Run.{name} is read before the stage that sets it has run")
    return value
