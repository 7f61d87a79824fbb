"""Parameters are validated before any work, each error with a clear message."""

import dataclasses
import os
import subprocess
import sys
import time

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


@pytest.mark.parametrize("company", ["OpenAI", "Microsoft", "Apple", "accenture", "Amazon Web Services (AWS)"])
def test_a_company_without_figures_can_be_the_subject(tables, company):
    """Issue 23: every company the sources mention is a subject, by name (without case) or id."""
    params = resolve({"company": company}, tables)
    row = tables["companies"].set_index("company_id").loc[params.company_id]
    assert company.casefold() in {params.company_id, row["name"].casefold()}


def test_every_company_in_the_data_can_be_the_subject(tables):
    for company_id in tables["companies"]["company_id"]:
        assert resolve({"company": company_id}, tables).company_id == company_id


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


def test_a_company_no_source_known_on_the_date_mentions_is_refused(tables):
    """Apple first appears in the article of 27 March 2024: a report as of 15 March cannot be about it."""
    message = error_of({"company": "Apple", "as_of": "2024-03-15"}, tables)
    assert (
        "'company': value 'Apple': expected a company that a source published on or before 2024-03-15 mentions "
        "(no source known then mentions Apple; they mention Anthropic, Amazon, Amazon Web Services (AWS), Google, "
        "Google Cloud, Microsoft, OpenAI)"
    ) in message
    assert resolve({"company": "OpenAI", "as_of": "2024-03-15"}, tables).company_id == "openai"


def test_an_unknown_company_is_refused_naming_every_company(tables):
    message = error_of({"company": "Nvidia"}, tables)
    assert ", ".join(tables["companies"]["name"]) in message


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


BOMB = "".join(  # the "billion laughs": 9**9 strings once expanded, from 342 bytes
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def refused(path) -> str:
    with pytest.raises(ParameterError) as caught:
        read_params_file(path)
    assert caught.value.exit_status == exitcodes.PARAMETERS
    [problem] = caught.value.problems
    assert "\n" not in problem
    return problem


def test_an_alias_bomb_is_refused_at_its_first_anchor_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 400
    started = time.perf_counter()
    assert refused(path) == f"{path}:1:4: expected no anchors or aliases (&name, *name): give each value in full"
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("text", "where"),
    [("company: &c Anthropic\ntitle: *c\n", "1:10"), ("base: &b {unit: millions}\n<<: *b\n", "1:7")],
)
def test_anchors_aliases_and_merge_keys_are_refused(tmp_path, text, where):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert refused(path).startswith(f"{path}:{where}: expected no anchors or aliases")


def test_a_parameter_given_twice_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("as_of: 2024-03-27\ncompany: Amazon\nas_of: 2024-03-01\n", encoding="utf-8")
    assert refused(path) == f"{path}:3:1: expected each name once ('as_of' is given again, first on line 1)"
    path.write_text("unit: millions\n'1': a\n1: b\n", encoding="utf-8")  # a number and a text: two names
    assert read_params_file(path) == {"unit": "millions", "1": "a", 1: "b"}


@pytest.mark.parametrize("as_of", [20240327, "20240327", "2024-W13-3", "2024-03-27T00:00", "2024-3-27", "٢٠٢٤-٠٣-٢٧"])
def test_an_as_of_not_written_yyyy_mm_dd_is_refused(tables, as_of):
    assert f"'as_of': value {as_of!r}" in error_of({"as_of": as_of}, tables)
    assert error_of({"as_of": as_of}, tables).endswith(": expected a date written YYYY-MM-DD")


def test_an_unquoted_yaml_number_as_of_is_refused(tmp_path, tables):
    path = tmp_path / "p.yaml"
    path.write_text("as_of: 20240327\n", encoding="utf-8")
    assert "'as_of': value 20240327 (int): expected a date written YYYY-MM-DD" in error_of(
        read_params_file(path), tables
    )


def test_a_long_value_is_shown_cut_short(tables):
    message = error_of({"unit": "x" * 1_000_000, "title": ["a"] * 1_000_000, "company": "y" * 1_000_000}, tables)
    assert len(message) < 1000
    assert "'title': value ['a', 'a', 'a', 'a', ...] (list): expected text" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"company: Soci\xe9t\xe9\n", ":1:14: expected UTF-8 text (byte 0xe9 cannot start or continue a UTF-8"),
        ("company: Anthropic\n".encode("utf-16"), ":1:1: expected UTF-8 text (byte 0xff cannot start"),
    ],
)
def test_a_parameter_file_not_in_utf8_is_refused_with_where(tmp_path, content, expected):
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    problem = refused(path)
    assert problem.startswith(f"{path}{expected}") and problem.endswith("; save the parameter file as UTF-8")


def test_a_folder_or_an_unreadable_file_as_parameter_file_is_refused(tmp_path):
    assert refused(tmp_path) == f"{tmp_path}: expected a parameter file (it is a folder)"
    path = tmp_path / "p.yaml"
    path.write_text("unit: millions\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who reads any file")
        assert refused(path) == f"{path}: expected a readable parameter file (Permission denied)"
    finally:
        path.chmod(0o644)


def test_a_yaml_syntax_error_is_one_line_with_its_place(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("company: [Anthropic\n", encoding="utf-8")
    assert refused(path) == (
        f"{path}:2:1: expected YAML (while parsing a flow sequence: expected ',' or ']', but got '<stream end>')"
    )


@pytest.mark.parametrize(
    ("text", "shown"), [("1: b\n", "1 (int)"), ("null: x\n", "None (NoneType)"), ("yes: 1\n", "True (bool)")]
)
def test_a_name_that_is_not_text_is_an_unknown_parameter(tmp_path, tables, text, shown):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert f"  {shown}: unknown parameter (known: company, as_of," in error_of(read_params_file(path), tables)


def test_a_key_that_cannot_be_a_name_is_one_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("? [a, b]\n: c\n", encoding="utf-8")
    assert refused(path).startswith(f"{path}:1:3: expected YAML (while constructing a mapping: found unhashable key")
