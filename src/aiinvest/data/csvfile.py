"""Read a curated CSV as the validator needs it: every row with the physical line it starts on.

Structural faults (encoding, byte-order mark, an unterminated quote, a row with the wrong number
of fields) are reported here, at the line and character where they are, before any schema check:
a schema check would only report their symptoms, on record numbers rather than lines.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, text_problem

BOM = b"\xef\xbb\xbf"


@dataclass
class CsvTable:
    """A CSV's header and rows (as strings), with the physical line each record starts on."""

    header: list[str]
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # lines[i]: where rows[i] starts
    record_lines: list[int] = field(default_factory=list)  # where each record after the header starts, blanks too

    def numbered(self):
        """(line, row) pairs."""
        return zip(self.lines, self.rows, strict=True)

    def line_of_record(self, record: int) -> int:
        """The physical line of a record number as frictionless counts them (the header is record 1)."""
        if record <= 1 or not self.record_lines:
            return 1
        return self.record_lines[min(record - 2, len(self.record_lines) - 1)]


def read_csv(path: Path, file: str) -> tuple[CsvTable | None, list[Problem]]:
    """The table, or None and the problems that make it unreadable as a table."""
    data = Path(path).read_bytes()
    if data.startswith(BOM):
        return None, [
            Problem(
                file,
                "UTF-8 text without a byte-order mark (the file starts with one, as Excel's 'CSV UTF-8' "
                "writes; save it as plain CSV, or delete its first three bytes)",
                1,
                char=1,
            )
        ]
    if problem := text_problem(data, file):
        return None, [problem]
    text = data.decode("utf-8")
    if not text.strip():
        return None, [Problem(file, "a CSV table with a header row (the file is empty)")]
    return _records(text, file)


def _records(text: str, file: str) -> tuple[CsvTable | None, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # lines end at \n, \r\n or \r only
    table, problems, start = None, [], 1
    try:
        for record in reader:
            if table is None:
                table = CsvTable(header=record)
                start = reader.line_num + 1
                continue
            table.record_lines.append(start)
            if record and len(record) != len(table.header):
                problems.append(
                    Problem(file, f"{len(table.header)} fields, as in the header (this row has {len(record)})", start)
                )
            elif record:
                table.rows.append(dict(zip(table.header, record, strict=True)))
                table.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        opened = _spanning_quote(text, start)
        if opened:
            expected = "a closing double quote for the field that opens here (it runs on past the end of the line)"
            problems.append(Problem(file, expected, opened[0], char=opened[1]))
        elif "field larger than field limit" in str(error):  # csv's own limit, not a quoting fault
            problems.append(Problem(file, LONG_FIELD, reader.line_num))
        else:
            expected = f"well-formed CSV ({error}): a field holding a double quote is quoted, the quote doubled"
            problems.append(Problem(file, expected, reader.line_num))
        return None, problems
    problems += _long_fields(table, file)
    return (None if problems else table), problems


# Python's csv reader takes fields of at most 131,072 characters by default, a limit other libraries (Frictionless)
# raise for the whole process: the same limit is applied here whatever they did, so a table reads the same anywhere.
FIELD_LIMIT = 131_072
LONG_FIELD = f"fields of at most {FIELD_LIMIT:,} characters (a field here is longer)"


def _long_fields(table: CsvTable | None, file: str) -> list[Problem]:
    """A problem for each row holding a field longer than FIELD_LIMIT."""
    rows = zip(table.lines, table.rows, strict=True) if table else ()
    return [Problem(file, LONG_FIELD, line) for line, row in rows if any(len(v) > FIELD_LIMIT for v in row.values())]


def _spanning_quote(text: str, line: int) -> tuple[int, int] | None:
    """Line and character of the first quoted field, in the record starting on `line`, that crosses a line end."""
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    inside, opened, at_field_start, char = False, None, True, 0
    i = offset
    while i < len(text):
        c = text[i]
        char += 1
        if inside and c == "\n":
            return opened
        if inside and c == '"':
            if text[i + 1 : i + 2] == '"':
                i, char = i + 2, char + 1  # a doubled quote inside a quoted field
                continue
            inside = False
        elif not inside and c == '"' and at_field_start:
            inside, opened = True, (line, char)
        elif not inside and c == "\n":
            return None  # the record ended on its first line
        at_field_start = not inside and c == ","
        i += 1
    return None


def appended_text(existing: str, header: list[str], rows: list[dict]) -> tuple[str, list[int]]:
    """A CSV's text with rows appended in its column order, and the line each appended row starts on."""
    text = existing if existing.endswith("\n") or not existing else existing + "\n"
    line, lines, out = text.count("\n") + 1, [], io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    for row in rows:
        lines.append(line + out.getvalue().count("\n"))
        writer.writerow(row)
    return text + out.getvalue(), lines
