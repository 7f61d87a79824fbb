"""Register a new article: copy it into data/raw/, hash it and add its sources row."""

import csv
import io
import re
import shutil
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


def register_article(
    article: Path,
    data_dir: Path,
    *,
    published: date,
    precision: str,
    inferred: bool = False,
    date_note: str | None = None,
    source_id: str | None = None,
    title: str | None = None,
    publisher: str = "",
    url: str = "",
) -> dict:
    """Copy the article into data/raw/articles/, record its sources row; return that row."""
    article, data_dir = Path(article), Path(data_dir)
    if not article.is_file():
        raise RegistrationError(f"{article}: no such file")
    data = article.read_bytes()
    if problem := utf8_problem(data, display(article)):
        raise RegistrationError(str(problem))
    text = data.decode("utf-8")
    sources_path = curated_dir(data_dir) / resources(read_descriptor(data_dir))["sources"]["path"]
    rows = list(csv.DictReader(sources_path.open(encoding="utf-8", newline="")))
    digest = sha256_file(article)
    for row in rows:
        if row["sha256"] == digest:
            raise RegistrationError(f"{article}: already registered as {row['source_id']}")
    target = raw_dir(data_dir) / ARTICLES / article.name
    if target.exists():
        raise RegistrationError(f"{display(target)} exists already; data/raw/ is immutable, rename the file")
    if inferred and not date_note:
        raise RegistrationError("an inferred date needs --date-note saying how it was inferred")
    row = {
        "source_id": source_id or _next_id(rows),
        "file": f"{ARTICLES}/{article.name}",
        "sha256": digest,
        "title": title or first_sentence(text),
        "published_date": published.isoformat(),
        "published_date_precision": precision,
        "published_date_inferred": "true" if inferred else "false",
        "date_note": date_note or "Stated in the article.",
        "publisher": publisher,
        "url": url,
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
