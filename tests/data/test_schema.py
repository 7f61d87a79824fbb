"""The descriptor is valid metadata and documents every column, and data/README.md agrees (the seed data's)."""

import csv
import re

import frictionless
import pytest
from fixtures import SEED_DIR

from aiinvest.config import PROJECT_ROOT
from aiinvest.data.registry import claim_tables, date_groups
from aiinvest.data.schema import read_descriptor, resources

DESCRIPTOR = read_descriptor(SEED_DIR)
README = (SEED_DIR / "README.md").read_text(encoding="utf-8")


def test_descriptor_is_valid_data_package_metadata():
    report = frictionless.Package.validate_descriptor(str(SEED_DIR / "curated" / "datapackage.json"))
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
    with open(SEED_DIR / "curated" / res["path"], encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == [f["name"] for f in res["schema"]["fields"]]
    section = README.split(f"### `{res['path']}`", 1)[1].split("\n### ", 1)[0]
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)
    assert documented == header


def test_the_claim_registry_names_columns_that_exist_with_the_right_types():
    tables = claim_tables(DESCRIPTOR)
    assert [t.name for t in tables] == ["investments", "valuations", "funding_totals", "statements", "events"]
    for table in tables:
        fields = {f["name"]: f for f in resources(DESCRIPTOR)[table.name]["schema"]["fields"]}
        assert {"fact_id", "source_id", "quote", table.id} <= set(fields), table.name
        assert fields[table.date]["type"] == "date"
        assert fields[table.precision]["constraints"]["enum"] == ["day", "month", "year"]
        assert fields[table.inferred]["type"] == "boolean"
        if table.amount:
            assert fields[table.amount]["unit"] == "USD" and table.amount.endswith("_usd")
            assert set(fields[table.qualifier]["constraints"]["enum"]) >= {"exact", "at_least"}
        for role in (table.company, table.counterparty):
            if role:
                references = [fk["fields"] for fk in resources(DESCRIPTOR)[table.name]["schema"]["foreignKeys"]]
                assert [role] in references, f"{table.name}.{role} is not a company reference"
        if table.parties:
            assert table.parties in resources(DESCRIPTOR)


def test_every_date_column_of_every_table_is_in_the_registry():
    groups = date_groups(DESCRIPTOR)
    for name, res in resources(DESCRIPTOR).items():
        dates = [f["name"] for f in res["schema"]["fields"] if f["type"] == "date"]
        assert dates == ([groups[name][0]] if name in groups else []), name


GUIDE = (PROJECT_ROOT / "docs" / "curation.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(resources(DESCRIPTOR)))
def test_the_curation_guide_names_every_allowed_value(name):
    """docs/curation.md tells a curator every value a column allows (as `code`), as the descriptor declares it."""
    for field in resources(DESCRIPTOR)[name]["schema"]["fields"]:
        allowed = field.get("constraints", {}).get("enum", [])
        missing = [value for value in allowed if f"`{value}`" not in GUIDE]
        assert not missing, f"docs/curation.md does not name {name}.{field['name']}'s {missing}"
