"""The rendering process's side (see render_process): import the exporter, then render the one request."""

import json
import pickle
import sys
from pathlib import Path

import nbformat

from ..report.exporters import ReportHTMLExporter, ReportPDFExporter


def main(kind: str) -> None:
    """Import what the format needs, then render the one request read from standard input."""
    if kind == "pdf":
        import weasyprint  # noqa: F401  (imported here, only for the PDF, now, while the notebook executes: 1 s)
    exporter = {"html": ReportHTMLExporter, "pdf": ReportPDFExporter}[kind]
    request = sys.stdin.buffer.read()
    try:
        notebook, target, resources = pickle.loads(request)
        body, _ = exporter().from_notebook_node(nbformat.read(notebook, as_version=4), resources)
        if isinstance(body, str):
            Path(target).write_text(body, encoding="utf-8")
        else:
            Path(target).write_bytes(body)
        answer: dict = {"error": None}
    except Exception as error:  # said to the build, which fails with it
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main(sys.argv[1])
