"""Register a new article: copy it into data/raw/, hash it and add its sources row."""

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import curated_dir, display, raw_dir
from ..data.problems import DataValidationError, utf8_problem
from ..data.provenance import first_sentence
from ..data.schema import read_descriptor, rehash, resources
from ..data.transaction import changing
from ..data.validate import validate_package
from ..exitcodes import CommandError, ExitStatus

ARTICLES = "articles"


class RegistrationError(CommandError):
    """The article cannot be registered; the data is left as it was."""

    exit_status = ExitStatus.DATA


@dataclass(frozen=True)
class Registration:
    """What the curator says about an article: its publication date, and the optional cells of its sources row."""

    published: date
    precision: str  # day, month or year
    inferred: bool = False
    date_note: str | None = None  # required when inferred; default "Stated in the article."
    source_id: str | None = None  # default: the next art-NNN
    title: str | None = None  # default: the article's first sentence
    publisher: str = ""
    url: str = ""


def stored_name(source_id: str, digest: str) -> str:
    """An article's file name in data/raw/articles/: its id's number and the first 16 hex digits of its SHA-256,
    '002_' + 16 hex digits + '.txt' for art-002 (the user's own file name is not kept). The two seed articles'
    names keep a suffix that predates this rule; their sha256 in sources.csv is what identifies them."""
    return f"{source_id.removeprefix('art-')}_{digest[:16]}.txt"


def register_article(article: Path, data_dir: Path, registration: Registration) -> dict:
    """Copy the article into data/raw/articles/ as NNN_<hash>.txt, record its sources row; return that row.

    One transaction under the data folder's lock: the article, sources.csv and the descriptor change together
    or not at all (a problem, SIGINT, SIGTERM or a crash leaves the data as it was).
    """
    article, data_dir = Path(article), Path(data_dir)
    if not article.is_file():
        raise RegistrationError(f"{article}: no such file")
    data = article.read_bytes()
    if problem := utf8_problem(data, display(article)):
        raise RegistrationError(str(problem))
    if registration.inferred and not registration.date_note:
        raise RegistrationError("an inferred date needs --date-note saying how it was inferred")
    with changing(data_dir) as transaction:
        sources_path = curated_dir(data_dir) / resources(read_descriptor(data_dir))["sources"]["path"]
        before = sources_path.read_bytes()
        row = _sources_row(article, data, csv.DictReader(io.StringIO(before.decode("utf-8"))), registration)
        transaction.write(raw_dir(data_dir) / row["file"], data, mode=0o444)
        transaction.write(sources_path, _appended(before, row))
        rehash(data_dir, transaction)
        transaction.apply()
        if problems := validate_package(data_dir):
            raise DataValidationError(problems)  # rolled back on the way out
        transaction.commit()
    return row


def _sources_row(article: Path, data: bytes, rows: Iterable[dict], reg: Registration) -> dict:
    """The new sources row (its file name in data/raw/ included); RegistrationError if it cannot be."""
    rows = list(rows)
    digest = hashlib.sha256(data).hexdigest()
    if already := next((row["source_id"] for row in rows if row["sha256"] == digest), None):
        raise RegistrationError(f"{article}: already registered as {already}")
    source_id = reg.source_id or _next_id(rows)
    # An id that is not art-NNN fails validation; its file takes the next number meanwhile, never a path.
    name_id = source_id if re.fullmatch(r"art-\d+", source_id) else _next_id(rows)
    target = Path(ARTICLES) / stored_name(name_id, digest)
    return {
        "source_id": source_id,
        "file": target.as_posix(),
        "sha256": digest,
        "title": reg.title or first_sentence(data.decode("utf-8")),
        "published_date": reg.published.isoformat(),
        "published_date_precision": reg.precision,
        "published_date_inferred": "true" if reg.inferred else "false",
        "date_note": reg.date_note or "Stated in the article.",
        "publisher": reg.publisher,
        "url": reg.url,
    }


def _next_id(rows: list[dict]) -> str:
    numbers = [int(m.group(1)) for r in rows if (m := re.fullmatch(r"art-(\d+)", r["source_id"]))]
    return f"art-{max(numbers, default=-1) + 1:03d}"


def _appended(existing: bytes, row: dict) -> bytes:
    """sources.csv's bytes with the row appended (after a final newline, added if missing)."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n").writerow(row)
    separator = b"" if existing.endswith(b"\n") or not existing else b"\n"
    return existing + separator + buffer.getvalue().encode("utf-8")
