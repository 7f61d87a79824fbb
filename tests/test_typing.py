"""The package says it is typed, and ships the marker that says so (PEP 561)."""

import tomllib

from aiinvest.config import PACKAGE_DIR, PROJECT_ROOT


def test_the_package_ships_its_py_typed_marker():
    setuptools = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "py.typed" in setuptools["package-data"]["aiinvest"]
    assert (PACKAGE_DIR / "py.typed").is_file()
