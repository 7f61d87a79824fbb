"""Read datapackage.json defensively: every fault named by line and character, before anything uses it."""

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import DESCRIPTOR_NAME, curated_dir, display
from .files import file_problem
from .problems import Problem, utf8_problem
from .registry import REQUIRED_RESOURCES

if TYPE_CHECKING:  # for the annotations only: reading the data (a dry run, the notebook) never checks the contract
    import jsonschema

CONTRACT = Path(__file__).with_name("datapackage.schema.json")


@cache
def contract() -> "jsonschema.protocols.Validator":
    """A validator for the parts of the descriptor aiinvest relies on."""
    import jsonschema  # imported here: 0.05 s, which loading data already validated never needs

    schema = json.loads(CONTRACT.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def checked_descriptor(data_dir: Path) -> tuple[dict | None, list[Problem]]:
    """The descriptor, or None with the problems that make it unusable."""
    path = curated_dir(data_dir) / DESCRIPTOR_NAME
    file = display(path)
    if problem := file_problem(path, Path(data_dir), "the data package descriptor"):
        return None, [problem]
    data = path.read_bytes()
    if problem := utf8_problem(data, file):
        return None, [problem]
    text = data.decode("utf-8")
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Problem(file, f"valid JSON ({error.msg})", error.lineno, char=error.colno)]
    problems = [Problem(file, *where) for where in _contract_problems(text)]
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.char or 0))
    names = [r["name"] for r in descriptor["resources"]]
    for name in REQUIRED_RESOURCES:
        if name not in names:
            problems.append(Problem(file, f"a resource named '{name}' (the report reads it)", 1, "resources", char=1))
    for name in {n for n in names if names.count(n) > 1}:
        line, char = _locate(text, ["resources", len(names) - 1 - names[::-1].index(name), "name"])
        problems.append(Problem(file, "each resource name once", line, "resources", name, char))
    return (None if problems else descriptor), problems


@lru_cache(maxsize=32)  # 6 ms a check; a descriptor's text is checked again on every validation and rehash
def _contract_problems(text: str) -> tuple[tuple, ...]:
    """What the contract finds in the descriptor's text: (expected, line, JSON path, value, char) each."""
    return tuple(_schema_problem(error, text) for error in contract().iter_errors(json.loads(text)))


def _schema_problem(error: "jsonschema.ValidationError", text: str) -> tuple:
    path = list(error.absolute_path)
    line, char = _locate(text, path)
    where = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))
    return _expectation(error), line, where or None, None, char


def _expectation(error: "jsonschema.ValidationError") -> str:
    # The schema and the validator's value are the contract's own (a dict, a list), never jsonschema's unset marker.
    schema: dict[str, Any] = error.schema  # type: ignore[assignment]
    value: Any = error.validator_value
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        return f"a '{missing.group(1) if missing else '?'}' entry"
    if error.validator == "pattern" and "description" in schema:
        return f"{schema['description']} (not {error.instance!r})"
    if error.validator == "enum":
        return f"one of {', '.join(map(str, value))} (not {error.instance!r})"
    if error.validator == "type":
        kinds = value
        return f"a JSON {kinds if isinstance(kinds, str) else ' or '.join(kinds)} (not {type(error.instance).__name__})"
    return error.message


def _locate(text: str, path: list) -> tuple[int, int]:
    """Line and character of the value at a JSON path, found by walking its keys and indexes in the text."""
    position = 0
    for step in path:
        if isinstance(step, str):
            match = re.compile(rf'"{re.escape(step)}"\s*:').search(text, position)
            found = match.start() if match else None
        else:
            found = _nth_item(text, position, step)
        if found is None:
            break
        position = found
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _nth_item(text: str, position: int, index: int) -> int | None:
    """Offset of element `index` of the first array opening at or after `position`."""
    start = text.find("[", position)
    if start < 0:
        return None
    depth, count, expecting, i = 0, 0, True, start + 1
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if depth == 0:
            if c == "]":
                return None
            if c == ",":
                count, expecting, i = count + 1, True, i + 1
                continue
            if expecting and count == index:
                return i
            expecting = False
        if c == '"':
            i = _string_end(text, i)
            continue
        depth += c in "{["
        depth -= c in "}]"
        i += 1
    return None


def _string_end(text: str, i: int) -> int:
    """The offset just after the JSON string that opens at i."""
    i += 1
    while i < len(text) and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1
