"""Register a new article: copy it into data/raw/, hash it and add its sources row."""

import csv
import io
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import curated_dir, display, raw_dir
from ..data.problems import DataValidationError, utf8_problem
from ..data.provenance import first_sentence, sha256_file
from ..data.schema import read_descriptor, rehash, resources, write_descriptor
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
    """Copy the article into data/raw/articles/ as NNN_<hash>.txt, record its sources row; return that row."""
    article, data_dir, reg = Path(article), Path(data_dir), registration
    if not article.is_file():
        raise RegistrationError(f"{article}: no such file")
    data = article.read_bytes()
    if problem := utf8_problem(data, display(article)):
        raise RegistrationError(str(problem))
    sources_path = curated_dir(data_dir) / resources(read_descriptor(data_dir))["sources"]["path"]
    rows = list(csv.DictReader(sources_path.open(encoding="utf-8", newline="")))
    digest = sha256_file(article)
    if already := next((row["source_id"] for row in rows if row["sha256"] == digest), None):
        raise RegistrationError(f"{article}: already registered as {already}")
    if reg.inferred and not reg.date_note:
        raise RegistrationError("an inferred date needs --date-note saying how it was inferred")
    source_id = reg.source_id or _next_id(rows)
    # An id that is not art-NNN fails validation below; its file takes the next number meanwhile, never a path.
    name_id = source_id if re.fullmatch(r"art-\d+", source_id) else _next_id(rows)
    target = raw_dir(data_dir) / ARTICLES / stored_name(name_id, digest)
    if target.exists():
        raise RegistrationError(f"{display(target)} exists already and data/raw/ is immutable: is it a leftover?")
    row = {
        "source_id": source_id,
        "file": f"{ARTICLES}/{target.name}",
        "sha256": digest,
        "title": reg.title or first_sentence(data.decode("utf-8")),
        "published_date": reg.published.isoformat(),
        "published_date_precision": reg.precision,
        "published_date_inferred": "true" if reg.inferred else "false",
        "date_note": reg.date_note or "Stated in the article.",
        "publisher": reg.publisher,
        "url": reg.url,
    }
    before_sources = sources_path.read_bytes()
    before_descriptor = read_descriptor(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(article, target)
    target.chmod(0o444)
    _append_row(sources_path, row)
    rehash(data_dir)
    problems = validate_package(data_dir)
    if problems:
        target.unlink()
        sources_path.write_bytes(before_sources)
        write_descriptor(data_dir, before_descriptor)
        raise DataValidationError(problems)
    return row


def _next_id(rows: list[dict]) -> str:
    numbers = [int(m.group(1)) for r in rows if (m := re.fullmatch(r"art-(\d+)", r["source_id"]))]
    return f"art-{max(numbers, default=-1) + 1:03d}"


def _append_row(path: Path, row: dict) -> None:
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\n").writerow(row)
    existing = path.read_text(encoding="utf-8")
    separator = "" if existing.endswith("\n") else "\n"
    path.write_text(existing + separator + buffer.getvalue(), encoding="utf-8")
