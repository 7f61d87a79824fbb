"""Committed notebooks have no outputs or noise (nbstripout --verify) and match their jupytext pairs."""

import copy as copy_module
import re
import runpy
import shutil
import subprocess
import types

import nbformat
import pytest

from aiinvest.config import NOTEBOOKS_DIR, PROJECT_ROOT

COMMITTED = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
JUPYTER_CONFIG = PROJECT_ROOT / "jupyter-config"  # what `make lab` puts on JUPYTER_CONFIG_PATH


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
    text = pair.read_text()
    pair.write_text(text.replace("all_claims).head()", "all_claims).tail()"))
    assert pair.read_text() != text
    assert check_pair(copy) == [f"{copy}: out of sync with explore.py (edit one, then run 'make format')"]


def test_missing_pair_is_reported(copy):
    copy.with_suffix(".py").unlink()
    assert check_pair(copy) == [f"{copy}: no jupytext pair explore.py (run 'make format')"]


def jupyter_config() -> dict:
    """The names `make lab`'s jupyter_server_config.py defines, loaded as Jupyter loads it (with get_config)."""
    from traitlets.config import Config

    return runpy.run_path(str(JUPYTER_CONFIG / "jupyter_server_config.py"), init_globals={"get_config": Config})


def executed(nb):
    """The notebook as JupyterLab holds it after running every cell: outputs, counts, metadata."""
    nb = copy_module.deepcopy(nb)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1.250000e+09"}, execution_count=count)]
        cell.execution_count = count + 1
        cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
        cell.metadata["scrolled"] = True
    return nb


def save(model: dict, path: str, root_dir) -> dict:
    """The model as the project's pre-save hook leaves it before the server writes it."""
    hook = jupyter_config()["c"].ContentsManager.pre_save_hook
    hook(model=model, path=path, contents_manager=types.SimpleNamespace(root_dir=str(root_dir)))
    return model


@pytest.mark.parametrize(
    ("root", "path"), [(PROJECT_ROOT, "notebooks/explore.ipynb"), (NOTEBOOKS_DIR, "explore.ipynb")]
)
def test_saving_a_committed_notebook_in_lab_writes_it_stripped(root, path):
    committed = (NOTEBOOKS_DIR / "explore.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(committed, as_version=4)
    model = save({"type": "notebook", "content": executed(nb)}, path, root)
    assert nbformat.writes(nbformat.from_dict(model["content"])) + "\n" == committed  # as `make format` leaves it


def test_saving_an_executed_report_in_lab_keeps_its_outputs():
    nb = executed(nbformat.read(NOTEBOOKS_DIR / "report.ipynb", as_version=4))
    model = save(
        {"type": "notebook", "content": copy_module.deepcopy(nb)}, "reports/anthropic/x/report.ipynb", PROJECT_ROOT
    )
    assert model["content"] == nb
    text = {"type": "file", "format": "text", "content": "# %%\n"}
    assert save(dict(text), "notebooks/explore.py", PROJECT_ROOT) == text


def test_the_save_hook_strips_the_keys_make_format_strips():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    keys = re.search(r'^NBSTRIP := .*--extra-keys "([^"]*)"', makefile, flags=re.M).group(1).split()
    assert jupyter_config()["MAKEFILE_KEYS"] == keys
