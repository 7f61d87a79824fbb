"""Validate the curated data package: Table Schemas (via frictionless), hashes, provenance.

Every problem names the file, the line, the column, the value and what was expected,
and all problems of every file are reported at once.
"""

import copy
import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from filelock import FileLock

from ..config import ENV_CACHE_DIR, ENV_GATED, curated_dir, display, raw_dir, settings
from .csvfile import CsvTable, read_csv
from .dates import iso_date
from .descriptor import checked_descriptor
from .files import file_problem, unnamed_files
from .numbers import EXPECTED, GRAMMAR, is_number
from .problems import DataValidationError, Problem, text_problem
from .provenance import Article, sha256_file
from .registry import SOURCE_DATE, SOURCES, claim_tables, date_groups
from .schema import descriptor_path, resources

__all__ = ["DataValidationError", "Problem", "check_package", "validate_package"]

FIRST_DAY = {"month": "-01", "year": "-01-01"}  # what a month- or year-precision date must end with
GATED_BY_BUILD = ENV_GATED  # set by `aiinvest build` for its kernel
_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_TYPE_HINT = {
    "date": "a real calendar date written YYYY-MM-DD",
    "number": EXPECTED["number"],  # one grammar, one message: numbers.py
    "integer": EXPECTED["integer"],
    "boolean": "true or false",
    "string": "text",
}


def validate_package(data_dir: Path) -> list[Problem]:
    """Every problem in the data package below data_dir; an empty list when it is valid.

    The descriptor is checked first (nothing else can be read without it); then each table's file
    and structure, its schema, its references to other tables, and the rules across tables.
    """
    data_dir = Path(data_dir)
    descriptor, problems = checked_descriptor(data_dir)
    if descriptor is None:
        return problems
    tables, files = {}, {}
    for name, resource in resources(descriptor).items():
        path = curated_dir(data_dir) / resource["path"]
        files[name] = display(path)
        if problem := file_problem(path, curated_dir(data_dir), "it is declared in datapackage.json"):
            problems.append(problem)
            continue
        table, found = read_csv(path, files[name])
        header = _header_problems(table.header, files[name], resource) if table else []
        problems += found + header
        if table is not None and not header:
            tables[name] = table
    problems += _schema_problems(data_dir, descriptor, tables, files)
    problems += _foreign_key_problems(descriptor, tables, files)
    groups = date_groups(descriptor)
    for name, table in tables.items():
        problems += _rule_problems(groups.get(name), files[name], table)
        if name == SOURCES:
            problems += _article_problems(data_dir, files[name], table)
            named = {row.get("file") or "" for _, row in table.numbered()}
            problems += unnamed_files(raw_dir(data_dir), named, files[name])
    problems += _quote_problems(data_dir, descriptor, tables)
    problems += _known_date_problems(descriptor, tables, files)
    if "investments" in tables:
        problems += _framing_problems(files["investments"], tables["investments"])
    if "companies" in tables:
        problems += _company_name_problems(files["companies"], tables["companies"])
    problems += _fact_kind_problems(descriptor, tables, files)
    return problems


def check_package(data_dir: Path, on_started=None) -> None:
    """Raise DataValidationError listing every problem, if there is any.

    A package whose exact bytes (every file, and this validator) passed before is not
    validated again: the SHA-256 of every file is checked on each call instead. A lock per
    digest lets concurrent callers (a build and its kernel, parallel builds) validate once.
    on_started, if given, is called once this call holds the lock or has found the result.
    """
    digest = package_digest(data_dir)
    if settings().gated_digest == digest:
        return  # a build is validating exactly these bytes and publishes nothing unless they pass
    marker = _cache_dir() / f"{digest}.valid"
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(marker.with_suffix(".lock"))
        lock.acquire()
    except OSError as error:  # an unwritable cache: validate all the same, remembering nothing
        _cache_unusable(error)
        lock = None
    try:
        if on_started:
            on_started()
        if lock is not None and marker.exists():
            return
        problems = validate_package(data_dir)
        if problems:
            raise DataValidationError(problems)
        _remember(marker)
    finally:
        if lock is not None:
            lock.release()


