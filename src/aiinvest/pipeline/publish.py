"""Publish a finished report atomically, point `latest` at the newest, find a report already built.

One company's reports, in reports/<company>/:

    .builds/<date>-<id>/           each finished build, moved in by one rename and never changed after
    <date> -> .builds/<date>-<id>  a relative symlink, swapped in one step (a new symlink renamed over it)
    latest -> <date>               the newest date, swapped the same way

A build killed at any instant leaves `<date>` and `latest` on the old report or the new one. Whatever it
leaves behind carries its report's name (and its PID where no lock guards it): a build unreferenced in
.builds, a temporary symlink `.<date>-<pid>-<random>`, a staging folder reports/.tmp/<company>-<date>-<pid>-<random>
(named so by pipeline.stage_and_publish). The next build of the same report removes it, holding the lock.
"""

import errno
import logging
import os
import re
import shutil
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from .. import exitcodes
from ..config import display
from ..data.dates import iso_date
from ..report.changes import FIGURES_FILE
from .manifest import MANIFEST_NAME, outputs_intact, read_manifest
from .run import BuildFailure, Run

log = logging.getLogger("aiinvest.build")  # named after the command it logs

LATEST = "latest"
BUILDS_DIR = ".builds"
LOCKS_DIR = ".locks"
TMP_DIR = ".tmp"
OWNED = re.compile(r"(?P<kind>.+)-(?P<pid>\d+)-[a-z0-9_]+")  # <kind>-<pid>-<random>: a temporary name
AT_FDCWD, RENAME_EXCHANGE = -100, 2  # Linux renameat2


def publish(work: Path, folder: Path) -> None:
    """Make the finished build in `work` the report at `folder` in one atomic step; hold the report's lock."""
    builds = folder.parent / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    done = builds / f"{folder.name}-{uuid.uuid4().hex[:12]}"
    work.chmod(0o755)  # mkdtemp makes it private; reports are for sharing
    os.rename(work, done)
    old = folder.resolve() if folder.is_symlink() else None
    if old is not None and old.parent != builds.resolve():
        old = None  # a symlink made by hand: its folder is not ours to delete
    replaced = _swap(folder, done.relative_to(folder.parent)) or old
    if replaced is not None:
        shutil.rmtree(replaced, ignore_errors=True)


def update_latest(folder: Path) -> None:
    """Point <company>/latest at the newest as-of date, atomically; concurrent builds of other dates converge."""
    company = folder.parent
    link = company / LATEST
    refuse_foreign_latest(company)
    while (dated := dated_reports(company)) and not (link.is_symlink() and os.readlink(link) == dated[-1]):
        _swap(link, Path(dated[-1]))


def refuse_foreign_latest(company: Path) -> None:
    """BuildFailure (70) when <company>/latest is not a symlink: a folder or file made by hand is never moved."""
    link = company / LATEST
    if link.exists() and not link.is_symlink():
        raise BuildFailure(
            exitcodes.BUILD,
            f"{display(link)} is a real {'folder' if link.is_dir() else 'file'}, not the link a build makes; "
            "the build never moves or removes it: rename it, then build again",
        )


def dated_reports(company: Path) -> list[str]:
    """The as-of dates with a report, oldest first (each a symlink to a build, or a folder of an older version).

    Only a folder named as a real date, YYYY-MM-DD, counts: the build names its links so, and any other folder
    beside them (notes, a copy, `latest`) is not a report.
    """
    if not company.is_dir():
        return []
    return sorted(p.name for p in company.iterdir() if iso_date(p.name) is not None and p.is_dir())


