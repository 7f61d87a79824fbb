"""Committed notebooks match their jupytext pairs (outputs and noise are nbstripout's job: `make lint`)."""

from pathlib import Path

import jupytext
import nbformat

PAIR_SUFFIX = ".py"


def _cells(nb) -> list[tuple]:
    return [(c.cell_type, c.source.strip(), tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def check_pair(path: Path) -> list[str]:
    """The notebook and its jupytext percent script hold the same cells, tags and kernel."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    pair = path.with_suffix(PAIR_SUFFIX)
    if not pair.exists():
        return [f"{path}: no jupytext pair {pair.name} (run 'make format')"]
    text = jupytext.read(pair)
    if _cells(text) != _cells(nb) or text.metadata.get("kernelspec") != nb.metadata.get("kernelspec"):
        return [f"{path}: out of sync with {pair.name} (edit one, then run 'make format')"]
    return []
