"""Command-line options: the global --data-dir reaches every command; numbers are checked by the parser."""

import shutil

import pytest
from fixtures import SEED_DIR

import aiinvest.pipeline
from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.pipeline import BuildResult


@pytest.fixture
def requests(monkeypatch) -> list:
    """The build requests the command line makes, built by nothing."""
    made = []

    def build_many(requests, jobs):
        made.extend((request, jobs) for request in requests)
        return [BuildResult(exitcodes.OK, "built nothing") for _ in requests]

    monkeypatch.setattr(aiinvest.pipeline, "build_many", build_many)  # the command imports it when it runs
    monkeypatch.setattr(aiinvest.pipeline, "configure_logging", lambda progress: None)
    return made


WHOLE_SECONDS = "expected a whole number of seconds, at least 1"
SECONDS = "expected a number of seconds greater than 0"
WHOLE = "expected a whole number, at least 1"


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--cell-timeout", "0.5", WHOLE_SECONDS),
        ("--cell-timeout", "0", WHOLE_SECONDS),
        ("--cell-timeout", "ten", WHOLE_SECONDS),
        ("--lock-timeout", "0", SECONDS),
        ("--lock-timeout", "-1", SECONDS),
        ("--lock-timeout", "nan", SECONDS),
        ("--validation-timeout", "0", SECONDS),
        ("--validation-timeout", "inf", SECONDS),
        ("--jobs", "0", WHOLE),
        ("--jobs", "1.5", WHOLE),
    ],
)
def test_a_bad_number_is_refused_by_the_parser(requests, capsys, option, value, expected):
    with pytest.raises(SystemExit) as refused:
        main(["build", option, value])
    assert refused.value.code == exitcodes.USAGE
    assert f"{option}: {expected}, not {value!r}" in capsys.readouterr().err
    assert requests == []


def test_good_numbers_reach_the_build(requests):
    args = ["build", "--cell-timeout", "5", "--lock-timeout", "0.5", "--validation-timeout", "2.5", "-j", "3"]
    assert main(args) == exitcodes.OK
    [(request, jobs)] = requests
    assert (request.cell_timeout, request.lock_timeout, request.validation_timeout, jobs) == (5, 0.5, 2.5, 3)


def test_the_global_data_dir_reaches_a_build(requests, data_dir):
    assert main(["--data-dir", str(data_dir), "build"]) == exitcodes.OK
    assert main(["--data-dir", "data", "build", "-p", f"data_dir={data_dir}"]) == exitcodes.OK  # the same folder
    assert main(["build"]) == exitcodes.OK
    assert [request.params.get("data_dir") for request, _ in requests] == [str(data_dir), str(data_dir), None]


def test_two_different_data_folders_are_refused(requests, data_dir, capsys):
    status = main(["--data-dir", str(data_dir), "build", "-p", f"data_dir={SEED_DIR}"])
    assert status == exitcodes.USAGE
    err = capsys.readouterr().err
    assert f"--data-dir {data_dir} and -p data_dir={SEED_DIR} name different folders" in err
    assert requests == []


def test_docs_writes_the_readme_of_the_given_data_folder(data_dir, tmp_path, monkeypatch, capsys):
    default = tmp_path / "default"  # the folder the commands read without --data-dir: a copy of the seed data
    shutil.copytree(SEED_DIR, default)
    monkeypatch.setattr(aiinvest.cli, "DATA_DIR", default)
    project_readme = (default / "README.md").read_bytes()
    assert main(["--data-dir", str(data_dir), "docs"]) == exitcodes.OK
    assert (data_dir / "README.md").read_bytes() == project_readme
    assert main(["--data-dir", str(data_dir), "docs", "--check"]) == exitcodes.OK
    assert (default / "README.md").read_bytes() == project_readme


@pytest.mark.parametrize(
    ("value", "unknown"), [("", ""), (",", ""), (" , ", ""), ("htm", "htm"), ("html,svg", "svg"), ("HTML", "HTML")]
)
def test_an_empty_or_unknown_format_list_is_refused_by_the_parser(requests, capsys, value, unknown):
    with pytest.raises(SystemExit) as refused:
        main(["build", "--formats", value])
    assert refused.value.code == exitcodes.USAGE
    err = capsys.readouterr().err
    assert f"--formats: expected one or more of html, pdf, comma-separated, not {value!r}" in err
    assert (f"(unknown: {unknown})" in err) == bool(unknown)
    assert requests == []


@pytest.mark.parametrize(
    ("value", "formats"), [(None, ("html", "pdf")), ("html", ("html",)), (" pdf , html,pdf", ("pdf", "html"))]
)
def test_known_formats_reach_the_build(requests, value, formats):
    assert main(["build", *(["--formats", value] if value is not None else [])]) == exitcodes.OK
    [(request, _)] = requests
    assert request.formats == formats


def test_another_subject_drops_the_parameter_files_title_and_names_the_log_lines(requests, data_dir, capsys):
    # Issue 22, #8: params/anthropic.yaml's title is Anthropic's; -p company=Amazon gets a title of its own.
    assert main(["--data-dir", str(data_dir), "build", "-p", "company=Amazon"]) == exitcodes.OK
    assert main(["--data-dir", str(data_dir), "build"]) == exitcodes.OK
    (amazon, _), (default, _) = requests
    assert "title" not in amazon.params and amazon.label == "Amazon"
    assert default.params["title"] == "The AI investment race: Anthropic's funding" and default.label == "Anthropic"
    assert capsys.readouterr().out.splitlines()[0] == "Amazon: built nothing"
