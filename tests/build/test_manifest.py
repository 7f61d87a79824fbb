"""Manifest helpers: fingerprints, output hashes, path scrubbing."""

import tempfile
from pathlib import Path

from aiinvest.build.manifest import fingerprint, hash_inputs, hash_outputs, outputs_intact, relative_name, scrub
from aiinvest.config import DATA_DIR, PROJECT_ROOT


def test_fingerprint_changes_with_any_input_or_parameter():
    inputs = {"data/curated/a.csv": "1" * 64}
    base = fingerprint({"params": {"unit": "billions"}}, inputs)
    assert fingerprint({"params": {"unit": "billions"}}, dict(inputs)) == base
    assert fingerprint({"params": {"unit": "millions"}}, inputs) != base
    assert fingerprint({"params": {"unit": "billions"}}, {"data/curated/a.csv": "2" * 64}) != base


def test_inputs_cover_data_articles_notebook_templates_and_code():
    names = set(hash_inputs(DATA_DIR))
    assert "data/curated/investments.csv" in names
    assert "data/raw/articles/000_2c732e15b4d59a3f.txt" in names
    assert "notebooks/report.ipynb" in names
    assert "src/aiinvest/templates/nbconvert/aiinvest_print/static/print.css" in names
    assert "src/aiinvest/build/pipeline.py" in names
    assert "src/aiinvest/analysis/reconcile.py" in names


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
