"""A build's PDF carries the declared files of the data folder it read, wherever that is (issue 21, item 5)."""

import json

import pikepdf
import pytest
from fixtures.notebooks import header_only

from aiinvest.config import PROJECT_ROOT
from aiinvest.pipeline import BuildRequest, build

pytestmark = pytest.mark.slow  # builds a report


def test_a_data_folder_outside_the_project_travels_inside_the_pdf_without_stray_files(data_dir, tmp_path):
    assert not data_dir.resolve().is_relative_to(PROJECT_ROOT.resolve())
    (data_dir / "curated" / "private-notes.csv").write_text("who,said\nme,secret\n", encoding="utf-8")
    notebook = header_only(tmp_path)  # the pipeline attaches the evidence, whatever the notebook shows
    params = {"data_dir": str(data_dir)}
    request = BuildRequest(params=params, output_dir=tmp_path / "reports", formats=("pdf",), notebook=notebook)
    result = build(request)
    assert result.status == 0, result.message
    descriptor = json.loads((data_dir / "curated" / "datapackage.json").read_text(encoding="utf-8"))
    declared = sorted(["datapackage.json", *(r["path"] for r in descriptor["resources"])])
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert sorted(attached) == sorted([*declared, "manifest.json"])
    for name in declared:
        assert attached[name] == (data_dir / "curated" / name).read_bytes()
