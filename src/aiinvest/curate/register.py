"""Register a new article: copy it into data/raw/, hash it and add its sources row."""

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import curated_dir, display, raw_dir
from ..data.csvfile import appended_text
from ..data.problems import DataValidationError, text_problem
from ..data.provenance import first_sentence
from ..data.schema import read_descriptor, rehash, resources
from ..data.transaction import changing
from ..data.validate import validate_package
from ..exitcodes import CommandError, ExitStatus
from .article_file import ArticleFileError, read_article

ARTICLES = "articles"
FIRST_DATE = date(1900, 1, 1)  # no earlier publication date is plausible for news of the AI race


class RegistrationError(CommandError):
    """The article cannot be registered; the data is left as it was."""

    exit_status = ExitStatus.DATA


class RegistrationUsageError(RegistrationError):
    """An option given to register-article is wrong (a date out of range, an id that is taken)."""

    exit_status = ExitStatus.USAGE


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
    article, data_dir, reg = Path(article), Path(data_dir), registration
    check_published(reg.published)
    data = _article_bytes(article)
    if reg.inferred and not reg.date_note:
        raise RegistrationError("an inferred date needs --date-note saying how it was inferred")
    with changing(data_dir) as transaction:
        sources_path = curated_dir(data_dir) / resources(read_descriptor(data_dir))["sources"]["path"]
        before = sources_path.read_bytes()
        row = _sources_row(article, data, csv.DictReader(io.StringIO(before.decode("utf-8"))), reg)
        transaction.write(raw_dir(data_dir) / row["file"], data, mode=0o444)
        text, _ = appended_text(before.decode("utf-8"), list(row), [row])
        transaction.write(sources_path, text.encode("utf-8"))
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
    source_id = _source_id(reg.source_id, rows)
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


def check_published(published: date) -> None:
    """RegistrationUsageError for a publication date before 1900 or after today."""
    if not FIRST_DATE <= published <= date.today():
        raise RegistrationUsageError(
            f"--published {published.isoformat()}: expected a date from {FIRST_DATE.isoformat()} to today "
            f"({date.today().isoformat()})"
        )


def _article_bytes(article: Path) -> bytes:
    """The article's bytes, after checking its name and kind; RegistrationError saying what is wrong."""
    if bad := [c for c in article.name if unicodedata.category(c) == "Cc"]:
        raise RegistrationError(
            f"{article.name!r}: expected a file name without control characters (found {bad[0]!r}): rename the file"
        )
    try:
        data = read_article(article)
    except ArticleFileError as error:
        raise RegistrationError(str(error)) from None
    if problem := text_problem(data, display(article)):  # UTF-8, no control characters: named in the given file
        raise RegistrationError(str(problem))
    if not first_sentence(data.decode("utf-8")):
        raise RegistrationError(f"{article}: the article holds only its date line: nothing to read")
    return data


def _source_id(given: str | None, rows: list[dict]) -> str:
    """The id given with --id if it is free, else the next art-NNN; a clear error when there is none."""
    taken = {row["source_id"]: row["file"] for row in rows}
    if given in taken:
        raise RegistrationUsageError(
            f"--id {given}: that id is taken in sources.csv (by {taken[given]}); the next free id is {_next_id(rows)}"
        )
    return given or _next_id(rows)


def _next_id(rows: list[dict]) -> str:
    """The number after the highest art-NNN; RegistrationError when it would need four digits."""
    numbers = {int(m.group(1)) for r in rows if (m := re.fullmatch(r"art-(\d+)", r["source_id"]))}
    following = max(numbers, default=-1) + 1
    if following > _LAST_NUMBER:
        free = next((n for n in range(_LAST_NUMBER + 1) if n not in numbers), None)
        hint = f"give a free one with --id (art-{free:03d} is free)" if free is not None else "every id is taken"
        raise RegistrationError(f"no next article id: art-999 is taken and ids have three digits (art-NNN); {hint}")
    return f"art-{following:03d}"


_LAST_NUMBER = 999  # source ids are art-NNN (the descriptor's pattern)
