"""Charts drawn once per content: a drawing is kept, and reused while its chart's spec and its renderer are the same.

An entry's key is the SHA-256 of the chart's spec (its dataclass's repr: every mark, label, colour and axis), the
renderer's name, the version of its library (plotly, matplotlib) and the source of the modules that draw (the
renderer, the spec, this cache): a chart, a library or a drawing rule that changes draws again. Entries live under
the cache folder the validation uses (AIINVEST_CACHE_DIR), in charts/. Each is written to a temporary file and
renamed into place, so a writer killed half-way leaves no entry; each holds the SHA-256 of its content, so an entry
damaged since is ignored and drawn again. A cache that cannot be written is skipped silently: the drawing is the
same, only slower (a warning would show in the report's notebook).
"""

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ...config import settings
from .spec import Chart

FOLDER = "charts"
SOURCES = ("spec.py", "cache.py")  # besides the renderer's own module, what a drawing depends on
DEFAULT_REPR = " at 0x"  # an object without a value's repr (its address): a spec that cannot be a key


def cache_folder() -> Path:
    """Where drawings are kept: charts/ in the project's cache folder."""
    return settings().cache_dir / FOLDER


def key(chart: Chart, renderer: str, version: str, modules: tuple[str, ...]) -> str | None:
    """The entry's name for this chart drawn by this renderer (its library's version, the files of the modules
    that draw it, in this folder), or None when the spec holds an object whose repr is not its value (then it is
    drawn every time)."""
    spec = repr(chart)
    if DEFAULT_REPR in spec:
        return None
    digest = hashlib.sha256(f"{renderer}\0{version}\0{spec}".encode())
    here = Path(__file__).parent
    for name in (*modules, *SOURCES):
        digest.update(b"\0" + (here / name).read_bytes())
    return digest.hexdigest()


def cached(name: str | None, draw: Callable[[], bytes]) -> bytes:
    """The bytes of entry `name`, drawn (and kept) by `draw` when there is no sound entry."""
    if name is None:
        return draw()
    path = cache_folder() / name
    found = read(path)
    if found is not None:
        return found
    drawn = draw()
    write(path, drawn)
    return drawn


def read(path: Path) -> bytes | None:
    """An entry's content, or None when it is missing or damaged (its checksum does not match)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, _, content = data.partition(b"\n")
    if hashlib.sha256(content).hexdigest().encode() != checksum:
        return None
    return content


def write(path: Path, content: bytes) -> None:
    """Keep an entry: its checksum line, then its content, written aside and renamed into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".drawing-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(hashlib.sha256(content).hexdigest().encode() + b"\n" + content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:  # an unwritable cache: the drawing stands, unkept
        return
