"""Problems found in the data: where (file, line, column) and what was expected."""

import re
from dataclasses import dataclass

from ..exitcodes import CommandError, ExitStatus

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. HTML forbids them in a document, so
# text holding one would reach the report as an invalid page (and an escape sequence could drive a terminal).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the data.

    `line` is the physical line in the file (1-based), `char` the character on that line (1-based),
    `column` the table column or the JSON path concerned.
    """

    file: str
    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    char: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.char is not None:
            where += f":{self.char}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            parts.append(f"value '{shown}'")
        return ": ".join(parts) + f": expected {self.expected}"


class DataValidationError(CommandError):
    """Raised when the curated data fails validation; carries every problem."""

    exit_status = ExitStatus.DATA

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        files = sorted({p.file for p in problems})
        lines = [f"{len(problems)} problem(s) in {', '.join(files)}:"]
        lines += [f"  {problem}" for problem in problems]
        super().__init__("\n".join(lines))


def line_and_char(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and character of a byte offset (characters counted as UTF-8 decodes them)."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", errors="replace")) + 1


def utf8_problem(data: bytes, file: str) -> Problem | None:
    """A problem when the bytes are not UTF-8 text, located at the first bad byte."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, char = line_and_char(data, error.start)
        byte = data[error.start : error.start + 1].hex()
        return Problem(file, f"UTF-8 text (byte 0x{byte} cannot start or continue a UTF-8 character)", line, char=char)
    return None


def control_problem(text: str, file: str) -> Problem | None:
    """A problem for the first control character in the text (tab, line feed and carriage return are text)."""
    found = CONTROL.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    char = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = f"U+{ord(found.group()):04X}"
    expected = f"text without control characters (character {code} here; tab and line ends are the only ones allowed)"
    return Problem(file, expected, line, char=char)


def text_problem(data: bytes, file: str) -> Problem | None:
    """A problem when the bytes are not UTF-8 text free of control characters, located where it is."""
    return utf8_problem(data, file) or control_problem(data.decode("utf-8"), file)