def _remember(marker: Path) -> None:
    """Record a pass in the cache; where the cache cannot be written, warn once and go on without it."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError as error:
        _cache_unusable(error)


def _cache_unusable(error: OSError) -> None:
    """Warn, on standard error, that validation results cannot be cached (every validation runs in full)."""
    _warn_once(
        f"warning: cannot write the validation cache {display(settings().cache_dir)} ({error.strerror}); "
        f"validating without it (set {ENV_CACHE_DIR} to a writable folder)"
    )


@functools.cache  # each warning once per process
def _warn_once(message: str) -> None:
    print(message, file=sys.stderr)


VALIDATOR_LIBRARIES = ("frictionless",)  # with their own requirements, as installed


def validator_fingerprint() -> str:
    """What a validation result depends on besides the data: the data package's code, the libraries' versions."""
    digest = hashlib.sha256(library_versions().encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):  # the whole data stage: rules, schema, registry
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache  # 0.15 s of metadata look-ups; what is installed does not change while a process runs
def library_versions() -> str:
    """Python's version, and each validator library's with everything it requires, as installed."""
    lines = [sys.version]
    seen: set[str] = set()
    pending = list(VALIDATOR_LIBRARIES)
    while pending:
        name = pending.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        lines.append(f"{key}=={dist.version}")
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                pending.append(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    return "\n".join(lines)


def package_digest(data_dir: Path) -> str:
    """One SHA-256 over the validator (code and library versions) and every file of the data package."""
    digest = hashlib.sha256(validator_fingerprint().encode())
    for root in (curated_dir(data_dir), raw_dir(data_dir)):
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest()


def _cache_dir() -> Path:
    return settings().cache_dir / "validated"


def _schema_problems(data_dir: Path, descriptor: dict, tables: dict[str, CsvTable], files: dict) -> list[Problem]:
    """Frictionless's problems, then every number written other than as the loader reads it (one per cell)."""
    found = list(_frictionless_problems(data_dir, descriptor, tables))
    reported = {(p.file, p.line, p.column) for p in found}
    found += [p for p in _number_problems(descriptor, tables, files) if (p.file, p.line, p.column) not in reported]
    return found


def _number_problems(descriptor: dict, tables: dict[str, CsvTable], files: dict) -> Iterator[Problem]:
    """Each non-empty cell of an integer or number column follows the one number grammar (`numbers`)."""
    for name, resource in resources(descriptor).items():
        kinds = {f["name"]: f["type"] for f in resource["schema"]["fields"] if f["type"] in GRAMMAR}
        for line, row in tables[name].numbered() if kinds and name in tables else []:
            for column, kind in kinds.items():
                value = row.get(column) or ""
                if value and not is_number(value, kind):
                    yield Problem(files[name], EXPECTED[kind], line, column, value)


def _frictionless_problems(data_dir: Path, descriptor: dict, tables: dict[str, CsvTable]) -> Iterator[Problem]:
    """Types, constraints, keys and hashes of the readable tables, each error on its physical line.

    A table whose exact bytes, resource entry and package-level entries passed before (with this
    validator) is not given to Frictionless again: editing one table re-checks that table only.
    """
    sound = copy.deepcopy(descriptor)
    sound["resources"] = [r for r in sound["resources"] if r["name"] in tables]
    for resource in sound["resources"]:
        resource["schema"].pop("foreignKeys", None)  # checked by _foreign_key_problems, which knows lines
    declared = resources(descriptor)
    package = hashlib.sha256(validator_fingerprint().encode())
    package.update(json.dumps({k: v for k, v in sound.items() if k != "resources"}, sort_keys=True).encode())
    passed = {r["name"]: _passed_marker(package.copy(), r, curated_dir(data_dir)) for r in sound["resources"]}
    # Resource names are unique here (checked_descriptor refuses a repeated one), so each table stands alone.
    sound["resources"] = [r for r in sound["resources"] if not passed[r["name"]].exists()]
    if not sound["resources"]:
        return
    import frictionless  # imported here: 0.5 s, which a cached result and the build process never need

    file = display(descriptor_path(data_dir))
    try:
        report = frictionless.Package(sound, basepath=str(curated_dir(data_dir))).validate()
    except frictionless.FrictionlessException as failure:  # the descriptor breaks the Data Package standard
        reasons = "; ".join(r.note for r in failure.reasons) or failure.error.note
        yield Problem(file, f"a valid data package descriptor ({reasons})")
        return
    for error in report.errors:
        yield Problem(file, f"a valid data package descriptor ({error.note})")
    for task in report.tasks:
        resource = declared[task.name]
        table, path = tables[task.name], curated_dir(data_dir) / resource["path"]
        for table_error in task.errors:
            yield _translate(table_error, display(path), resource, table)
        if task.valid and not table.rows:
            yield Problem(display(path), "at least one data row (the table is empty)")
        elif task.valid and not report.errors:
            _remember(passed[task.name])