def _swap(link: Path, target: Path) -> Path | None:
    """Make `link` a symlink to `target` in one step; return the real folder it replaced, if any, to delete."""
    tmp = link.with_name(f".{link.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.symlink_to(target, target_is_directory=True)
    if link.is_symlink() or not link.exists():
        os.replace(tmp, link)
        return None
    if _exchange(tmp, link):  # a report folder from a version before .builds: swapped for the symlink
        return tmp
    aside = link.parent / BUILDS_DIR / f"{link.name}-{uuid.uuid4().hex[:12]}"  # no exchange: a moment without
    os.rename(link, aside)
    os.replace(tmp, link)
    return aside


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes  # imported here: only a report folder made by a version before .builds needs it

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clear_leftovers(folder: Path) -> None:
    """Remove what killed builds of this report left; hold its lock. Another report's files, or a live build's, stay.

    Removed: builds of this date no symlink refers to, temporary symlinks (or a swapped-out folder) of this date
    or of `latest` (a symlink only) whose process is gone, staging folders of this report whose process is gone, and the
    `.<date>.new-*`/`.<date>.old-*` folders of versions before .builds.
    """
    company, date = folder.parent, folder.name
    used = {p.resolve() for p in _entries(company) if p.is_symlink() and p.name[0] != "."}  # dates and latest
    doomed = [p for p in _entries(company / BUILDS_DIR) if p.name.startswith(f"{date}-") and p.resolve() not in used]
    doomed += [p for p in _entries(company) if _abandoned(p.name, {f".{date}"})]
    doomed += [p for p in _entries(company) if _abandoned(p.name, {f".{LATEST}"}) and p.is_symlink()]
    doomed += [p for p in _entries(company.parent / TMP_DIR) if _abandoned(p.name, {f"{company.name}-{date}"})]
    doomed += [*company.glob(f".{date}.new-*"), *company.glob(f".{date}.old-*")]
    for path in doomed:
        log.info("removing %s, left by a build that was killed", display(path))
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _entries(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.is_dir() else []


def _abandoned(name: str, kinds: set[str]) -> bool:
    """True for a temporary name (<kind>-<pid>-<random>) of one of these kinds whose process has ended."""
    match = OWNED.fullmatch(name)
    if not match or match["kind"] not in kinds:
        return False
    try:
        os.kill(int(match["pid"]), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # alive but another user's (PermissionError), or no PID at all
        return False
    return False


def find_up_to_date(output_dir: Path, key: str) -> Path | None:
    """The published report folder (<company>/<date>) built from exactly these inputs, if intact."""
    for manifest_path in Path(output_dir).glob(f"*/*/{MANIFEST_NAME}"):
        folder = manifest_path.parent
        if iso_date(folder.name) is None or folder.parent.name.startswith("."):  # a report is <company>/<date>
            continue
        manifest = read_manifest(folder)
        if manifest and manifest.get("fingerprint") == key and outputs_intact(folder, manifest):
            return folder
    return None


@contextmanager
def lock(run: Run):
    """Hold the lock of this report's folder: builds of the same report never interleave.

    Holding it, first remove what killed builds of this report left behind.
    """
    from filelock import FileLock, Timeout  # imported here: a build found up to date takes no lock

    request, folder = run.request, run.folder
    locks = Path(request.output_dir) / LOCKS_DIR
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(locks / f"{folder.parent.name}-{folder.name}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("%s: another build of %s is running; waiting", request.label, display(folder))
        try:
            lock.acquire(timeout=request.lock_timeout)
        except Timeout:
            raise BuildFailure(
                exitcodes.LOCKED,
                f"another build of {display(folder)} held the lock for {request.lock_timeout:g}s; try later",
            ) from None
    try:
        refuse_foreign_latest(folder.parent)
        clear_leftovers(folder)
        yield
    finally:
        lock.release()


def output_paths(folder: Path) -> dict[str, Path]:
    names = {
        "html": "report.html",
        "pdf": "report.pdf",
        "notebook": "report.ipynb",
        "figures": FIGURES_FILE,
        "manifest": MANIFEST_NAME,
    }
    return {kind: folder / name for kind, name in names.items() if (folder / name).exists()}
