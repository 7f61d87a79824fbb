"""The review file (issue 21): formulas neutralised and restored exactly; a claim accepted once, whatever its cells."""

import csv
import datetime
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.config import curated_dir
from aiinvest.curate.draft import FORMULA_STARTS, neutralised, read_curated, restored
from aiinvest.curate.register import Registration, register_article


def draft(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "draft", *args])


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[dict]) -> Path:
    """Write a review file back as an analyst's spreadsheet would (every cell as it reads it)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def snapshot(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in curated_dir(data_dir).iterdir()}


# --- formulas ------------------------------------------------------------------------------------------


@given(st.text())
def test_neutralising_is_undone_exactly(cell):
    written = neutralised(cell)
    assert not written.startswith(FORMULA_STARTS)
    assert restored(written) == cell


@given(st.text())
def test_a_cell_that_needs_nothing_is_written_as_it_is(cell):
    if not cell.startswith((*FORMULA_STARTS, "'")):
        assert neutralised(cell) == cell == restored(cell)


FORMULA_ARTICLE = (
    "date 2024-04-02\n"
    'Amazon said: =HYPERLINK("http://example.invalid") was a $4 billion investment in Anthropic.\n'
    "Analysts wrote: -the company raised $7 billion in funding, @Anthropic said.\n"
)


def formula_review(data_dir: Path, tmp_path: Path) -> Path:
    """Register an article whose clauses start with '=' and '-', draft it; the review file's path."""
    article = tmp_path / "formula.txt"
    article.write_text(FORMULA_ARTICLE, encoding="utf-8")
    register_article(article, data_dir, Registration(datetime.date(2024, 4, 2), "day"))
    assert draft(data_dir, "art-002") == exitcodes.OK
    return data_dir.parent / "drafts" / "art-002.csv"


def test_the_review_file_opens_no_formula_and_accepting_restores_the_quote(data_dir, tmp_path, capsys):
    path = formula_review(data_dir, tmp_path)
    raw = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert all(not cell.startswith(FORMULA_STARTS) for row in raw for cell in row)
    rows = rows_of(path)
    investment = next(r for r in rows if r["table"] == "investments")
    assert investment["quote"].startswith("'=HYPERLINK(")
    write_rows(path, [{**r, "decision": "accept" if r is investment else "drop"} for r in rows])
    assert draft(data_dir, "--accept", str(path)) == exitcodes.OK, capsys.readouterr().err
    (added,) = [r for r in read_curated(data_dir).rows["investments"] if r["source_id"] == "art-002"]
    assert added["quote"] == investment["quote"][1:]  # exactly the "'" the draft added is taken away
    assert added["quote"].startswith('=HYPERLINK("http://example.invalid") was a $4 billion investment')


# --- a claim accepted once -----------------------------------------------------------------------------


def test_the_same_row_twice_in_a_review_file_is_refused_naming_both_lines(data_dir, tmp_path, capsys):
    path = formula_review(data_dir, tmp_path)
    rows = rows_of(path)
    investment = next(r for r in rows if r["table"] == "investments")
    decided = [{**r, "decision": "accept" if r is investment else "drop"} for r in rows]
    write_rows(path, [*decided, {**decided[rows.index(investment)], "framing": "tranche", "note": "again"}])
    before = snapshot(data_dir)
    assert draft(data_dir, "--accept", str(path)) == exitcodes.DATA
    err = capsys.readouterr().err
    first, last = rows.index(investment) + 2, len(rows) + 2  # the header is line 1
    assert f"drafts/art-002.csv:{last}: column 'quote'" in err
    assert f"expected each claim accepted once (line {first} has the same source, quote and amount)" in err
    assert snapshot(data_dir) == before


def test_a_row_the_draft_flagged_as_curated_is_refused_whatever_its_other_cells(data_dir, capsys):
    assert draft(data_dir, "art-001") == exitcodes.OK  # art-001's claims are curated already
    path = data_dir.parent / "drafts" / "art-001.csv"
    rows = rows_of(path)
    flagged = next(r for r in rows if r["table"] == "investments" and r["why"].startswith("duplicate:"))
    held = flagged["why"].split()[1]
    changed = {"decision": "accept", "framing": "cumulative", "wording": "total", "fact_id": "a-new-fact"}
    write_rows(path, [{**r, **changed} if r is flagged else {**r, "decision": "drop"} for r in rows])
    before = snapshot(data_dir)
    assert draft(data_dir, "--accept", str(path)) == exitcodes.DATA
    err = capsys.readouterr().err
    line = rows.index(flagged) + 2
    assert f"drafts/art-001.csv:{line}: column 'quote'" in err
    assert f"expected a claim not already curated (investments.csv holds this claim as {held}" in err
    assert "same source, quote and amount; accepted twice?" in err
    assert snapshot(data_dir) == before
