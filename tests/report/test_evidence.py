"""The PDF carries exactly the declared data files the report was made from (issue 21, item 5).

The exporter used to read the curated folder named by the scrubbed label in the notebook: a data
folder outside the project gave no evidence, a project-relative label was read against the working
directory (another folder's CSVs were attached), and any stray *.csv in curated/ travelled too.
"""

import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from fixtures import SEED_DIR
from nbformat.v4 import new_code_cell, new_notebook, new_output

from aiinvest.config import PROJECT_ROOT
from aiinvest.pipeline.manifest import data_label, hash_inputs, scrub
from aiinvest.pipeline.render import evidence
from aiinvest.pipeline.run import BuildRequest, Run
from aiinvest.report import prepare
from aiinvest.report.evidence import EvidenceError, collect, descriptor_hash, standalone
from aiinvest.report.exporters import ReportPDFExporter

SEED_LABEL = SEED_DIR.relative_to(PROJECT_ROOT).as_posix()  # tests/fixtures/seed, as a shared notebook names it


def declared_names(data_dir: Path) -> list[str]:
    descriptor = json.loads((data_dir / "curated" / "datapackage.json").read_text(encoding="utf-8"))
    return sorted(["datapackage.json", *(r["path"] for r in descriptor["resources"])])


def as_files(attachments) -> dict[str, bytes]:
    return {name: data for name, data, _ in attachments}


def on_disk(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / "curated" / name).read_bytes() for name in declared_names(data_dir)}


def report_notebook(data_dir: Path, label: str):
    """A report notebook as a build shares it: the header's output, the data folder by its scrubbed label."""
    data, metadata = prepare(data_dir=str(data_dir)).header()._repr_mimebundle_()
    metadata = json.loads(scrub(json.dumps(metadata), data_dir))
    nb = new_notebook(cells=[new_code_cell(outputs=[new_output("display_data", data=data, metadata=metadata)])])
    nb.metadata["papermill"] = {"parameters": {"page_size": "A4", "data_dir": label}}
    return nbformat.from_dict(nb)


def a_run(data_dir: Path) -> Run:
    run = Run(BuildRequest(), data_dir.resolve())
    run.inputs = hash_inputs(run.data_dir)
    return run


def stray_csv(data_dir: Path) -> None:
    (data_dir / "curated" / "private-notes.csv").write_text("who,said\nme,secret\n", encoding="utf-8")


def test_a_build_attaches_the_declared_files_of_a_data_folder_outside_the_project(data_dir):
    assert not data_dir.resolve().is_relative_to(PROJECT_ROOT.resolve())
    stray_csv(data_dir)  # undeclared: never attached
    run = a_run(data_dir)
    attached = as_files(evidence(run))
    assert sorted(attached) == declared_names(data_dir) and "private-notes.csv" not in attached
    assert attached == on_disk(data_dir)


def test_a_build_attaches_the_bytes_it_hashed_or_fails(data_dir):
    run = a_run(data_dir)
    investments = data_dir / "curated" / "investments.csv"
    investments.write_bytes(investments.read_bytes() + b"\n")  # changed after the build hashed it
    with pytest.raises(EvidenceError, match=r"investments.csv: expected the bytes whose SHA-256 the build's record"):
        evidence(run)


def test_the_pdf_of_a_build_carries_the_evidence_it_is_given(data_dir):
    import pikepdf

    stray_csv(data_dir)
    nb = report_notebook(data_dir, data_label(data_dir))
    record = ("manifest.json", b"{}", "the build's record")
    pdf, _ = ReportPDFExporter().from_notebook_node(
        nb, {"evidence": evidence(a_run(data_dir)), "attachments": [record]}
    )
    with pikepdf.open(io.BytesIO(pdf)) as document:
        attached = {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}
    assert sorted(attached) == sorted([*declared_names(data_dir), "manifest.json"])
    assert {name: attached[name] for name in declared_names(data_dir)} == on_disk(data_dir)


def test_exported_on_its_own_a_project_label_is_read_in_the_project_not_the_working_directory(tmp_path, monkeypatch):
    other = tmp_path / SEED_LABEL  # the same label below another working directory: other CSVs
    shutil.copytree(SEED_DIR, other)
    for path in other.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (other / "curated" / "events.csv").write_text("not the seed data\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    nb = report_notebook(SEED_DIR, SEED_LABEL)
    attached = as_files(ReportPDFExporter().evidence(nb, {}))
    assert attached == on_disk(SEED_DIR)


def test_exported_on_its_own_only_the_data_folder_the_notebook_read_is_attached(data_dir):
    copy = data_dir.rename(data_dir.parent / "copied")  # below the working directory: labelled "copied"
    nb = report_notebook(copy, data_label(copy))
    assert data_label(copy) == "copied"
    assert as_files(ReportPDFExporter().evidence(nb, {})) == on_disk(copy)
    stray_csv(copy)
    assert "private-notes.csv" not in as_files(ReportPDFExporter().evidence(nb, {}))
    descriptor = copy / "curated" / "datapackage.json"
    descriptor.write_bytes(descriptor.read_bytes() + b"\n")  # another package than the notebook read
    assert ReportPDFExporter().evidence(nb, {}) == []


def test_exported_on_its_own_a_folder_outside_the_project_it_cannot_name_gives_no_evidence(data_dir, caplog):
    nb = report_notebook(data_dir, "<external>/data")
    assert ReportPDFExporter().evidence(nb, {}) == []
    assert "the PDF carries no data files: the data folder this notebook read (<external>/data)" in caplog.text
    assert standalone("<external>/data", "0" * 64) == []


def test_exported_on_its_own_a_declared_file_that_changed_is_refused(data_dir):
    copy = data_dir.rename(data_dir.parent / "copied")  # "data" would name the project's data/ first
    nb = report_notebook(copy, data_label(copy))
    events = copy / "curated" / "events.csv"
    events.write_bytes(events.read_bytes() + b"\n")  # its recorded hash no longer holds
    with pytest.raises(EvidenceError, match=r"events.csv: expected the bytes whose SHA-256 datapackage.json records"):
        ReportPDFExporter().evidence(nb, {})


def test_a_declared_path_leaving_the_curated_folder_is_never_read(data_dir):
    descriptor = data_dir / "curated" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"][0]["path"] = "../raw/articles/" + next((data_dir / "raw" / "articles").iterdir()).name
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(EvidenceError, match="expected a declared file inside"):
        collect(data_dir, descriptor_hash, "datapackage.json")
