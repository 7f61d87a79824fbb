"""Manifest helpers: fingerprints, output hashes, path scrubbing."""

import ast
import shutil
import tempfile
from pathlib import Path

from fixtures import SEED_DIR

from aiinvest.config import PROJECT_ROOT
from aiinvest.data.provenance import sha256_file
from aiinvest.pipeline.manifest import (
    build_code,
    fingerprint,
    hash_inputs,
    hash_outputs,
    outputs_intact,
    relative_name,
    scrub,
)


def test_fingerprint_changes_with_any_input_or_parameter():
    inputs = {"data/curated/a.csv": "1" * 64}
    base = fingerprint({"params": {"unit": "billions"}}, inputs)
    assert fingerprint({"params": {"unit": "billions"}}, dict(inputs)) == base
    assert fingerprint({"params": {"unit": "millions"}}, inputs) != base
    assert fingerprint({"params": {"unit": "billions"}}, {"data/curated/a.csv": "2" * 64}) != base


def test_inputs_cover_data_articles_notebook_templates_and_code():
    names = set(hash_inputs(SEED_DIR))  # inside the project: named relative to it
    assert "tests/fixtures/seed/curated/investments.csv" in names
    assert "tests/fixtures/seed/raw/articles/000_2c732e15b4d59a3f.txt" in names
    assert "notebooks/report.ipynb" in names
    assert "src/aiinvest/templates/nbconvert/aiinvest_print/static/print.css" in names
    assert "src/aiinvest/pipeline/stages.py" in names
    assert "src/aiinvest/analysis/reconcile.py" in names
    assert not any(name.startswith(("src/aiinvest/curate/", "src/aiinvest/cli.py")) for name in names)


def test_outputs_intact_detects_a_changed_or_missing_file(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "report.html").write_text("<p>ok</p>")
    (tmp_path / "figures" / "a.svg").write_text("<svg/>")
    manifest = {"outputs": hash_outputs(tmp_path)}
    assert set(manifest["outputs"]) == {"report.html", "figures/a.svg"}
    assert outputs_intact(tmp_path, manifest)
    (tmp_path / "report.html").write_text("<p>changed</p>")
    assert not outputs_intact(tmp_path, manifest)
    (tmp_path / "report.html").unlink()
    assert not outputs_intact(tmp_path, manifest)
    assert not outputs_intact(tmp_path, {"outputs": {}})


def test_scrub_removes_local_paths():
    text = f"{PROJECT_ROOT}/data/x.csv and {tempfile.gettempdir()}/run/data and {Path.home()}/notes"
    cleaned = scrub(text)
    assert str(PROJECT_ROOT) not in cleaned and str(Path.home()) + "/" not in cleaned
    assert "data/x.csv" in cleaned and "$TMPDIR/run/data" in cleaned


def test_relative_names_inside_and_outside_the_project(tmp_path):
    assert relative_name(PROJECT_ROOT / "data" / "README.md") == "data/README.md"
    assert relative_name(tmp_path / "data" / "curated" / "a.csv") == "data/curated/a.csv"


def _aiinvest_imports(path: Path, package_dir: Path) -> set[Path]:
    """The package's own source files one file imports (relative or absolute imports, at any depth)."""
    package = path.relative_to(package_dir.parent).with_suffix("").parts[:-1]  # for __init__.py: the package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[tuple[str, ...]] = []
        if isinstance(node, ast.Import):
            names = [tuple(a.name.split(".")) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = tuple(node.module.split(".")) if node.module else ()
            base = (package[: len(package) - node.level + 1] + base) if node.level else base
            names = [base] + [(*base, a.name) for a in node.names]
        for name in names:
            if name[:1] == ("aiinvest",):
                target = package_dir.parent.joinpath(*name)
                found |= {c for c in (target.with_suffix(".py"), target / "__init__.py") if c.is_file()}
    return found


def test_the_build_hashes_all_the_code_that_reports_import_and_no_curation_tool():
    """Everything the pipeline and the report notebook import is hashed; no curation tool is."""
    package_dir = PROJECT_ROOT / "src" / "aiinvest"
    pending = [*(package_dir / "pipeline").rglob("*.py"), *(package_dir / "report").rglob("*.py")]
    closure: set[Path] = set()
    while pending:
        path = pending.pop()
        if path not in closure:
            closure.add(path)
            pending += _aiinvest_imports(path, package_dir)
    assert package_dir / "analysis" / "reconcile.py" in closure  # the walk follows imports across stages
    hashed = set(build_code(package_dir))
    assert closure <= hashed, sorted(str(p.relative_to(package_dir)) for p in closure - hashed)
    assert not any(p.is_relative_to(package_dir / "curate") or p.name == "cli.py" for p in hashed)


def test_editing_a_drafting_module_leaves_the_build_and_validator_fingerprints_unchanged(tmp_path, monkeypatch):
    from aiinvest.data import validate

    package_dir = tmp_path / "aiinvest"
    shutil.copytree(PROJECT_ROOT / "src" / "aiinvest", package_dir, ignore=shutil.ignore_patterns("__pycache__"))

    def fingerprints() -> tuple[dict, str]:
        code = {p.relative_to(package_dir).as_posix(): sha256_file(p) for p in build_code(package_dir)}
        monkeypatch.setattr(validate, "__file__", str(package_dir / "data" / "validate.py"))
        return code, validate.validator_fingerprint()

    before = fingerprints()
    with (package_dir / "curate" / "draft_facts.py").open("a") as module:
        module.write("\nTUNED = 2  # a drafting heuristic, tuned\n")
    with (package_dir / "cli.py").open("a") as module:
        module.write("\n# a new command's help text\n")
    assert fingerprints() == before
    with (package_dir / "data" / "schema.py").open("a") as module:
        module.write("\n# a data rule, changed\n")
    code, validator = fingerprints()
    assert code != before[0]
    assert validator != before[1]
