"""Synthetic benchmark data: valid, clearly marked, never mixed into data/; the report stays bounded."""

from pathlib import Path

import pytest
from fixtures import SEED_DIR

from aiinvest.data.load import load_tables
from aiinvest.data.validate import validate_package
from aiinvest.report import document as report
from aiinvest.report import prepare_race
from aiinvest.report.charts.figures import MAX_MARKERS
from aiinvest.report.params import read_params_file
from benchmarks.synthetic import MARKER, generate, subjects


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("syn") / "n3000", 3000, seed=1, schema_from=SEED_DIR)


def test_synthetic_data_is_valid_and_marked(synthetic):
    assert validate_package(synthetic) == []
    tables = load_tables(synthetic)
    assert len(tables["investments"]) == 3000
    assert MARKER in (synthetic / "SYNTHETIC.md").read_text()
    for article in (synthetic / "raw" / "articles").iterdir():
        assert article.read_text().splitlines()[0] == MARKER
    names = set(tables["companies"]["name"]) - {"Anthropic"}
    assert names and all(name.startswith("Synthetic ") for name in names)


def test_generation_is_deterministic(tmp_path, synthetic):
    again = generate(tmp_path / "again", 3000, seed=1, schema_from=SEED_DIR)
    assert (again / "curated" / "investments.csv").read_bytes() == (
        synthetic / "curated" / "investments.csv"
    ).read_bytes()


def test_refuses_to_overwrite_real_data(tmp_path, data_dir):
    with pytest.raises(SystemExit, match="not synthetic"):
        generate(data_dir, 100, schema_from=SEED_DIR)


def test_report_stays_bounded_on_large_data(synthetic):
    rep = report.prepare(data_dir=str(synthetic))
    facts = rep.facts().data
    assert facts.count("<tr") == report.MAX_TABLE_ROWS + 1  # header row + bounded body (rows are claim-<id> anchors)
    assert "Showing the first 30 of " in facts
    timeline = rep.charts["timeline"]
    markers = sum(len(trace.x) for trace in timeline.traces)
    assert markers <= 6 * 18 * 2 and not timeline.key  # one marker per lane, status and quarter; counts on hover
    assert all(not trace.labels for trace in timeline.traces)
    assert "too many to draw one by one" in timeline.caption
    assert len(rep.charts["funding"].traces) <= 5 + 2  # five investors, the rest grouped, the unattributed part
    assert len(rep.rec.events) > MAX_MARKERS


@pytest.fixture(scope="module")
def invented(tmp_path_factory):
    return subjects(tmp_path_factory.mktemp("subjects"), 3, seed=2, schema_from=SEED_DIR)


def test_subjects_are_invented_valid_and_each_has_a_parameter_file(invented):
    *labs, race = invented
    data = Path(read_params_file(race)["data_dir"])
    assert read_params_file(race)["view"] == "race"
    assert [read_params_file(f)["company"] for f in labs] == ["syn-lab-00", "syn-lab-01", "syn-lab-02"]
    assert all(read_params_file(f)["data_dir"] == str(data) for f in labs)
    assert all(MARKER in f.read_text() for f in invented)
    assert validate_package(data) == []
    tables = load_tables(data)
    assert all(name.startswith("Synthetic ") for name in tables["companies"]["name"])  # no real company
    investees = set(tables["investments"]["investee_id"])
    for lab in ("syn-lab-00", "syn-lab-01", "syn-lab-02"):
        assert lab in investees and lab in set(tables["valuations"]["company_id"])
    assert len(tables["sources"]) == 4  # one article per subject, and one more


def test_the_parameter_files_of_the_subjects_make_reports(invented):
    subject = report.prepare(**read_params_file(invented[0]))
    assert subject.params.company_id == "syn-lab-00" and subject.key_figures
    race = prepare_race(**read_params_file(invented[-1]))
    assert {"syn-lab-00", "syn-lab-01", "syn-lab-02"} <= {c for f in race.key_figures for c in f.id.split(":")}
