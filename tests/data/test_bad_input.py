"""Bad input named precisely: the file, the physical line and character, and what was expected.

Each test reproduces one row of the hostile-input table in issue 12 (A-K).
"""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.curate.register import Registration, RegistrationError, register_article
from aiinvest.data.schema import rehash
from aiinvest.data.validate import DataValidationError, validate_package

DESCRIPTOR = "data/curated/datapackage.json"


def messages(data_dir: Path) -> list[str]:
    return [str(p) for p in validate_package(data_dir)]


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def set_descriptor(data_dir: Path, change) -> None:
    path = data_dir / "curated" / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


# A: a broken, truncated or incomplete descriptor


def test_broken_json_is_named_by_line_and_character(data_dir, capsys):
    path = data_dir / "curated" / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].rstrip(",")  # a missing comma after line 5
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_package(data_dir)
    assert [(p.file, p.line, p.char) for p in problems] == [(DESCRIPTOR, 6, 3)]
    assert str(problems[0]).startswith(f"{DESCRIPTOR}:6:3: expected valid JSON (Expecting ',' delimiter)")
    assert cli(data_dir, "validate") == exitcodes.DATA
    assert "Traceback" not in capsys.readouterr().err


def test_truncated_descriptor(data_dir):
    path = data_dir / "curated" / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    (problem,) = validate_package(data_dir)
    assert problem.file == DESCRIPTOR and problem.line == text[: len(text) // 2].count("\n") + 1
    assert problem.expected.startswith("valid JSON")


def test_a_resource_without_a_schema_is_named_where_it_is(data_dir):
    set_descriptor(data_dir, lambda d: d["resources"][2].pop("schema"))
    text = (data_dir / "curated" / "datapackage.json").read_text(encoding="utf-8")
    (problem,) = validate_package(data_dir)
    assert problem.column == "resources[2]" and problem.expected == "a 'schema' entry"
    assert text.splitlines()[problem.line - 1].strip() == "{"  # the resource's own opening brace
    assert text.splitlines()[problem.line].strip() == '"name": "investments",'


def test_a_bad_field_type_points_at_the_field(data_dir):
    set_descriptor(data_dir, lambda d: d["resources"][1]["schema"]["fields"][0].update(type="text"))
    text = (data_dir / "curated" / "datapackage.json").read_text(encoding="utf-8")
    (problem,) = validate_package(data_dir)
    assert problem.column == "resources[1].schema.fields[0].type"
    assert text.splitlines()[problem.line - 1].strip() == '"type": "text",'
    assert "one of string, number, integer, boolean, date" in problem.expected


def test_a_path_leaving_the_data_folder_is_refused(data_dir):
    set_descriptor(data_dir, lambda d: d["resources"][0].update(path="../../secrets.csv"))
    (problem,) = validate_package(data_dir)
    assert problem.column == "resources[0].path" and "no folders, no '..'" in problem.expected


# B: a descriptor missing a whole resource


def test_a_missing_resource_is_refused_at_validation(data_dir, capsys):
    set_descriptor(data_dir, lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "events"]))
    assert messages(data_dir) == [
        f"{DESCRIPTOR}:1:1: column 'resources': expected a resource named 'events' (the report reads it)"
    ]
    assert cli(data_dir, "validate") == exitcodes.DATA


# C: month and year precision dates on the first day of their period


@pytest.mark.parametrize(("date", "precision"), [("2024-03-01", "year"), ("2024-03-15", "month")])
def test_precision_dates_start_their_period(data_dir, edit_csv, date, precision):
    edit_csv("valuations", lambda t: t.replace("2024-03-27,day", f"{date},{precision}", 1))
    found = [p for p in validate_package(data_dir) if p.column == "as_of_date"]
    assert len(found) == 1 and found[0].value == date and f"the first day of the {precision}" in found[0].expected


# D and H: quoted fields that span lines; an unterminated quote


def test_errors_after_a_multiline_field_name_the_physical_line(data_dir, edit_csv):
    def change(text: str) -> str:
        lines = text.splitlines(keepends=True)
        head, quoted, tail = lines[1].split('"')  # row 2's one quoted field: it may span lines
        lines[1] = f'{head}"{quoted.replace(" ", chr(10), 2)}"{tail}'
        lines[2] = re.sub(r",\d{9,},", ",four billion,", lines[2], count=1)  # row 3's amount
        return "".join(lines)

    path = edit_csv("investments", change)
    physical = path.read_text(encoding="utf-8").splitlines()
    (problem,) = validate_package(data_dir)
    assert problem.column == "amount_usd" and problem.line == 5  # record 3 starts on line 5: record 2 spans 2-4
    assert "four billion" in physical[problem.line - 1]


