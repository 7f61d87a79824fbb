"""Checksums and verbatim-quote checks that tie every figure to its article."""

import hashlib
import re
from pathlib import Path


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as lower-case hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends.

    str.split() and the pattern \\s+ know the same whitespace (Unicode's, str.isspace), so this is
    re.sub(r"\\s+", " ", text).strip() (tests/data/test_provenance.py), about five times as fast: validation
    normalises every line of every article and every quote.
    """
    return " ".join(text.split())


class Article:
    """An article's text, normalised once, for checking many quotes against it."""

    def __init__(self, text: str):
        self.text = normalise_whitespace(text)
        self.lines = {normalise_whitespace(line) for line in text.splitlines()}

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim (whitespace-normalised); whole lines are a set look-up."""
        wanted = normalise_whitespace(quote)
        return wanted in self.lines or wanted in self.text


def first_sentence(text: str) -> str:
    """The first sentence of an article, skipping a leading 'date YYYY-MM-DD' line."""
    body = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", text)
    body = normalise_whitespace(body)
    match = re.search(r"^.+?[.!?](?=\s|$)", body)
    return match.group(0) if match else body
