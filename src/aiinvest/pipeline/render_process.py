"""Render one format (HTML or PDF) in a process of its own, beside the other format's.

The build starts `python -m aiinvest.pipeline.render_worker FORMAT` for each format when the notebook starts
executing: it imports nbconvert (and WeasyPrint, for the PDF: about 2 s in all) meanwhile, then waits for one
request on its standard input (the executed notebook's path, the output's path, the exporter's resources), writes
the output and answers one JSON object on its standard output. So the build process itself imports neither, and
the HTML and the PDF are made at the same time. A plain subprocess, as the validation's: nothing of the build
process is inherited or re-imported.
"""

import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

WORKER = "aiinvest.pipeline.render_worker"  # a module of its own: the package, which imports this one, never imports it


class RenderProcess:
    """One format's process, started now; `render()` hands it the notebook, `wait()` returns once it is written."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "html" or "pdf"
        self.seconds = 0.0  # from the request to the answer
        self._sent = 0.0
        self._process = subprocess.Popen(
            [sys.executable, "-m", WORKER, kind], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def close(self) -> None:
        """Stop the process if it still runs (the build ended before rendering, or failed)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def render(self, notebook: Path, target: Path, resources: dict | None = None) -> None:
        """Ask for the output of the executed notebook, with the exporter's resources (the PDF's evidence)."""
        self._sent = time.perf_counter()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(pickle.dumps((str(notebook), str(target), resources)))
            self._process.stdin.close()
        except BrokenPipeError:  # it died: wait() says so
            pass

    def wait(self) -> None:
        """Wait for the output; raise RuntimeError with the process's error if it failed or died."""
        assert self._process.stdout is not None
        stdout = self._process.stdout.read()  # its one answer, at its end
        self._process.wait()
        self.seconds = time.perf_counter() - self._sent
        try:
            answer = json.loads(stdout)
        except ValueError:
            died = f"the {self.kind.upper()} process died (exit status {self._process.returncode})"
            raise RuntimeError(died) from None
        if answer.get("error"):
            raise RuntimeError(answer["error"])
