"""Shared fixtures: a private copy of the data package that tests may break."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from aiinvest.paths import DATA_DIR
from aiinvest.schema import rehash


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of data/ (curated tables and raw articles), in the working directory."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


@pytest.fixture
def edit_csv(data_dir: Path) -> Callable[[str, Callable[[str], str]], Path]:
    """Rewrite one curated CSV's text and re-record its hash, as a curator would."""

    def edit(name: str, change: Callable[[str], str], *, record_hash: bool = True) -> Path:
        path = data_dir / "curated" / f"{name}.csv"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        if record_hash:
            rehash(data_dir)
        return path

    return edit
