"""Lay out the PDF in a process of its own, while the build writes the HTML.

The build starts `python -m aiinvest.pipeline.pdf_process` when the notebook starts executing: it imports
nbconvert and WeasyPrint (about 2 s) meanwhile, then waits for one request on its standard input (the executed
notebook's path, the PDF's path, what the PDF carries), writes the PDF and answers one JSON object on its standard
output. A plain subprocess, as the validation's: nothing of the build process is inherited or re-imported.
"""

import json
import pickle
import subprocess
import sys
import time
from pathlib import Path


class PDFProcess:
    """One PDF process, started now; `render()` hands it the notebook, `wait()` returns once the PDF is written."""

    def __init__(self) -> None:
        self.seconds = 0.0  # from the request to the answer
        self._sent = 0.0
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def __enter__(self) -> "PDFProcess":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Stop the process if it still runs (the build ended before the PDF, or failed)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def render(self, notebook: Path, target: Path, resources: dict) -> None:
        """Ask for the PDF of the executed notebook, with the exporter's resources (evidence, attachments)."""
        self._sent = time.perf_counter()
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(pickle.dumps((str(notebook), str(target), resources)))
            self._process.stdin.close()
        except BrokenPipeError:  # it died: wait() says so
            pass

    def wait(self) -> None:
        """Wait for the PDF; raise RuntimeError with the process's error if it failed or died."""
        assert self._process.stdout is not None
        stdout = self._process.stdout.read()  # its one answer, at its end
        self._process.wait()
        self.seconds = time.perf_counter() - self._sent
        try:
            answer = json.loads(stdout)
        except ValueError:
            raise RuntimeError(f"the PDF process died (exit status {self._process.returncode})") from None
        if answer.get("error"):
            raise RuntimeError(answer["error"])


def main() -> None:
    """Import what a PDF needs, then render the one request read from standard input."""
    import nbformat  # imported here, as below: the build process, which imports this module, needs none of them
    import weasyprint  # noqa: F401  (imported now, while the notebook executes: 1 s)

    from ..report.exporters import ReportPDFExporter  # nbconvert: 1 s, as above

    request = sys.stdin.buffer.read()
    try:
        notebook, target, resources = pickle.loads(request)
        body, _ = ReportPDFExporter().from_notebook_node(nbformat.read(notebook, as_version=4), resources)
        Path(target).write_bytes(body)
        answer: dict = {"error": None}
    except Exception as error:  # said to the build, which fails with it
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
