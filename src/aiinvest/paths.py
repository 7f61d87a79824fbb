"""Where the project keeps its data, notebooks, templates and reports."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("AIINVEST_ROOT", PACKAGE_DIR.parents[1]))
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMS_DIR = PROJECT_ROOT / "params"
REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

DESCRIPTOR_NAME = "datapackage.json"


def curated_dir(data_dir: Path) -> Path:
    """Folder of the curated CSV tables and their descriptor."""
    return Path(data_dir) / "curated"


def raw_dir(data_dir: Path) -> Path:
    """Folder of the immutable raw inputs (the articles)."""
    return Path(data_dir) / "raw"


def display(path: Path) -> str:
    """A path for messages: relative to the working directory, else the project, else absolute."""
    path = Path(path).resolve()
    for base in (Path.cwd(), PROJECT_ROOT):
        if path.is_relative_to(base.resolve()):
            return str(path.relative_to(base.resolve()))
    return str(path)
