"""The descriptor is valid metadata and documents every column, and data/README.md agrees."""

import csv
import re

import frictionless
import pytest

from aiinvest.paths import DATA_DIR, PROJECT_ROOT
from aiinvest.schema import read_descriptor, resources

DESCRIPTOR = read_descriptor(DATA_DIR)
README = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_descriptor_is_valid_data_package_metadata():
    report = frictionless.Package.validate_descriptor(str(DATA_DIR / "curated" / "datapackage.json"))
    assert report.valid, report.flatten(["note"])


@pytest.mark.parametrize("name", list(resources(DESCRIPTOR)))
def test_every_field_is_described_and_amounts_carry_units(name):
    res = resources(DESCRIPTOR)[name]
    assert res["title"] and res["description"] and res["hash"].startswith("sha256:")
    for field in res["schema"]["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
        if field["name"].endswith("_usd"):
            assert field.get("unit") == "USD"
            assert field["constraints"]["exclusiveMinimum"] == 0


@pytest.mark.parametrize("name", list(resources(DESCRIPTOR)))
def test_csv_header_matches_schema_and_readme_documents_each_column(name):
    res = resources(DESCRIPTOR)[name]
    with open(DATA_DIR / "curated" / res["path"], encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == [f["name"] for f in res["schema"]["fields"]]
    section = README.split(f"### `{res['path']}`", 1)[1].split("\n### ", 1)[0]
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)
    assert documented == header
