"""No local path or user name in any artefact, built or failed; the global --data-dir reaches the build."""

import getpass
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from fixtures import SEED_DIR
from fixtures.notebooks import header_only

from aiinvest import exitcodes
from aiinvest.config import PROJECT_ROOT
from aiinvest.data.schema import rehash

MARKER = "Apple is said (external copy)"
FAILING_CELL = (
    "import os, pathlib, sys, pandas\n"
    "print(os.getcwd(), pathlib.Path.home(), sys.prefix, sys.base_prefix, data_dir)\n"
    "pandas.read_csv(pathlib.Path(data_dir) / 'curated' / 'missing.csv')"
)


def aiinvest(*args: str) -> subprocess.CompletedProcess:
    """Run the command line in the project folder."""
    command = [sys.executable, "-m", "aiinvest.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=PROJECT_ROOT)


@pytest.fixture(scope="module")
def external_data(tmp_path_factory) -> Path:
    """A copy of the seed data outside the project (and the working directory), with one event reworded."""
    target = tmp_path_factory.mktemp("elsewhere") / "data"
    shutil.copytree(SEED_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    events = target / "curated" / "events.csv"
    events.write_text(events.read_text().replace("Apple is rumoured", MARKER))
    rehash(target)
    return target


@pytest.fixture(scope="module")
def good(tmp_path_factory, external_data) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("good")
    result = aiinvest("--data-dir", str(external_data), "build", "-o", str(out))
    assert result.returncode == exitcodes.OK, result.stderr
    return out, result


@pytest.fixture(scope="module")
def failed(tmp_path_factory, external_data) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("failed")
    notebook = header_only(out, FAILING_CELL, "broken.ipynb")  # the kernel's own paths and the data's, then a failure
    result = aiinvest(
        "--data-dir", str(external_data), "build", "-o", str(out / "reports"), "--notebook", str(notebook)
    )
    assert result.returncode == exitcodes.BUILD, result.stderr
    return out / "reports", result


def artefact_texts(folder: Path) -> dict[str, str]:
    """Every file below a folder as text; a PDF also by its metadata, decompressed streams and text."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts[str(path)] = path.read_bytes().decode("latin-1")
        if path.suffix == ".pdf":
            reader = pypdf.PdfReader(path)
            parts = [str(reader.metadata), *(page.extract_text() for page in reader.pages)]
            numbers = set(reader.xref_objStm).union(*reader.xref.values())
            for obj in filter(None, map(reader.get_object, sorted(numbers))):
                parts.append(obj.get_data().decode("latin-1") if hasattr(obj, "get_data") else str(obj))
            texts[f"{path} (decoded)"] = "\n".join(parts)
    return texts


def leaks(folder: Path, tmp_root: Path) -> list[str]:
    """Each local path or user name found, with the file and a little context."""
    paths = {str(PROJECT_ROOT), str(PROJECT_ROOT.resolve()), str(tmp_root), str(Path.home()), sys.prefix}
    patterns = [re.escape(p) + r"(?![\w.-])" for p in paths if p not in ("", "/")]
    user = getpass.getuser()
    if len(user) > 3:  # as a path component, or in a folder name such as pytest-of-USER
        patterns.append(rf"(?<=[/\\~-]){re.escape(user)}(?=[/\\])")
    found = []
    for name, text in artefact_texts(folder).items():
        for match in re.finditer("|".join(patterns), text):
            found.append(f"{name}: ...{text[max(0, match.start() - 60) : match.end() + 40]}...")
    return found


def test_the_build_reads_the_data_folder_given_by_the_global_option(good, external_data):
    out, result = good
    html = next(out.rglob("report.html")).read_text()
    assert MARKER in html
    assert f"Anthropic: data from {external_data}" in result.stderr


def test_the_manifest_records_an_outside_data_folder_by_name(good):
    out, _ = good
    manifest = json.loads(next(out.rglob("manifest.json")).read_text())
    assert manifest["parameters"]["data_dir"] == "<external>/data"


def test_no_local_path_in_any_artefact_of_a_build(good, tmp_path_factory):
    out, _ = good
    assert {p.name for p in out.rglob("*")} >= {"report.html", "report.pdf", "report.ipynb", "manifest.json"}
    found = leaks(out, tmp_path_factory.getbasetemp())
    assert found == [], "\n".join(found)


def test_no_local_path_in_a_kept_failed_notebook(failed, tmp_path_factory):
    out, result = failed
    kept = list((out / "failed").glob("anthropic-*.ipynb"))
    assert len(kept) == 1, result.stderr
    text = kept[0].read_text()
    assert "FileNotFoundError" in text and "<venv>" in text and "<external>/data" in text
    found = leaks(out, tmp_path_factory.getbasetemp())
    assert found == [], "\n".join(found)
