"""Draft claim rows from a registered article for review, then append the rows the analyst accepts.

`draft_article` reads the article of a sources.csv row and writes a review file (by default
drafts/<source_id>.csv beside the data folder): one candidate per dollar amount and per statement
made without a figure, each with every column of its table filled as far as the text allows, a `why`
cell giving the reason for every value, and an empty `decision` cell. The analyst sets each decision
to accept, edit (still being edited) or drop and corrects cells; `accept_review` then appends the
accepted rows with the next free ids, re-records the hashes and validates. On any problem every file
is restored and the problems are raised. Nothing here uses the network: regular expressions only.
"""

import csv
import datetime
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..config import curated_dir, display, raw_dir
from ..data.csvfile import appended_text
from ..data.files import file_problem
from ..data.problems import DataValidationError, Problem, utf8_problem
from ..data.provenance import normalise_whitespace
from ..data.schema import read_descriptor, rehash, resources
from ..data.transaction import Transaction, changing
from ..data.validate import validate_package
from ..exitcodes import CommandError, ExitStatus
from .article_file import ArticleFileError, read_article
from .draft_claims import Candidate, Reader, TooManyCandidates, read_candidates
from .draft_dates import Publication
from .draft_facts import AMOUNT_COLUMNS, ID_COLUMNS, id_prefix, next_ids, number, suggest_facts
from .draft_text import company_names

TABLES = ("investments", "valuations", "funding_totals", "statements")
FIRST_COLUMNS = ("decision", "table", "quote", "why")
DECISIONS = ("accept", "edit", "drop")
_BOM = "\ufeff"
# A cell starting with one of these opens as a formula in a spreadsheet: the review file writes it after a "'",
# and a cell starting with "'" gets one more, so that reading takes exactly one away (docs/curation.md 9.1).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


class DraftError(CommandError):
    """The draft cannot be written or accepted; nothing was changed."""

    exit_status = ExitStatus.DATA


class DraftUsageError(DraftError):
    """The command named an article or file that does not exist, or would overwrite a review file."""

    exit_status = ExitStatus.USAGE


class AcceptError(DataValidationError):
    """Accepting would make the data invalid; every file was restored."""

    def __init__(self, problems: list[Problem], origins: list[str]):
        super().__init__(problems)
        self.origins = origins

    def __str__(self) -> str:
        return "\n".join([super().__str__(), "The appended rows came from:", *self.origins])


@dataclass
class Curated:
    """The curated tables as text: header and rows by table name, and each table's path."""

    headers: dict[str, list[str]]
    rows: dict[str, list[dict]]
    paths: dict[str, Path]


def read_curated(data_dir: Path) -> Curated:
    """Every curated table of the descriptor, read as text cells."""
    headers, rows, paths = {}, {}, {}
    for name, resource in resources(read_descriptor(data_dir)).items():
        paths[name] = curated_dir(data_dir) / resource["path"]
        reader = csv.DictReader(io.StringIO(paths[name].read_text(encoding="utf-8")))
        rows[name] = list(reader)
        headers[name] = list(reader.fieldnames or [])
    return Curated(headers, rows, paths)


def drafts_dir(data_dir: Path) -> Path:
    """Where review files go by default: drafts/ beside the data folder."""
    return Path(os.path.abspath(data_dir)).parent / "drafts"


# --- drafting ------------------------------------------------------------------------------------------


def draft_article(
    data_dir: Path, source_id: str, output: Path | None = None, *, force: bool = False
) -> tuple[Path, list[Candidate]]:
    """Write the review file of one registered article; return its path and the candidates."""
    curated = read_curated(data_dir)
    source = next((row for row in curated.rows["sources"] if row["source_id"] == source_id), None)
    if source is None:
        known = ", ".join(row["source_id"] for row in curated.rows["sources"])
        raise DraftUsageError(f"no article {source_id!r} in sources.csv (register it first; known: {known})")
    output = Path(output or drafts_dir(data_dir) / f"{source_id}.csv")
    refuse_output(output, data_dir, force)
    article = raw_dir(data_dir) / source["file"]
    if problem := file_problem(article, raw_dir(data_dir), f"named by {source_id} in sources.csv"):
        raise DraftError(str(problem))
    try:
        text = read_article(article).decode("utf-8", errors="replace")  # validation refuses an article not UTF-8
    except ArticleFileError as error:
        raise DraftError(str(error)) from None
    try:
        candidates = draft_candidates(curated, source, text)
    except TooManyCandidates as error:
        raise DraftError(f"{source_id}: {error}") from None
    write_review(output, candidates, curated.headers)
    return output, candidates


