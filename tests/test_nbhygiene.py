"""Committed notebooks have no outputs or noise (nbstripout --verify) and match their jupytext pairs."""

import shutil
import subprocess

import nbformat
import pytest

from aiinvest.config import NOTEBOOKS_DIR, PROJECT_ROOT

COMMITTED = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def check_pair(path) -> list[str]:
    """aiinvest.nbhygiene.check_pair, imported on first use: jupytext takes about 1 s to import."""
    from aiinvest.nbhygiene import check_pair as check

    return check(path)


def nbstrip(*args: str) -> subprocess.CompletedProcess:
    """The Makefile's nbstripout command (the same extra keys), run on some notebooks."""
    command = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-f",
            "Makefile",
            "--eval",
            "print-nbstrip: ; @echo '$(NBSTRIP)'",
            "print-nbstrip",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return subprocess.run(f"{command} {' '.join(args)}", shell=True, cwd=PROJECT_ROOT, capture_output=True, text=True)


@pytest.mark.slow  # runs nbstripout
@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed_notebooks_are_stripped_and_paired(path):
    assert nbstrip("--verify", str(path)).returncode == 0
    assert check_pair(path) == []


@pytest.fixture
def copy(tmp_path):
    for suffix in (".ipynb", ".py"):
        shutil.copy(NOTEBOOKS_DIR / f"explore{suffix}", tmp_path / f"explore{suffix}")
    return tmp_path / "explore.ipynb"


@pytest.mark.slow  # runs nbstripout
def test_outputs_and_noise_fail_the_check_and_are_stripped(copy):
    nb = nbformat.read(copy, as_version=4)
    code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[code].outputs = [nbformat.v4.new_output("stream", text="hello")]
    nb.cells[code].execution_count = 3
    nb.cells[code].metadata["papermill"] = {"duration": 1.0}
    nb.metadata["papermill"] = {"input_path": "/home/someone/report.ipynb"}
    nbformat.write(nb, copy)
    assert nbstrip("--verify", str(copy)).returncode == 1
    assert nbstrip(str(copy)).returncode == 0
    assert nbstrip("--verify", str(copy)).returncode == 0
    stripped = nbformat.read(copy, as_version=4)
    assert stripped.cells[code].outputs == [] and stripped.cells[code].execution_count is None
    assert "papermill" not in stripped.metadata and "papermill" not in stripped.cells[code].metadata
    assert check_pair(copy) == []  # stripping never changes the cells the pair holds


def test_pair_out_of_sync_is_reported(copy):
    pair = copy.with_suffix(".py")
    pair.write_text(pair.read_text().replace("all_claims.head()", "all_claims.tail()"))
    assert check_pair(copy) == [f"{copy}: out of sync with explore.py (edit one, then run 'make format')"]


def test_missing_pair_is_reported(copy):
    copy.with_suffix(".py").unlink()
    assert check_pair(copy) == [f"{copy}: no jupytext pair explore.py (run 'make format')"]
