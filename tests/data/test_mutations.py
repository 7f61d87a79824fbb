"""Random damage to valid data: validation never crashes, and every message points at a real place.

Mutations of the curated CSVs and of the descriptor: bytes changed, inserted or cut; quotes and
separators added; text re-encoded or given a byte-order mark; numbers and dates replaced by words;
descriptor entries deleted or given the wrong type. With the hashes left as they were, every
mutation must be reported (status 65); re-hashed, a harmless one may pass, but any message must
name a file that exists, a line within it and a character within that line.
"""

import contextlib
import json
import re
import shutil
import tempfile
from pathlib import Path

from fixtures import SEED_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.data.schema import rehash
from aiinvest.data.validate import DataValidationError, validate_package

CSVS = sorted(p.name for p in (SEED_DIR / "curated").glob("*.csv"))
EXAMPLES = max(3, settings.default.max_examples // 4)  # each example validates a whole package (~0.3 s)


@st.composite
def byte_edits(draw, data: bytes) -> bytes:
    """One edit of raw bytes: replace, insert or cut."""
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    kind = draw(st.sampled_from(["replace", "insert", "cut", "truncate"]))
    if kind == "replace":
        return data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at + 1 :]
    if kind == "insert":
        token = draw(st.sampled_from([b'"', b",", b"\n", b'""', b"\r", b"\x00", b"\xff", b"\xc3", b"\t"]))
        return data[:at] + token + data[at:]
    if kind == "cut":
        return data[:at] + data[at + draw(st.integers(1, 40)) :]
    return data[:at]


@st.composite
def text_edits(draw, data: bytes) -> bytes:
    """One edit that keeps the text readable: encodings, a BOM, numbers or dates made words."""
    text = data.decode("utf-8")
    kind = draw(st.sampled_from(["latin-1", "utf-16", "bom", "number", "date", "field"]))
    if kind in ("latin-1", "utf-16"):
        return (text.replace("a", "ä", 1) if kind == "latin-1" else text).encode(kind, errors="replace")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    lines = text.splitlines(keepends=True)
    n = draw(st.integers(1, max(len(lines) - 1, 1)))
    line = lines[n] if n < len(lines) else ""
    if kind == "number":
        line = re.sub(r"\b\d{6,}\b", draw(st.sampled_from(["4 billion", "$4B", "-1", "1e999"])), line, count=1)
    elif kind == "date":
        line = re.sub(r"\d{4}-\d{2}-\d{2}", draw(st.sampled_from(["2024-02-30", "March", "9999"])), line, count=1)
    else:
        line = line.replace(",", ",,", 1) if draw(st.booleans()) else line.replace(",", "", 1)
    lines[n : n + 1] = [line]
    return "".join(lines).encode("utf-8")


@st.composite
def descriptor_edits(draw, data: bytes) -> bytes:
    """Delete an entry, or give it the wrong type, somewhere in the descriptor."""
    descriptor = json.loads(data)
    node, path = descriptor, []
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    if not path:
        return draw(byte_edits(data))
    parent = descriptor
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(st.sampled_from([None, 7, "text", [], {}]))
    return json.dumps(descriptor, indent=2).encode("utf-8")


@st.composite
def damage(draw):
    """(file name, new bytes, whether to re-record the hashes)."""
    name = draw(st.sampled_from([*CSVS, "datapackage.json"]))
    data = (SEED_DIR / "curated" / name).read_bytes()
    if name == "datapackage.json":
        edit = draw(st.one_of(byte_edits(data), descriptor_edits(data)))
    else:
        edit = draw(st.one_of(byte_edits(data), text_edits(data)))
    return name, edit, name != "datapackage.json" and draw(st.booleans())


def check_points_at_real_places(problems) -> None:
    for problem in problems:
        path = Path(problem.file)
        assert path.is_file() or path.parent.exists(), problem
        if problem.line is None or not path.is_file():
            continue
        lines = path.read_bytes().split(b"\n")
        assert 1 <= problem.line <= len(lines), problem
        if problem.char is not None:
            assert 1 <= problem.char <= len(lines[problem.line - 1]) + 1, problem


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(change=damage())
def test_damaged_data_is_reported_precisely_and_never_crashes(change):
    name, data, rehashed = change
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(SEED_DIR, data_dir, ignore=shutil.ignore_patterns("README.md"))
        (data_dir / "curated" / name).write_bytes(data)
        if rehashed:
            with contextlib.suppress(DataValidationError):  # unhashable: validation says why below
                rehash(data_dir)
        problems = validate_package(data_dir)
        if name != "datapackage.json" and data != (SEED_DIR / "curated" / name).read_bytes() and not rehashed:
            assert problems, "an edit that is not re-hashed is always reported"
        check_points_at_real_places(problems)
        status = main(["--data-dir", str(data_dir), "validate"])
        assert status == (exitcodes.DATA if problems else exitcodes.OK)