def _passed_marker(package, resource: dict, root: Path) -> Path:
    """Where a pass of one table is recorded: the package hash (validator, own entries), its entry and bytes."""
    package.update(json.dumps(resource, sort_keys=True).encode())
    package.update(sha256_file(root / resource["path"]).encode())
    return _cache_dir() / "tables" / f"{package.hexdigest()}.valid"


def _foreign_key_problems(descriptor: dict, tables: dict[str, CsvTable], files: dict) -> Iterator[Problem]:
    """Every reference to another table names a row that exists there (empty cells refer to nothing)."""
    for name, resource in resources(descriptor).items():
        table = tables.get(name)
        if table is None:
            continue  # unreadable: reported there
        for key in resource["schema"].get("foreignKeys", []):
            fields, reference = _names(key["fields"]), key["reference"]
            target_name = reference.get("resource") or name
            target = tables.get(target_name)
            if target is None:
                continue  # unreadable: reported there
            target_fields = _names(reference["fields"])
            empty, target_empty = ("",) * len(fields), ("",) * len(target_fields)  # a missing cell reads as empty
            existing = {tuple(map(row.get, target_fields, target_empty)) for row in target.rows}
            for line, row in table.numbered():
                values = tuple(map(row.get, fields, empty))  # row.get(f, "") for each field, without a generator
                if all(values) and values not in existing:
                    yield Problem(
                        files[name],
                        f"an existing {target_name}.{'/'.join(target_fields)} (no such row)",
                        line,
                        "/".join(fields),
                        "/".join(values),
                    )


