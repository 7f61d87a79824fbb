"""Control characters (NUL, BEL, ESC, DEL, C1...) are refused where they are: file, line and character.

Issue 21, item 8: one in an article or a CSV cell reached report.html, which HTML forbids.
"""

import pytest
from fixtures import SEED_DIR

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.data.problems import control_problem
from aiinvest.data.validate import validate_package

CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
SAMPLE = ["\x00", "\x07", "\x1b", "\x7f", "\x9b"]  # NUL, BEL, ESC, DEL and a C1 control (CSI)
SEED_ARTICLES = sorted(p.name for p in (SEED_DIR / "raw" / "articles").iterdir())


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_every_control_character_is_found_at_its_line_and_character(control):
    problem = control_problem(f"first line\nsecond{control} line\n", "notes.txt")
    assert problem is not None
    assert (problem.file, problem.line, problem.char) == ("notes.txt", 2, 7)
    assert str(problem) == (
        f"notes.txt:2:7: expected text without control characters (character U+{ord(control):04X} here; "
        "tab and line ends are the only ones allowed)"
    )


def test_tab_and_line_ends_are_text():
    assert control_problem("a\tb\r\nc\rd\n\u00a0e \u2028", "notes.txt") is None


def control_problems(data_dir) -> list:
    return [p for p in validate_package(data_dir) if p.expected.startswith("text without control")]


@pytest.mark.parametrize("control", SAMPLE, ids=[f"U+{ord(c):04X}" for c in SAMPLE])
def test_a_control_character_in_a_quote_is_refused_at_its_line_and_character(data_dir, edit_csv, control, capsys):
    path = edit_csv("investments", lambda text: text.replace("Anthropic", f"Anth{control}ropic", 1))
    text = path.read_text(encoding="utf-8")
    at = text.index(control)
    line, char = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    (problem,) = control_problems(data_dir)
    assert problem.file.endswith("curated/investments.csv") and (problem.line, problem.char) == (line, char)
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert f"investments.csv:{line}:{char}: expected text without control characters" in err
    assert control not in err  # the message names the character, never prints it


@pytest.mark.parametrize("control", SAMPLE, ids=[f"U+{ord(c):04X}" for c in SAMPLE])
def test_a_control_character_in_a_stored_article_is_refused(data_dir, control):
    article = data_dir / "raw" / "articles" / SEED_ARTICLES[0]
    article.chmod(0o644)
    text = article.read_text(encoding="utf-8")
    at = text.index("Anthropic")
    article.write_text(text[:at] + control + text[at:], encoding="utf-8")
    line, char = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    (problem,) = control_problems(data_dir)
    assert problem.file.endswith(f"raw/articles/{SEED_ARTICLES[0]}") and (problem.line, problem.char) == (line, char)


@pytest.mark.parametrize("control", SAMPLE, ids=[f"U+{ord(c):04X}" for c in SAMPLE])
def test_registration_refuses_an_article_with_a_control_character_and_leaves_nothing(
    data_dir, tmp_path, control, capsys
):
    curated = data_dir / "curated"
    before = {p.name: p.read_bytes() for p in curated.iterdir()}
    article = tmp_path / "new.txt"
    article.write_text(f"date 2024-04-02 Anthropic ships a model.\nMore{control} text follows.\n", encoding="utf-8")
    args = ["--data-dir", str(data_dir), "register-article", str(article), "--published", "2024-04-02"]
    assert main([*args, "--precision", "day"]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert "new.txt:2:5: expected text without control characters" in err and control not in err  # the given file
    assert sorted(p.name for p in (data_dir / "raw" / "articles").iterdir()) == SEED_ARTICLES
    assert {p.name: p.read_bytes() for p in curated.iterdir()} == before


@pytest.mark.slow  # builds a report
def test_a_build_refuses_data_with_a_control_character_and_publishes_nothing(data_dir, edit_csv, tmp_path):
    from fixtures.notebooks import header_only

    from aiinvest.pipeline import BuildRequest, build

    edit_csv("investments", lambda text: text.replace("Anthropic", "Anth\x1bropic", 1))
    notebook = header_only(tmp_path)  # the validation beside the kernel finds it; the report's cells are not needed
    params = {"data_dir": str(data_dir)}
    result = build(BuildRequest(params=params, output_dir=tmp_path / "out", formats=("html",), notebook=notebook))
    assert result.status == exitcodes.DATA and "expected text without control characters" in result.message
    assert not (tmp_path / "out" / "anthropic").exists() or not list((tmp_path / "out" / "anthropic").glob("2*"))
