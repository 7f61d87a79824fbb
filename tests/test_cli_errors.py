"""Exit statuses: carried by the errors the command line handles, declared once, shown in --help and the README."""

import shutil

import pytest
from cogapp import Cog

import aiinvest.cli
import aiinvest.pipeline
from aiinvest import exitcodes
from aiinvest.cli import REFERENCE_WIDTH, InvalidChange, UsageError, build_parser, main, reference
from aiinvest.config import PROJECT_ROOT
from aiinvest.curate.draft import DraftError, DraftUsageError
from aiinvest.curate.register import RegistrationError
from aiinvest.data.problems import DataValidationError
from aiinvest.exitcodes import CommandError, ExitStatus
from aiinvest.report.changes import FiguresError
from aiinvest.report.params import ParameterError

README = PROJECT_ROOT / "README.md"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ParameterError(["'unit': value 'x': expected one of billions, millions"]), 64),
        (DataValidationError([]), 65),
        (RegistrationError("x.txt: no such file"), 65),
        (DraftError("review.csv: expected the columns decision and table"), 65),
        (DraftUsageError("no article 'art-009' in sources.csv"), 64),
        (FiguresError("figures.json: expected a readable figures.json"), 65),
        (UsageError("draft takes ARTICLE_ID [-o FILE] [--force], or --accept FILE"), 64),
        (InvalidChange("accepting would make the data invalid; nothing was changed."), 65),
    ],
)
def test_each_error_the_command_line_handles_carries_its_exit_status(error, status):
    assert isinstance(error, CommandError)
    assert error.exit_status == status


def test_parameter_and_figures_errors_are_still_value_errors():
    """The pipeline catches ValueError around resolving parameters: they stay ValueErrors."""
    assert isinstance(ParameterError(["x"]), ValueError) and isinstance(FiguresError("x"), ValueError)


def test_main_prints_a_command_error_and_exits_with_its_status(monkeypatch, capsys):
    class Held(CommandError):
        exit_status = ExitStatus.LOCKED

    def fail(args):
        raise Held("the lock is held\nby another build")

    monkeypatch.setattr(aiinvest.cli, "_validate", fail)
    assert main(["validate"]) == 75
    assert capsys.readouterr() == ("", "error: the lock is held\nby another build\n")


def test_an_unexpected_error_is_not_mapped_to_a_status(monkeypatch):
    monkeypatch.setattr(aiinvest.cli, "_validate", lambda args: {}["missing"])
    with pytest.raises(KeyError):
        main(["validate"])


def test_diff_refuses_a_folder_without_figures(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path)]) == exitcodes.USAGE
    expected = f"error: {tmp_path}: expected a report folder holding figures.json, or a figures.json\n"
    assert capsys.readouterr() == ("", expected)


def test_diff_refuses_figures_that_fail_their_schema(tmp_path, capsys):
    (tmp_path / "figures.json").write_text("{}", encoding="utf-8")
    assert main(["diff", str(tmp_path), str(tmp_path)]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'figures.json'}: at the top level: expected ") and err.count("\n") == 1


def test_a_missing_parameter_file_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(aiinvest.pipeline, "configure_logging", lambda progress: None)
    assert main(["build", str(tmp_path / "none.yaml")]) == exitcodes.PARAMETERS
    assert capsys.readouterr().err.endswith(
        f"error: invalid parameters:\n  {tmp_path / 'none.yaml'}: no such parameter file\n"
    )


def test_an_alias_bomb_or_a_folder_as_parameter_file_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(aiinvest.pipeline, "configure_logging", lambda progress: None)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [lol, lol]\nb: &b [*a, *a]\nc: [*b, *b]\n", encoding="utf-8")
    assert main(["build", str(bomb)]) == exitcodes.PARAMETERS
    assert capsys.readouterr().err.endswith(
        f"error: invalid parameters:\n  {bomb}:1:4: expected no anchors or aliases (&name, *name): "
        "give each value in full\n"
    )
    assert main(["build", str(tmp_path)]) == exitcodes.PARAMETERS
    assert capsys.readouterr().err.endswith(f"  {tmp_path}: expected a parameter file (it is a folder)\n")


def test_registering_invalid_data_says_nothing_was_changed(data_dir, tmp_path, capsys):
    article = tmp_path / "004.txt"
    article.write_text("Some news.")
    args = ["--published", "2024-03-01", "--precision", "month", "--id", "not-an-id"]
    assert main(["--data-dir", str(data_dir), "register-article", str(article), *args]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert err.startswith("error: registering would make the data invalid; nothing was changed.\n1 problem(s) in ")
    assert "column 'source_id': value 'not-an-id'" in err


def test_every_command_declares_its_exit_statuses():
    assert list(build_parser().commands) == list(exitcodes.COMMANDS)


def test_a_commands_help_lists_its_exit_statuses_with_their_meanings():
    commands = build_parser(width=1000).commands  # wide: each paragraph on one line
    build, diff, validate = (commands[name].format_help() for name in ("build", "diff", "validate"))
    assert "Exit statuses: 0 built, or up to date; 64 bad command line or invalid report parameters;" in build
    assert "75 another build of the same report is running: try again later." in build
    assert "1 the two reports differ (like diff); 64 a path that is not a report folder or figures.json;" in diff
    assert "Exit statuses: 0 success; 64 bad command line or invalid report parameters; 65 the curated data" in validate


def test_the_readme_table_has_every_status_and_what_it_means_for_each_command():
    rows = exitcodes.markdown_table().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| {int(status)}" for status in ExitStatus]
    assert rows[0] == (
        "| 0 | success (`aiinvest build`: built, or up to date; `aiinvest diff`: the two reports are the same) |"
    )
    assert rows[1] == "| 1 | `aiinvest diff` only: the two reports differ (like diff) |"
    assert "; `aiinvest diff`: a figures.json that fails its schema;" in rows[3]


def test_the_reference_is_as_wide_whatever_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow, terminal = reference(), build_parser().format_help()
    monkeypatch.setenv("COLUMNS", "300")
    assert reference() == narrow
    assert build_parser().format_help() != terminal  # the command's own help follows the terminal
    assert max(map(len, narrow.splitlines())) <= REFERENCE_WIDTH
    assert all(f"### `aiinvest {name}`" in narrow for name in exitcodes.COMMANDS)


def test_the_readme_generated_sections_are_current(capsys):
    assert Cog().main(["cog", "--check", str(README)]) == 0, capsys.readouterr().err  # else: make docs


def test_an_out_of_date_readme_fails_the_check(tmp_path):
    stale = tmp_path / "README.md"
    shutil.copy(README, stale)
    stale.write_text(stale.read_text(encoding="utf-8").replace("| 65 | the curated", "| 65 | the"), encoding="utf-8")
    assert Cog().main(["cog", "--check", str(stale)]) == 5


def test_an_interruption_is_one_line_and_status_130_not_a_traceback(monkeypatch, capsys):
    import aiinvest.cli

    def interrupted(argv=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(aiinvest.cli, "main", interrupted)
    with pytest.raises(SystemExit) as stopped:
        aiinvest.cli.run()
    assert stopped.value.code == 130
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "error: interrupted (Ctrl-C or SIGTERM): any change to the data was rolled back and no report was "
        "half-published; run the command again"
    ]