def _names(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def _header_problems(header: list[str], file: str, resource: dict) -> list[Problem]:
    """Missing, unknown or reordered columns, matched by name rather than position."""
    expected = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
    if not header or header == expected:
        return []
    problems = [
        Problem(file, "this column in the header (it is missing)", 1, name) for name in expected if name not in header
    ]
    problems += [
        Problem(file, f"only the columns {', '.join(expected)} (unknown column)", 1, name)
        for name in header
        if name not in expected
    ]
    if not problems:
        problems.append(Problem(file, f"the columns in the order {', '.join(expected)}", 1))
    return problems


def _translate(error, file: str, resource: dict, table: CsvTable) -> Problem:
    """Turn one frictionless error into a Problem with a plain expectation, on the record's physical line."""
    fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
    kind = error.type
    record = getattr(error, "row_number", None)
    line = None if record is None else table.line_of_record(record)
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    if kind == "scheme-error":
        return Problem(file, "the file to exist (it is declared in datapackage.json)")
    if kind == "encoding-error":
        return Problem(file, f"UTF-8 text ({error.note})")
    if kind == "source-error":
        return Problem(file, f"a CSV table with a header row ({error.note})")
    if kind == "hash-count":
        return Problem(
            file,
            "the SHA-256 recorded in datapackage.json; the file changed since it was "
            f"reviewed ({error.note}). After reviewing the edit, run 'make rehash'",
        )
    if kind == "type-error":
        expected = _TYPE_HINT.get(fields.get(column, {}).get("type"), "a value of the right type")
        return Problem(file, expected, line, column, value)
    if kind == "constraint-error":
        return Problem(file, _constraint_text(error.note, fields.get(column, {})), line, column, value)
    if kind == "primary-key":
        key = resource["schema"]["primaryKey"]
        cells = getattr(error, "cells", [])
        names = [f["name"] for f in resource["schema"]["fields"]]
        shown = ", ".join(cells[names.index(k)] for k in key if k in names and names.index(k) < len(cells))
        return Problem(file, f"a unique {'/'.join(key)} ({error.note})", line, "/".join(key), shown)
    if kind == "foreign-key":
        names = getattr(error, "field_names", None) or []
        cells = getattr(error, "field_cells", None) or []
        ref = getattr(error, "reference_name", "") or "the referenced table"
        ref_fields = getattr(error, "reference_field_names", None) or []
        return Problem(
            file,
            f"an existing {ref}.{'/'.join(ref_fields)} (no such row)",
            line,
            "/".join(names) or None,
            "/".join(str(c) for c in cells) or None,
        )
    return Problem(file, f"{error.title.lower()}: {error.note or error.message}", line, column, value)


def _constraint_text(note: str, field: dict) -> str:
    match = _CONSTRAINT.search(note or "")
    name = match.group(1) if match else ""
    limit = field.get("constraints", {}).get(name)
    texts = {
        "required": lambda: "a value (the column is required)",
        "enum": lambda: f"one of {', '.join(map(str, limit))}",
        "exclusiveMinimum": lambda: f"a number greater than {limit:g}",
        "minimum": lambda: f"a number of at least {limit:g}",
        "maximum": lambda: f"a number of at most {limit:g}",
        "pattern": lambda: f"text matching the pattern {limit}",
        "minLength": lambda: f"at least {limit} characters",
        "maxLength": lambda: f"at most {limit} characters",
    }
    if name in texts and limit is not None:
        return texts[name]()
    return f"a value satisfying {note}"


def _rule_problems(group: tuple[str, str, str] | None, file: str, table: CsvTable) -> Iterator[Problem]:
    """Cross-column rules a Table Schema cannot express."""
    if not group:
        return
    date_col, precision_col, inferred_col = group
    for line, row in table.numbered():
        date, precision = row.get(date_col) or "", row.get(precision_col) or ""
        if date and not precision:
            yield Problem(file, f"a precision for {date_col} (day, month or year)", line, precision_col, "")
        if precision and not date:
            yield Problem(file, f"an empty precision when {date_col} is empty", line, precision_col, precision)
        if date and precision in FIRST_DAY and not date.endswith(FIRST_DAY[precision]):
            yield Problem(
                file,
                f"the first day of the {precision} (YYYY{FIRST_DAY[precision]}) for a {precision}-precision date",
                line,
                date_col,
                date,
            )
        if row.get(inferred_col) == "true" and not (row.get("date_note") or "").strip():
            yield Problem(file, f"a date_note explaining how {date_col} was inferred", line, "date_note", "")


def _article_problems(data_dir: Path, file: str, table: CsvTable) -> Iterator[Problem]:
    """Each article is a UTF-8 file inside data/raw/ and still has the SHA-256 recorded for it."""
    for line, row in table.numbered():
        article = raw_dir(data_dir) / (row.get("file") or "")
        if not row.get("file"):
            yield Problem(file, "the article's file name under data/raw/", line, "file", "")
            continue
        if problem := file_problem(article, raw_dir(data_dir), f"named on line {line} of {file}"):
            yield problem
            continue
        if problem := text_problem(article.read_bytes(), display(article)):
            yield problem
        actual = sha256_file(article)
        if actual != row.get("sha256"):
            yield Problem(
                file,
                f"the SHA-256 of {display(article)}, which is {actual}: the article changed (data/raw/ is immutable)",
                line,
                "sha256",
                row.get("sha256"),
            )


def _quote_problems(data_dir: Path, descriptor: dict, tables: dict[str, CsvTable]) -> Iterator[Problem]:
    """Every quote occurs verbatim (whitespace-normalised) in the article it cites."""
    texts = {}
    for row in tables[SOURCES].rows if SOURCES in tables else []:
        article = raw_dir(data_dir) / (row.get("file") or "")
        if row.get("file") and not file_problem(article, raw_dir(data_dir), ""):
            texts[row["source_id"]] = Article(article.read_text(encoding="utf-8", errors="replace"))
    for name, resource in resources(descriptor).items():
        if "quote" not in {f["name"] for f in resource["schema"]["fields"]}:
            continue
        file = display(curated_dir(data_dir) / resource["path"])
        for line, row in tables[name].numbered() if name in tables else []:
            text = texts.get(row.get("source_id"))
            quote = row.get("quote") or ""
            if text is not None and quote and not text.contains(quote):
                yield Problem(
                    file,
                    f"a verbatim quote from source {row['source_id']} (not found in its article)",
                    line,
                    "quote",
                    quote,
                )


def _known_date_problems(descriptor: dict, tables: dict, files: dict[str, str]) -> Iterator[Problem]:
    """A claim cannot describe a date after its source was published (when the claim became known).

    A source known only to the month or year counts as published on the period's first day (as the
    as-of filter reads it), so its claims may not be dated later: a report as of that day holds them.
    """
    sources = tables[SOURCES].rows if SOURCES in tables else []
    published = {row.get("source_id"): row.get(SOURCE_DATE) for row in sources if row.get(SOURCE_DATE)}
    for claim in claim_tables(descriptor):
        for line, row in tables[claim.name].numbered() if claim.name in tables else []:
            date, limit = row.get(claim.date) or "", published.get(row.get("source_id"))
            if date and limit and iso_date(date) is not None and date > limit:
                yield Problem(
                    files[claim.name],
                    f"a date on or before its source's publication ({limit} for {row['source_id']}, the first day "
                    "of its period): a claim describes what was known when it was published",
                    line,
                    claim.date,
                    date,
                )


def _framing_problems(file: str, table: CsvTable) -> Iterator[Problem]:
    """Claims sharing an investment fact_id describe one fact: one investor, one investee, one framing."""
    first: dict[str, tuple[int, dict]] = {}
    for line, row in table.numbered():
        fact = row.get("fact_id") or ""
        if fact not in first:
            first[fact] = (line, row)
            continue
        line0, row0 = first[fact]
        for column in ("investor_id", "investee_id"):
            if row.get(column) != row0.get(column):
                yield Problem(
                    file,
                    f"the {column} of the same fact on line {line0} ({row0.get(column)})",
                    line,
                    column,
                    row.get(column),
                )
        framings = {row.get("framing"), row0.get("framing")}
        if framings == {"tranche", "cumulative"}:
            yield Problem(
                file,
                f"the framing of the same fact on line {line0} ({row0.get('framing')}): one fact is either a "
                "tranche or a running total (use another fact_id, or framing unknown)",
                line,
                "framing",
                row.get("framing"),
            )


def _company_name_problems(file: str, table: CsvTable) -> Iterator[Problem]:
    """Company names are unique ignoring case and spacing: 'Amazon' and 'AMAZON' would be one name in the text."""
    first: dict[str, tuple[int, str]] = {}
    for line, row in table.numbered():
        name = row.get("name") or ""
        key = " ".join(name.split()).casefold()
        if key and key in first:
            line0, name0 = first[key]
            expected = f"a name no other company has, ignoring case (line {line0} is {name0!r})"
            yield Problem(file, expected, line, "name", name)
        first.setdefault(key, (line, name))


def _fact_kind_problems(descriptor: dict, tables: dict[str, CsvTable], files: dict[str, str]) -> Iterator[Problem]:
    """A fact id names one kind of claim: a valuation reusing an investment's fact id is a false disagreement."""
    first: dict[str, tuple[str, int]] = {}
    for name, resource in resources(descriptor).items():
        if name not in tables or "fact_id" not in {f["name"] for f in resource["schema"]["fields"]}:
            continue
        for line, row in tables[name].numbered():
            fact = row.get("fact_id") or ""
            table0, line0 = first.setdefault(fact, (name, line))
            if fact and table0 != name:
                expected = f"a fact id of {name} only (line {line0} of {files[table0]} uses it for {table0})"
                yield Problem(files[name], expected, line, "fact_id", fact)
