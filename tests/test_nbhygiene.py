"""Committed notebooks have no outputs or noise, and match their jupytext pairs."""

import shutil

import nbformat
import pytest

from aiinvest.nbhygiene import check_notebook, fix_notebook
from aiinvest.paths import NOTEBOOKS_DIR

COMMITTED = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_notebooks_are_clean_and_paired(path):
    assert check_notebook(path) == []


@pytest.fixture
def copy(tmp_path):
    for suffix in (".ipynb", ".py"):
        shutil.copy(NOTEBOOKS_DIR / f"explore{suffix}", tmp_path / f"explore{suffix}")
    return tmp_path / "explore.ipynb"


def test_outputs_and_noise_are_reported_then_fixed(copy):
    nb = nbformat.read(copy, as_version=4)
    code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[code].outputs = [nbformat.v4.new_output("stream", text="hello")]
    nb.cells[code].execution_count = 3
    nb.cells[code].metadata["scrolled"] = True
    nb.metadata["widgets"] = {}
    nbformat.write(nb, copy)
    problems = check_notebook(copy)
    assert any(f"cell {code} has outputs" in p for p in problems)
    assert any(f"cell {code} metadata noise: scrolled" in p for p in problems)
    assert any("notebook metadata noise: widgets" in p for p in problems)
    assert fix_notebook(copy)
    assert check_notebook(copy) == []
    assert not fix_notebook(copy)


def test_pair_out_of_sync_is_reported(copy):
    pair = copy.with_suffix(".py")
    pair.write_text(pair.read_text().replace("all_claims.head()", "all_claims.tail()"))
    assert check_notebook(copy) == [f"{copy}: out of sync with explore.py (edit one, then run 'make format')"]


def test_missing_pair_is_reported(copy):
    copy.with_suffix(".py").unlink()
    assert check_notebook(copy) == [f"{copy}: no jupytext pair explore.py (run 'make format')"]
