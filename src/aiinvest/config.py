"""Configuration: where the project keeps its files, and every AIINVEST_* environment variable.

The environment is read here and nowhere else: `settings()` reads it on each call (tests and the
build change it while a process runs); the folder constants are fixed when the package loads.
"""

import os
from dataclasses import dataclass
from pathlib import Path

ENV_ROOT = "AIINVEST_ROOT"  # the project folder (default: the checkout this package is in)
ENV_CACHE_DIR = "AIINVEST_CACHE_DIR"  # where validation results are cached (default: ~/.cache/aiinvest)
ENV_GATED = "AIINVEST_VALIDATION_GATED_BY_BUILD"  # set by a build for its kernel: the digest it validates itself

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
DESCRIPTOR_NAME = "datapackage.json"


@dataclass(frozen=True)
class Settings:
    """The settings the environment gives, with their defaults."""

    project_root: Path
    cache_dir: Path
    gated_digest: str | None  # a build is validating exactly these bytes: its kernel need not


def settings() -> Settings:
    """The current settings, read from the environment."""
    cache = os.environ.get(ENV_CACHE_DIR) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aiinvest"
    )
    return Settings(
        project_root=Path(os.environ.get(ENV_ROOT) or PACKAGE_DIR.parents[1]),
        cache_dir=Path(cache),
        gated_digest=os.environ.get(ENV_GATED),
    )


PROJECT_ROOT = settings().project_root
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMS_DIR = PROJECT_ROOT / "params"
REPORTS_DIR = PROJECT_ROOT / "reports"


def curated_dir(data_dir: Path) -> Path:
    """Folder of the curated CSV tables and their descriptor."""
    return Path(data_dir) / "curated"


def raw_dir(data_dir: Path) -> Path:
    """Folder of the immutable raw inputs (the articles)."""
    return Path(data_dir) / "raw"


def display(path: Path) -> str:
    """A path for messages: relative to the working directory, else the project, else absolute.

    Symbolic links are shown as written, never as their targets (reports/anthropic/latest stays so).
    """
    path = Path(os.path.abspath(path))
    resolved = path.parent.resolve() / path.name
    for base in (Path.cwd(), PROJECT_ROOT):
        for candidate, root in ((path, Path(os.path.abspath(base))), (resolved, base.resolve())):
            if candidate.is_relative_to(root):
                return str(candidate.relative_to(root))
    return str(path)
