"""An article file as register-article and draft read it: a regular file of bounded size, looked at before reading.

A folder, a FIFO or a device (/dev/zero) is named as what it is, never read (a FIFO would block, a
device never end), and a file over MAX_ARTICLE_BYTES is refused from its size before a byte is read.
"""

import os
import stat
from pathlib import Path

MAX_ARTICLE_BYTES = 1_000_000  # a long news article is 50 KB; drafting 1 MB of text takes seconds
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class ArticleFileError(Exception):
    """The file cannot be read as an article; the message says why."""


def read_article(path: Path) -> bytes:
    """The article's bytes; ArticleFileError if it is not a regular file, too large, or empty."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise ArticleFileError(f"{path}: no such file") from None
    except OSError as error:
        raise ArticleFileError(f"{path}: cannot be read ({error.strerror})") from None
    kind = next((name for test, name in _KINDS if test(status.st_mode)), None)
    if kind or not stat.S_ISREG(status.st_mode):
        raise ArticleFileError(f"{path}: expected an article as a regular text file, not {kind or 'a special file'}")
    if status.st_size > MAX_ARTICLE_BYTES:
        raise ArticleFileError(_too_large(path, status.st_size))
    with open(path, "rb") as handle:
        data = handle.read(MAX_ARTICLE_BYTES + 1)  # the file may have grown since its size was read
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleFileError(_too_large(path, len(data)))
    if not data.strip():
        raise ArticleFileError(f"{path}: the article is empty{' (only whitespace)' if data else ''}: nothing to read")
    return data


def _too_large(path: Path, size: int) -> str:
    return (
        f"{path}: the article is {size:,} bytes; an article may have at most {MAX_ARTICLE_BYTES:,} bytes "
        "(1 MB): keep the article's own text, without pages or feeds around it"
    )