def refuse_output(output: Path, data_dir: Path, force: bool) -> None:
    """DraftUsageError (64) for a review file inside curated/ or raw/, or an existing file draft did not write."""
    real = Path(os.path.realpath(output))
    for folder in (curated_dir(data_dir), raw_dir(data_dir)):
        if real.is_relative_to(os.path.realpath(folder)):
            raise DraftUsageError(f"{display(output)} is inside {display(folder)}: write review files elsewhere")
    if not (output.exists() or output.is_symlink()):
        return
    if not force:
        raise DraftUsageError(f"{display(output)} exists (it may hold decisions): use --force to overwrite it")
    if output.is_symlink() or not output.is_file() or not _is_review_file(output):
        raise DraftUsageError(
            f"{display(output)} exists and is not a review file written by draft: --force overwrites only those"
        )


def _is_review_file(path: Path) -> bool:
    """True when the file's first line is the header draft writes (decision,table,quote,why,...)."""
    try:
        with path.open("rb") as file:
            first = file.readline(4096)
    except OSError:
        return False
    return first.removeprefix(_BOM.encode()).startswith(",".join(FIRST_COLUMNS).encode() + b",")


def draft_candidates(curated: Curated, source: dict, text: str) -> list[Candidate]:
    """The candidates of an article, numbered and with fact ids suggested."""
    publication = Publication(datetime.date.fromisoformat(source["published_date"]), source["published_date_precision"])
    reader = Reader(
        publication,
        source["source_id"],
        company_names(curated.rows["companies"]),
        {row["company_id"]: row["role"] for row in curated.rows["companies"]},
        {(row["investor_id"], row["investee_id"]) for row in curated.rows["investments"]},
    )
    candidates = read_candidates(text, reader)
    number(candidates, curated.rows)
    suggest_facts(candidates, curated.rows, publication)
    return candidates


def review_columns(headers: dict[str, list[str]]) -> list[str]:
    """decision, table, quote, why, then every column of the drafted tables (each once)."""
    columns = list(FIRST_COLUMNS)
    for table in TABLES:
        columns += [column for column in headers[table] if column not in columns]
    return columns


def review_record(candidate: Candidate, columns: list[str]) -> dict[str, str]:
    """One row of the review file: an empty decision, the table, the cells and the reasons (formulas neutralised)."""
    record = {"decision": "", "table": candidate.table, "why": " | ".join(candidate.why), **candidate.row}
    return {column: neutralised(record.get(column, "")) for column in columns}


def neutralised(cell: str) -> str:
    """The cell as the review file writes it: a "'" before a formula's first character (or before a "'")."""
    return _GUARD + cell if cell.startswith((*FORMULA_STARTS, _GUARD)) else cell


def restored(cell: str) -> str:
    """The cell as it was before `neutralised`: exactly the "'" it added taken away."""
    rest = cell[len(_GUARD) :]
    return rest if cell.startswith(_GUARD) and rest.startswith((*FORMULA_STARTS, _GUARD)) else cell


def write_review(path: Path, candidates: list[Candidate], headers: dict[str, list[str]]) -> None:
    """Write the review file (UTF-8 CSV, one row per candidate in the order of the text)."""
    columns = review_columns(headers)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(review_record(candidate, columns) for candidate in candidates)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # replaced in one step: never half written
    partial.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(partial, path)


