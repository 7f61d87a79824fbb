"""Validate the data package in a process of its own while a build runs.

The build starts `python -m aiinvest.data.validation_process DATA_DIR` and reads one JSON
object from its standard output. A plain subprocess, not multiprocessing: nothing of the
build process is inherited (no threads' locks, as a fork would copy) and nothing of the
caller's main module is re-imported (as spawn would do to a script without a main guard).
"""

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from .validate import GATED_BY_BUILD, DataValidationError, Problem, check_package, package_digest

VALID, INVALID, CRASH = "valid", "invalid", "crash"


class BackgroundValidation:
    """One validation process; `outcome()` waits for it, at most `timeout` seconds from the start."""

    def __init__(self, data_dir: Path, timeout: float = 600.0):
        self.digest = package_digest(data_dir)
        self.timeout = timeout
        self.seconds = 0.0  # as the validation process measured itself, start-up included
        self._start = time.perf_counter()
        self._outcome: Outcome | None = None
        env = {k: v for k, v in os.environ.items() if k != GATED_BY_BUILD}  # this process must really validate
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(data_dir), repr(time.time())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env=env,
        )

    def __enter__(self) -> "BackgroundValidation":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Stop the process if nobody waited for it."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()

    def outcome(self) -> "Outcome":
        """(VALID, None), (INVALID, [Problem, ...]) or (CRASH, what happened)."""
        if self._outcome is None:
            remaining = max(0.0, self.timeout - (time.perf_counter() - self._start))
            try:
                stdout, _ = self._process.communicate(timeout=remaining)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.communicate()
                self._outcome = Outcome(CRASH, f"the validation process did not finish within {self.timeout:g}s")
                return self._outcome
            try:
                result = json.loads(stdout)
            except ValueError:
                self._outcome = Outcome(CRASH, f"the validation process died (exit status {self._process.returncode})")
                return self._outcome
            self.seconds = result["seconds"]
            self._outcome = Outcome(result["kind"], _detail(result["kind"], result["detail"]))
        return self._outcome


class Outcome(NamedTuple):
    """How a validation ended: VALID (no detail), INVALID (the problems) or CRASH (what went wrong)."""

    kind: str
    detail: list[Problem] | str | None


def _detail(kind: str, detail: list[dict[str, Any]] | str | None) -> list[Problem] | str | None:
    if kind == INVALID and isinstance(detail, list):
        return [Problem(**problem) for problem in detail]
    return detail if isinstance(detail, str) else None


def main(data_dir: str, started: str) -> None:
    """Validate and print one JSON object: kind, detail and seconds since `started` (a time.time())."""
    detail: list[dict[str, Any]] | str | None = None
    try:
        check_package(Path(data_dir))
        kind = VALID
    except DataValidationError as error:
        kind, detail = INVALID, [dataclasses.asdict(problem) for problem in error.problems]
    except Exception as error:  # reported by the build, never lost with this process
        kind, detail = CRASH, f"{type(error).__name__}: {error}"
    json.dump({"kind": kind, "detail": detail, "seconds": time.time() - float(started)}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
