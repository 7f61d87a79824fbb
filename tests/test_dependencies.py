"""Every imported package is declared in pyproject.toml, and the locks pin exactly what it declares."""

import ast
import functools
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from aiinvest.config import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OWN = {"aiinvest", "benchmarks", "fixtures"}


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*groups: str) -> set[str]:
    """Distribution names declared for running, plus the named optional groups."""
    names = list(PYPROJECT["dependencies"]) + [n for g in groups for n in PYPROJECT["optional-dependencies"][g]]
    return {normalise(re.split(r"[\s<>=!~;\[]", n, maxsplit=1)[0]) for n in names}


BODIES = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest (imports are statements)


def statements(node: ast.AST) -> list[ast.AST]:
    """The node and every statement nested in it, depth first (expressions skipped: nine nodes in ten)."""
    found = [node]
    for child in (c for field in BODIES for c in getattr(node, field, None) or () if isinstance(c, ast.AST)):
        found += statements(child)
    return found


@functools.cache
def nodes(path: Path) -> list[ast.AST]:
    """Every statement of a file (parsed once for all the tests here)."""
    return statements(ast.parse(Path(path).read_text(encoding="utf-8")))


def imported(paths) -> set[str]:
    """Top-level modules imported anywhere in these files (absolute imports only), minus the standard library."""
    found = set()
    for path in paths:
        for node in nodes(Path(path)):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - OWN


@functools.cache  # 0.6 s: it reads every installed distribution's file list
def owners() -> dict[str, list[str]]:
    """The distributions providing each importable top-level module."""
    return metadata.packages_distributions()


def undeclared(modules: set[str], allowed: set[str]) -> list[str]:
    """Modules whose distribution is not among the allowed names."""
    return sorted(m for m in modules if not {normalise(d) for d in owners().get(m, [m])} & allowed)


def test_the_detector_finds_an_undeclared_import(tmp_path):
    script = tmp_path / "x.py"
    script.write_text("import pandas\nimport bs4\nfrom .local import y\nimport json\n")
    assert undeclared(imported([script]), declared()) == ["bs4"]
    assert undeclared(imported([script]), declared("dev")) == []


@pytest.mark.parametrize(
    ("folder", "groups"),
    [("src/aiinvest", ()), ("tests", ("dev",)), ("benchmarks", ("dev",))],
)
def test_every_import_is_declared(folder, groups):
    files = sorted((PROJECT_ROOT / folder).rglob("*.py"))
    assert undeclared(imported(files), declared(*groups)) == []


def pins(lock: str) -> set[str]:
    text = (PROJECT_ROOT / lock).read_text(encoding="utf-8")
    return {normalise(m) for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", text, flags=re.M)}


@pytest.mark.parametrize(("lock", "groups"), [("requirements.txt", ()), ("requirements-dev.txt", ("dev",))])
def test_the_locks_pin_with_hashes_everything_declared(lock, groups):
    text = (PROJECT_ROOT / lock).read_text(encoding="utf-8")
    assert declared(*groups) <= pins(lock)
    entries = re.findall(r"^[A-Za-z0-9_.\-]+==\S+(?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+", text, flags=re.M)
    assert len(entries) == len(pins(lock)), "every pin carries its hashes"


def test_running_needs_fewer_packages_than_developing():
    assert pins("requirements.txt") < pins("requirements-dev.txt")
    assert "jupyterlab" not in pins("requirements.txt") and "pytest" not in pins("requirements.txt")


def test_the_locks_leave_out_the_iri_grammar_that_makes_jsonschema_slow_to_import():
    # Every build process imports jsonschema (frictionless, nbformat). rfc3987-syntax, which
    # JupyterLab's jupyter-events would pull in, compiles a grammar on import: about 2 s here.
    overrides = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"]
    assert any(o.startswith("rfc3987-syntax;") for o in overrides["override-dependencies"])
    for lock in ("requirements.txt", "requirements-dev.txt"):
        assert "rfc3987-syntax" not in pins(lock)


def test_importing_jsonschema_compiles_no_grammar():
    import frictionless  # noqa: F401
    import jsonschema  # noqa: F401
    import nbformat  # noqa: F401

    assert "rfc3987_syntax" not in sys.modules


def local_imports(paths) -> list[tuple[str, int, str]]:
    """Imports inside functions: (file, line, source line)."""
    found = []
    for path in paths:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        for node in nodes(Path(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [
                    (Path(path).name, sub.lineno, lines[sub.lineno - 1])
                    for sub in statements(node)
                    if isinstance(sub, ast.Import | ast.ImportFrom)
                ]
    return found


def test_the_local_import_finder_sees_imports_in_functions_only(tmp_path):
    script = tmp_path / "x.py"
    script.write_text("import json\n\ndef f():\n    import csv  # why\n    import re\n")
    assert [(line, text.strip()) for _, line, text in local_imports([script])] == [
        (4, "import csv  # why"),
        (5, "import re"),
    ]


def test_every_function_local_import_says_why():
    # Imports sit at the top of a module unless their measured cost would slow a path that never uses them.
    unexplained = [
        f"{name}:{line}" for name, line, text in local_imports((PROJECT_ROOT / "src").rglob("*.py")) if "# " not in text
    ]
    assert unexplained == []