def draft_summary(path: Path, candidates: list[Candidate]) -> str:
    """What the draft found, and the next step."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        counts[candidate.table or "no table"] = counts.get(candidate.table or "no table", 0) + 1
    found = ", ".join(f"{table} {n}" for table, n in counts.items()) or "none"
    lines = [f"wrote {display(path)}: {len(candidates)} candidate(s) ({found})"]
    lines += [f"  {note}" for c in candidates if (note := _empty_date_note(c))]
    lines += [
        "next: set each decision to accept, edit or drop (correct any cell; 'why' says where each value comes from),",
        f"then run: aiinvest draft --accept {display(path)}",
    ]
    return "\n".join(lines)


def _empty_date_note(candidate: Candidate) -> str:
    """A line for a date the text gives but the draft could not place ('last September' in a year-dated article)."""
    note = candidate.row.get("date_note", "")
    if not note.endswith("left empty."):
        return ""
    figure = candidate.money.text if candidate.money else ""
    return f"{candidate.row.get(ID_COLUMNS.get(candidate.table, ''), figure)}: {note}"


# --- accepting -----------------------------------------------------------------------------------------


@dataclass
class Accepted:
    """A row marked accept: the review file's line, its table and its cells in the table's column order."""

    line: int
    table: str
    row: dict[str, str]


def accept_review(data_dir: Path, review: Path) -> dict[str, list[str]]:
    """Append the accepted rows of a review file; return the new ids by table.

    One transaction under the data folder's lock. Raises DraftError (nothing changed) for a bad review file
    or data that is invalid already, and AcceptError, after rolling back, when the appended rows would make
    the data invalid; SIGINT, SIGTERM or a crash leave every file as it was.
    """
    data_dir, review = Path(data_dir), Path(review)
    if not review.is_file():
        raise DraftUsageError(f"{review}: no such review file")
    with changing(data_dir) as transaction:
        curated = read_curated(data_dir)
        accepted = accepted_rows(review, curated)
        if not accepted:
            return {}
        if problems := validate_package(data_dir):
            raise DraftError(
                "the curated data is invalid before accepting (review and fix it, then 'make rehash'):\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        _number_accepted(accepted, curated)
        added = _append_validated(data_dir, transaction, review, accepted, curated)
        transaction.commit()
    return added


def accepted_rows(review: Path, curated: Curated) -> list[Accepted]:
    """The rows marked accept; DraftError listing every problem of the review file."""
    file, problems, accepted = display(review), [], []
    reader = csv.DictReader(io.StringIO(review_text(review, file)))
    missing = [c for c in ("decision", "table") if c not in (reader.fieldnames or [])]
    if missing:
        raise DraftError(f"{file}: expected the columns decision and table (missing: {', '.join(missing)})")
    seen: dict[tuple[str, str, str], int] = {}  # the line of each accepted claim, by source, quote and amount
    for read in reader:
        line = reader.line_num
        row = {column: restored(value) if isinstance(value, str) else value for column, value in read.items()}
        found = _row_problems(file, line, row, curated)
        if not found and row["decision"].strip().lower() == "accept":
            table = row["table"].strip()
            cells = {c: (row.get(c) or "").strip() for c in curated.headers[table]}
            found = _repeated(file, Accepted(line, table, cells), seen)
            accepted.append(Accepted(line, table, cells))
        problems += found
    if problems:
        raise DraftError(f"{len(problems)} problem(s) in {file}; nothing was changed:\n" + _listed(problems))
    return accepted


def review_text(review: Path, file: str) -> str:
    """A review file's text: UTF-8, with or without the byte-order mark a spreadsheet adds; else DraftError."""
    data = review.read_bytes()
    if problem := utf8_problem(data, file):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2]:
            expected = "UTF-8 text (the file is UTF-16, as a spreadsheet's 'Unicode text' saves it)"
            problem = Problem(file, expected, 1, char=1)
        raise DraftError(f"{problem}; save it as UTF-8 (a spreadsheet's 'CSV UTF-8'); nothing was changed")
    return data.decode("utf-8").removeprefix(_BOM)


def _listed(problems: list[Problem]) -> str:
    return "\n".join(f"  {problem}" for problem in problems)


def _row_problems(file: str, line: int, row: dict, curated: Curated) -> list[Problem]:
    """A decision for every candidate; an accepted row names a drafted table and fills only its columns."""
    decision = (row.get("decision") or "").strip().lower()
    if decision not in DECISIONS:
        expected = "accept, edit or drop" if decision else "a decision: accept or drop (every candidate needs one)"
        return [Problem(file, expected, line, "decision", row.get("decision") or "")]
    if decision == "edit":
        return [Problem(file, "accept or drop: 'edit' marks a row still being edited", line, "decision", "edit")]
    if decision == "drop":
        return []
    table = (row.get("table") or "").strip()
    if table not in TABLES:
        return [Problem(file, f"one of {', '.join(TABLES)} for an accepted row", line, "table", table)]
    problems = [
        Problem(file, f"an empty cell: {table} has no column {column!r}", line, column, value)
        for column, value in row.items()
        if column not in (*FIRST_COLUMNS, *curated.headers[table]) and (value or "").strip()
    ]
    problems += [Problem(file, f"the column {c!r} of {table}", line) for c in curated.headers[table] if c not in row]
    return problems + _duplicate_problems(file, line, table, row, curated)


