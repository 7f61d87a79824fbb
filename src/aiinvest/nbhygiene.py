"""Committed notebooks: no outputs, no metadata noise, and in sync with their jupytext pair."""

from pathlib import Path

import jupytext
import nbformat

ALLOWED_NOTEBOOK_METADATA = {"kernelspec", "jupytext"}
ALLOWED_CELL_METADATA = {"tags"}
PAIR_SUFFIX = ".py"


def _cells(nb) -> list[tuple]:
    return [(c.cell_type, c.source.strip(), tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def check_notebook(path: Path) -> list[str]:
    """Every hygiene problem of one committed notebook, each naming the file and cell."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    problems = []
    extra = set(nb.metadata) - ALLOWED_NOTEBOOK_METADATA
    if extra:
        problems.append(f"{path}: notebook metadata noise: {', '.join(sorted(extra))} (run 'make format')")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            problems.append(f"{path}: cell {index} has outputs or an execution count (run 'make format')")
        noise = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if noise:
            problems.append(f"{path}: cell {index} metadata noise: {', '.join(sorted(noise))} (run 'make format')")
    pair = path.with_suffix(PAIR_SUFFIX)
    if not pair.exists():
        problems.append(f"{path}: no jupytext pair {pair.name} (run 'make format')")
    else:
        text = jupytext.read(pair)
        if _cells(text) != _cells(nb) or text.metadata.get("kernelspec") != nb.metadata.get("kernelspec"):
            problems.append(f"{path}: out of sync with {pair.name} (edit one, then run 'make format')")
    return problems


def fix_notebook(path: Path) -> bool:
    """Strip outputs, execution counts and metadata noise in place; True when it changed."""
    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ALLOWED_NOTEBOOK_METADATA}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before
