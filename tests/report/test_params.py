"""Parameters are validated before any work, each error with a clear message."""

import dataclasses
import subprocess
import sys

import pandas as pd
import pytest
from fixtures import SEED_DIR

from aiinvest import exitcodes
from aiinvest.analysis.asof import tables_as_of
from aiinvest.data.load import load_tables
from aiinvest.pipeline.manifest import REPORT_NOTEBOOK
from aiinvest.report.params import ParameterError, ReportParams, read_params_file, resolve


@pytest.fixture(scope="module")
def tables():
    return load_tables(SEED_DIR)


def error_of(raw, tables) -> str:
    with pytest.raises(ParameterError) as caught:
        resolve(raw, tables)
    return str(caught.value)


def test_defaults_resolve_to_the_latest_source_date(tables):
    params = resolve({}, tables)
    assert (params.company_id, params.company_name) == ("anthropic", "Anthropic")
    assert params.as_of == pd.Timestamp("2024-03-27")
    assert (params.unit, params.page_size) == ("billions", "A4")


def test_notebook_parameters_cell_mirrors_the_dataclass():
    import papermill  # here: 0.6 s to import, for this one test

    declared = papermill.inspect_notebook(str(REPORT_NOTEBOOK))
    fields = {f.name: f for f in dataclasses.fields(ReportParams)}
    assert list(declared) == list(fields)
    for name, info in declared.items():
        assert info["inferred_type_name"] == "str", name
        assert info["help"], f"parameter {name} has no comment"
        assert eval(info["default"]) == fields[name].default, name


def test_unknown_parameter_is_refused_with_a_suggestion(tables):
    assert "'compnay': unknown parameter" in error_of({"compnay": "Anthropic"}, tables)
    assert "did you mean 'company'?" in error_of({"compnay": "Anthropic"}, tables)


def test_wrong_type_is_refused(tables):
    assert "'unit': value 1000000 (int): expected text" in error_of({"unit": 1_000_000}, tables)


def test_company_without_quantified_data_is_refused(tables):
    message = error_of({"company": "Apple"}, tables)
    assert "'company': value 'Apple': expected a company with quantified data" in message
    assert "Anthropic" in message


def test_unknown_company_is_refused(tables):
    assert "'company': value 'Nvidia': expected a company in the data" in error_of({"company": "Nvidia"}, tables)


def test_as_of_before_any_data_is_refused(tables):
    message = error_of({"as_of": "2020-01-01"}, tables)
    assert "'as_of': value '2020-01-01': expected a date on or after 2024-03-01" in message


def test_malformed_as_of_unit_and_page_size_are_all_reported(tables):
    message = error_of({"as_of": "27/03/2024", "unit": "trillions", "page_size": "A5"}, tables)
    assert "'as_of': value '27/03/2024': expected a date written YYYY-MM-DD" in message
    assert "'unit': value 'trillions': expected one of billions, millions" in message
    assert "'page_size': value 'A5': expected one of A4, Letter" in message


def test_as_of_limits_the_claims_to_sources_known_then(tables):
    params = resolve({"as_of": "2024-03-15"}, tables)
    current = tables_as_of(tables, params.as_of)
    assert list(current["sources"]["source_id"]) == ["art-000"]
    assert set(current["investments"]["source_id"]) == {"art-000"}


def test_an_investor_can_be_the_subject(tables):
    params = resolve({"company": "Amazon"}, tables)
    assert (params.company_id, params.company_name) == ("amazon", "Amazon")


def test_a_company_without_figures_is_refused_naming_those_with_data(tables):
    message = error_of({"company": "Apple"}, tables)
    assert "'company': value 'Apple': expected a company with quantified data" in message
    assert "Anthropic, Amazon, Google" in message


def test_a_bad_as_of_gives_no_second_error_about_the_company(tables):
    message = error_of({"as_of": "2024-13-45"}, tables)
    assert "'as_of'" in message and "'company'" not in message


def test_company_by_id_and_millions(tables):
    params = resolve({"company": "anthropic", "unit": "millions"}, tables)
    assert (params.company_name, params.unit) == ("Anthropic", "millions")


def test_yaml_params_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("company: Anthropic\nas_of: 2024-03-27\n")
    assert read_params_file(path)["company"] == "Anthropic"
    path.write_text("- a list\n")
    with pytest.raises(ParameterError, match="expected a mapping"):
        read_params_file(path)


@pytest.mark.slow  # a new interpreter: the real exit status
def test_build_refuses_bad_parameters_before_any_work(tmp_path):
    command = ["build", "-o", str(tmp_path), "-p", "company=Apple", "-p", "colour=red"]
    result = subprocess.run(
        [sys.executable, "-m", "aiinvest.cli", "--data-dir", str(SEED_DIR), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == exitcodes.PARAMETERS
    assert "'colour': unknown parameter" in result.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("as_of", ["2999-12-31", "2024-03-28"])
def test_an_as_of_after_the_newest_source_is_refused(tables, as_of):
    newest = tables["sources"]["published_date"].max().date().isoformat()
    message = error_of({"as_of": as_of}, tables)
    assert f"'as_of': value '{as_of}': expected a date on or before {newest}, the newest source's" in message
    assert "'company'" not in message
    assert resolve({"as_of": newest}, tables).as_of == pd.Timestamp(newest)