def claim_key(table: str, row: dict) -> tuple[str, str, str]:
    """What identifies a claim: source, quote (whitespace normalised), amount (none for a statement)."""
    amount = (row.get(AMOUNT_COLUMNS[table]) or "").strip() if table in AMOUNT_COLUMNS else ""
    return (row.get("source_id") or "").strip(), normalise_whitespace(row.get("quote") or ""), amount


def same_claim(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """The same source and amount, and one quote holding the other (a draft's quote may be a longer clause)."""
    return a[0] == b[0] and a[2] == b[2] and bool(a[1] and b[1]) and (a[1] in b[1] or b[1] in a[1])


def _duplicate_problems(file: str, line: int, table: str, row: dict, curated: Curated) -> list[Problem]:
    """An accepted row whose source, quote and amount a curated claim already has, whatever its other cells say."""
    key = claim_key(table, row)
    for other in TABLES:
        existing = next((r for r in curated.rows[other] if same_claim(claim_key(other, r), key)), None)
        if existing is not None:
            held = f"{other}.csv holds this claim as {existing[ID_COLUMNS[other]]}"
            expected = f"a claim not already curated ({held}: same source, quote and amount; accepted twice?)"
            return [Problem(file, expected, line, "quote", row.get("quote") or "")]
    return []


def _repeated(file: str, accepted: Accepted, seen: dict[tuple[str, str, str], int]) -> list[Problem]:
    """An accepted row whose source, quote and amount an earlier accepted row of the review file has."""
    key = claim_key(accepted.table, accepted.row)
    earlier = next((line for other, line in seen.items() if same_claim(other, key)), None)
    seen.setdefault(key, accepted.line)
    if earlier is None:
        return []
    expected = f"each claim accepted once (line {earlier} has the same source, quote and amount)"
    return [Problem(file, expected, accepted.line, "quote", accepted.row.get("quote") or "")]


def _number_accepted(accepted: list[Accepted], curated: Curated) -> None:
    """Number the accepted rows of each table from its next free id, in the order of the review file."""
    for table, column in ID_COLUMNS.items():
        mine = [a for a in accepted if a.table == table]
        rows = curated.rows[table]
        for item, new in zip(mine, next_ids([r[column] for r in rows], len(mine), id_prefix(table, rows)), strict=True):
            item.row[column] = new


def _append_validated(
    data_dir: Path, transaction: Transaction, review: Path, accepted: list[Accepted], curated: Curated
) -> dict[str, list[str]]:
    """Stage the appended tables and the new hashes, swap them in and validate (the caller commits)."""
    tables = sorted({a.table for a in accepted}, key=TABLES.index)
    origins = []
    for table in tables:
        mine = [a for a in accepted if a.table == table]
        path = curated.paths[table]
        text, lines = appended_text(path.read_text(encoding="utf-8"), curated.headers[table], [a.row for a in mine])
        transaction.write(path, text.encode("utf-8"))
        origins += [f"  {display(path)}:{n} <- {display(review)}:{a.line}" for n, a in zip(lines, mine, strict=True)]
    rehash(data_dir, transaction)
    transaction.apply()
    if problems := validate_package(data_dir):
        raise AcceptError(problems, origins)  # rolled back on the way out
    return {table: [a.row[ID_COLUMNS[table]] for a in accepted if a.table == table] for table in tables}


def accept_summary(added: dict[str, list[str]]) -> str:
    """What was appended, and the next step."""
    if not added:
        return "no candidate is marked accept: nothing appended"
    done = "; ".join(f"{table}.csv: {', '.join(ids)}" for table, ids in added.items())
    return f"appended {done}\nhashes re-recorded and the data package is valid; next: make docs, make report"
