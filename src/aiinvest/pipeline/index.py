"""The index of all reports, OUTPUT/index.html: made from the published folders alone, after every build.

Every folder OUTPUT/<subject>/<date>/ with a manifest is listed, whatever its subject: the manifest gives its title,
build time and what changed since the report before it (report/index_page.py says it in words). Nothing is re-run.

The page is written as the reports are published: to a temporary file beside it (`.index.html-<pid>-<random>`),
then renamed over it in one step, holding OUTPUT/.locks/index.lock, and made from the folder's contents each time,
so builds running at once never drop each other's reports. A writer killed at any instant leaves the old page;
the next one removes its temporary file. A comment in the page records the folder's state (its reports and links):
a build that finds its report up to date rewrites the page only when that state changed (or the page is missing).
"""

import hashlib
import json
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .. import exitcodes
from ..config import display
from ..report.changes import FIGURES_FILE
from ..report.index_page import Published
from .manifest import MANIFEST_NAME, read_manifest
from .publish import LATEST, LOCKS_DIR, _abandoned, dated_reports
from .run import BuildFailure

log = logging.getLogger("aiinvest.build")  # named after the command it logs

INDEX_NAME = "index.html"
FILES = {"html": "report.html", "pdf": "report.pdf", "figures": FIGURES_FILE}  # what the index links, by kind
STATE = re.compile(rb"<!-- aiinvest-index-state: ([0-9a-f]{64}) -->")
STATE_VERSION = "1"  # part of the state: a new version of the page's contents rewrites it


def subjects(output_dir: Path) -> list[Path]:
    """The subjects' folders: every folder in OUTPUT but the build's own (.builds, .locks, .tmp)."""
    folder = Path(output_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def state(output_dir: Path) -> str:
    """What the index shows depends on: each subject's dated reports and `latest`, where each link points, and
    the version of the page. Cheap (names and links only): a build found up to date computes it."""
    lines = [STATE_VERSION]
    for subject in subjects(output_dir):
        for name in [*dated_reports(subject), LATEST]:
            path = subject / name
            if path.is_symlink():
                lines.append(f"{subject.name}/{name} -> {os.readlink(path)}")
            elif (path / MANIFEST_NAME).is_file():  # a report folder of a version before .builds
                lines.append(f"{subject.name}/{name} {(path / MANIFEST_NAME).stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def recorded_state(index: Path) -> str:
    """The state an index page was made from, "" when it is missing or records none."""
    try:
        with open(index, "rb") as handle:
            found = STATE.search(handle.read(4096))  # in the page's head
    except OSError:
        return ""
    return found[1].decode("ascii") if found else ""


def published(output_dir: Path) -> tuple[list[Published], dict[str, str]]:
    """Every published report (as index_page.Published) and each subject's latest date."""
    reports, latest = [], {}
    for subject in subjects(output_dir):
        for date in dated_reports(subject):
            if (report := _published(subject, date)) is not None:
                reports.append(report)
        link = subject / LATEST
        if link.is_symlink():
            latest[subject.name] = os.path.basename(os.readlink(link))
    return reports, latest


def _published(subject: Path, date: str) -> Published | None:
    """One report folder as the index shows it, None when it holds no manifest (not a published report)."""
    folder = subject / date
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    report = _record(manifest, "report")
    changes = report.get("changes")
    return Published(
        subject=subject.name,
        as_of=date,
        title=str(report.get("title") or _title(folder, manifest)),
        built_at=str(manifest.get("built_at") or ""),
        changes=changes if isinstance(changes, dict) else None,
        recorded="changes" in report and (changes is None or isinstance(changes, dict)),
        files={kind: name for kind, name in FILES.items() if (folder / name).is_file()},
    )


def _title(folder: Path, manifest: dict) -> str:
    """The title of a report whose manifest records none: its parameters' title, subject, or folder's name."""
    parameters = _record(manifest, "parameters")
    if parameters.get("title") or parameters.get("company_name"):
        return str(parameters.get("title") or parameters.get("company_name"))
    try:
        return str(json.loads((folder / FIGURES_FILE).read_text(encoding="utf-8"))["company_name"])
    except (OSError, ValueError, KeyError, TypeError):
        return folder.parent.name


def _record(manifest: dict, key: str) -> dict:
    """One of a manifest's records, {} when missing or not a record."""
    found = manifest.get(key)
    return found if isinstance(found, dict) else {}


def refresh_index(output_dir: Path, lock_timeout: float) -> Path:
    """Make OUTPUT/index.html current: rewrite it (holding its lock) unless it already shows this folder's state."""
    index = Path(output_dir) / INDEX_NAME
    if recorded_state(index) == state(output_dir):
        return index
    with index_lock(Path(output_dir), lock_timeout):
        write_index(Path(output_dir))
    return index


@contextmanager
def index_lock(output_dir: Path, timeout: float):
    """Hold OUTPUT/.locks/index.lock; first remove the temporary pages of writers that were killed."""
    from filelock import FileLock, Timeout  # imported here: a build found up to date with a current index takes none

    locks = output_dir / LOCKS_DIR
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(locks / f"{INDEX_NAME.split('.')[0]}.lock")
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise BuildFailure(
            exitcodes.LOCKED, f"another build held the lock of {display(output_dir / INDEX_NAME)} for {timeout:g}s"
        ) from None
    try:
        for path in output_dir.iterdir():
            if _abandoned(path.name, {f".{INDEX_NAME}"}) and path.is_file():
                log.info("removing %s, left by a build that was killed", display(path))
                path.unlink(missing_ok=True)
        yield
    finally:
        lock.release()


def write_index(output_dir: Path) -> Path:
    """Write OUTPUT/index.html from the folder's contents, atomically (hold index_lock)."""
    from ..report.index_page import render_index  # jinja2; imported where the page is made

    current = state(output_dir)  # before reading: a report published meanwhile leaves the page stale, not wrong
    html = render_index(*published(output_dir), state=current)
    target = output_dir / INDEX_NAME
    fd, tmp = tempfile.mkstemp(dir=output_dir, prefix=f".{INDEX_NAME}-{os.getpid()}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(html.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the index is for sharing
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
