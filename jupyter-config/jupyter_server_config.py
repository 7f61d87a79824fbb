"""JupyterLab as `make lab` starts it (JUPYTER_CONFIG_PATH=jupyter-config, read after the user's own ~/.jupyter).

- A notebook in the project's notebooks/ folder is saved as `make format` leaves it: without outputs,
  execution counts or metadata noise, so `make lint` passes after a save. Any other notebook (an executed
  report under reports/, a scratch notebook) is saved as it is, outputs included.
- No news and no update check: JupyterLab fetches nothing from the internet, and labconfig/page_config.json
  disables the announcements plugin, so no "receive official Jupyter news?" pop-up asks at start.
"""

import warnings
from pathlib import Path

# What nbstripout strips besides outputs and execution counts: its own defaults, then the Makefile's
# NBSTRIP --extra-keys (tests/test_lab.py holds this list equal to the Makefile's).
NBSTRIPOUT_DEFAULT_KEYS = [
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
]
MAKEFILE_KEYS = [
    "metadata.language_info",
    "metadata.papermill",
    "metadata.vscode",
    "metadata.widgets",
    "cell.metadata.papermill",
    "cell.metadata.execution",
    "cell.metadata.vscode",
    "cell.metadata.scrolled",
    "cell.metadata.collapsed",
    "cell.metadata.editable",
    "cell.metadata.slideshow",
]


# The committed notebooks: notebooks/ in the project folder, the one that holds this file's folder.
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def committed(path: str, root_dir: str) -> bool:
    """Whether the API path (relative to the server's root folder) names a notebook in NOTEBOOKS_DIR."""
    return Path(root_dir, path).resolve().parent == NOTEBOOKS_DIR


def strip_committed_notebooks(model: dict, path: str, contents_manager, **kwargs) -> None:
    """Jupyter server pre-save hook: strip a committed notebook's model in place, as `make format` would."""
    if model.get("type") != "notebook" or not committed(path, contents_manager.root_dir):
        return
    import nbformat
    from nbstripout import strip_output

    notebook = nbformat.from_dict(model["content"])
    keys = [*NBSTRIPOUT_DEFAULT_KEYS, *MAKEFILE_KEYS]
    model["content"] = strip_output(notebook, keep_output=False, keep_count=False, keep_id=False, extra_keys=keys)


c = get_config()  # noqa: F821 (traitlets provides get_config to a configuration file)
c.ContentsManager.pre_save_hook = strip_committed_notebooks
# jupyter_server's check for a hook replacing another one also fires when the configured hook is validated
# again after loading (twice at start): it would say this hook overrides itself. Only that case is silenced.
warnings.filterwarnings(
    "ignore",
    r"Overriding existing pre_save_hook \(strip_committed_notebooks\) with a new one \(strip_committed_notebooks\)",
)
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