def test_an_unterminated_quote_is_named_where_it_opens(data_dir):
    path = data_dir / "curated" / "companies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[9].endswith('"')
    lines[9] = lines[9][:-1]  # the quote opened on line 10 never closes
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rehash(data_dir)
    (problem,) = validate_package(data_dir)
    assert (problem.file, problem.line, problem.char) == ("data/curated/companies.csv", 10, lines[9].index('"') + 1)
    assert "closing double quote" in problem.expected


def test_a_field_longer_than_the_csv_limit_says_so_not_that_a_quote_is_doubled(data_dir):
    path = data_dir / "curated" / "companies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, _, rest = lines[1].partition(",")
    lines[1] = head + ',"' + "x" * 1_000_000 + '",' + rest.partition(",")[2]  # its second cell: 1,000,000 characters
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rehash(data_dir)
    (problem,) = validate_package(data_dir)
    assert (problem.file, problem.line) == ("data/curated/companies.csv", 2)
    assert problem.expected == "fields of at most 131,072 characters (a field here is longer)"


# I: too many or too few fields


@pytest.mark.parametrize("extra", [1, -1])
def test_a_row_with_the_wrong_number_of_fields(data_dir, extra):
    path = data_dir / "curated" / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = len(lines[0].split(","))
    n = next(i for i, line in enumerate(lines) if i and '"' not in line)  # a row without quoted fields
    lines[n] = lines[n] + ",extra" if extra > 0 else lines[n].rsplit(",", 1)[0]
    count = fields + extra
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rehash(data_dir)
    assert messages(data_dir) == [
        f"data/curated/events.csv:{n + 1}: expected {fields} fields, as in the header (this row has {count})"
    ]


# J and K: a byte-order mark; bytes that are not UTF-8


def test_a_byte_order_mark_gets_one_clear_message(data_dir):
    path = data_dir / "curated" / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    rehash(data_dir)
    (problem,) = validate_package(data_dir)
    assert (problem.file, problem.line, problem.char) == ("data/curated/events.csv", 1, 1)
    assert "without a byte-order mark" in problem.expected


# E and F: links out of the data folder, missing files, folders in their place


def test_a_curated_file_linked_outside_is_refused_and_never_read(data_dir, tmp_path):
    secret = tmp_path / "secret.csv"
    original = data_dir / "curated" / "events.csv"
    secret.write_text(original.read_text(encoding="utf-8").replace("event_id", "SECRET-CONTENT", 1))
    original.unlink()
    original.symlink_to(secret)
    problems = validate_package(data_dir)
    assert [(p.file, "symbolic link" in p.expected) for p in problems] == [("data/curated/events.csv", True)]
    assert "SECRET" not in "\n".join(map(str, problems))
    with pytest.raises(DataValidationError, match="symbolic link"):
        rehash(data_dir)
    assert cli(data_dir, "rehash") == exitcodes.DATA


def test_an_article_linked_outside_is_refused(data_dir, tmp_path):
    article = next((data_dir / "raw" / "articles").iterdir())
    outside = tmp_path / "outside.txt"
    outside.write_bytes(article.read_bytes())
    article.chmod(0o644)
    article.unlink()
    article.symlink_to(outside)
    (problem,) = [p for p in validate_package(data_dir) if "symbolic link" in p.expected]
    assert problem.file.endswith(article.name)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_missing_table_gives_one_error_naming_it(data_dir, kind, capsys):
    path = data_dir / "curated" / "statements.csv"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    problems = validate_package(data_dir)
    assert [p.file for p in problems] == ["data/curated/statements.csv"]
    assert cli(data_dir, "rehash") == exitcodes.DATA
    err = capsys.readouterr().err
    assert "Traceback" not in err and "statements.csv" in err


# G: an article that is not UTF-8


def test_a_non_utf8_article_is_refused_at_registration(data_dir, tmp_path):
    article = tmp_path / "latin1.txt"
    article.write_bytes("date 2024-05-01\nAmazon invested\nin Anthropic \xe0 nouveau.\n".encode("latin-1"))
    with pytest.raises(RegistrationError, match=r"latin1.txt:3:14: expected UTF-8 text"):
        register_article(article, data_dir, Registration(published=date(2024, 5, 1), precision="day"))


def test_an_article_rewritten_as_non_utf8_is_named_by_line_and_character(data_dir):
    article = next((data_dir / "raw" / "articles").iterdir())
    article.chmod(0o644)
    data = article.read_bytes().replace(b"Anthropic", b"Anthr\xf6pic", 1)
    article.write_bytes(data)
    offset = data.index(b"\xf6")
    line = data.count(b"\n", 0, offset) + 1
    char = offset - data.rfind(b"\n", 0, offset)
    found = [p for p in validate_package(data_dir) if p.expected.startswith("UTF-8")]
    assert [(p.line, p.char) for p in found] == [(line, char)]


def test_no_problem_message_names_an_absolute_path(data_dir):
    os.chdir(data_dir.parent)
    (data_dir / "curated" / "events.csv").unlink()
    assert all(not p.file.startswith("/") for p in validate_package(data_dir))
