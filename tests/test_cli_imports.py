"""The command line imports what a command needs when it runs: `aiinvest --help` and a no-op build stay light."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import SEED_DIR

from aiinvest.config import PACKAGE_DIR

# Libraries and stages that cost tenths of a second to import, and that neither --help nor a no-op build uses.
HEAVY = (
    "pandas",
    "numpy",
    "jsonschema",
    "frictionless",
    "papermill",
    "nbformat",
    "nbconvert",
    "nbclient",
    "matplotlib",
    "plotly",
    "jupytext",
    "ipykernel",
    "weasyprint",
    "filelock",
    "aiinvest.analysis",
    "aiinvest.curate",
    "aiinvest.data.validate",
)
# `aiinvest --help`, run in a process of its own: its exit status and every module it loaded, on the last line.
LOADED = """
import json, sys
from aiinvest.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as done:
    status = done.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def run_cli(*args: str) -> tuple[int, str, list[str]]:
    """Run the command line in a new interpreter: exit status, standard output, the modules it imported."""
    result = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, check=True)
    *lines, last = result.stdout.splitlines()
    record = json.loads(last)
    return record["status"], "\n".join(lines), record["modules"]


def heavy(modules) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(f"{name}.") for name in HEAVY))


def module_level_imports(path: Path, package: str) -> set[str]:
    """Modules a file imports when it loads (not in functions or `if TYPE_CHECKING:`), relative ones in `package`."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) + 1 - node.level] if node.level else []
            found.add(".".join([*base, node.module] if node.module else base))
    return found


def loaded_by(module: str) -> tuple[set[str], set[str]]:
    """What importing one of the package's modules loads: its own modules (packages too) and other libraries."""
    pending, own, libraries = [module], set(), set()
    while pending:
        name = pending.pop()
        if name in own:
            continue
        own.add(name)
        path = PACKAGE_DIR.parent / name.replace(".", "/")
        package, path = (
            (name, path / "__init__.py") if path.is_dir() else (name.rpartition(".")[0], path.with_suffix(".py"))
        )
        for imported in module_level_imports(path, package):
            top = imported.split(".")[0]
            if top == "aiinvest":
                pending += [imported.rsplit(".", n)[0] for n in range(imported.count(".") + 1)]  # its packages too
            elif top not in sys.stdlib_module_names:
                libraries.add(imported)
    return own, libraries


def test_importing_the_cli_loads_no_stage_and_no_library():
    own, libraries = loaded_by("aiinvest.cli")
    assert own == {
        "aiinvest.cli",
        "aiinvest",
        "aiinvest.config",
        "aiinvest.exitcodes",
        "aiinvest.data",
        "aiinvest.data.problems",
    }
    assert libraries == set()


def test_the_import_walk_follows_module_level_imports_only(tmp_path):
    script = tmp_path / "x.py"
    script.write_text(
        "import json\nfrom .config import X\nif TYPE_CHECKING:\n    import pandas\ndef f():\n    import csv\n"
    )
    assert module_level_imports(script, "aiinvest.report") == {"json", "aiinvest.report.config"}
    own, libraries = loaded_by("aiinvest.report.params")
    assert "aiinvest.report.formatting" in own and libraries == {"yaml"}


@pytest.mark.slow  # a new interpreter: what it really imports
def test_help_imports_no_stage_and_no_heavy_library():
    status, out, modules = run_cli("--help")
    assert status == 0 and "usage: aiinvest" in out
    assert heavy(modules) == []
    assert "yaml" not in modules and "aiinvest.pipeline" not in modules and "aiinvest.report" not in modules


def test_a_build_that_finds_its_report_up_to_date_imports_no_heavy_library(built_report):
    output = str(built_report.folder.parent.parent)
    status, out, modules = run_cli("--data-dir", str(SEED_DIR), "build", "-o", output)  # as built_report was built
    assert status == 0 and "Anthropic: up to date:" in out
    assert heavy(modules) == []


@pytest.mark.slow  # a new interpreter, as above
def test_a_command_s_help_imports_no_stage_and_no_heavy_library():
    status, out, modules = run_cli("build", "--help")
    assert status == 0 and "usage: aiinvest build" in out and "--dry-run" in out
    assert heavy(modules) == []
    assert "yaml" not in modules and "aiinvest.pipeline" not in modules and "aiinvest.report" not in modules


def test_a_dry_run_that_finds_its_report_up_to_date_loads_no_data_and_no_heavy_library(built_report):
    output = str(built_report.folder.parent.parent)
    status, out, modules = run_cli("--data-dir", str(SEED_DIR), "build", "--dry-run", "-o", output)
    folder = f"{built_report.folder.parent.name}/{built_report.folder.name}"
    assert status == 0 and out.startswith("Anthropic: dry run: ")
    assert f"{folder} is up to date; a build would do nothing" in out
    assert heavy(modules) == [] and "aiinvest.data.load" not in modules


def test_the_pipeline_loads_only_yaml_and_loading_the_data_loads_no_validator_library():
    assert loaded_by("aiinvest.pipeline.stages")[1] == {"yaml"}  # a build found up to date: the parameter file
    assert loaded_by("aiinvest.data.load")[1] == {"pandas", "filelock"}  # jsonschema only when it checks
