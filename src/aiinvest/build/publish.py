"""Publish a finished report atomically, point `latest` at the newest, find a report already built."""

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .. import exitcodes
from ..config import display
from .manifest import MANIFEST_NAME, outputs_intact, read_manifest
from .run import BuildFailure, Run

log = logging.getLogger("aiinvest.build")

LATEST = "latest"
LOCKS_DIR = ".locks"
TMP_DIR = ".tmp"


def publish(work: Path, folder: Path) -> None:
    """Move a finished build into place, replacing the previous one only at the last moment."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    final = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    final.chmod(0o755)  # mkdtemp makes it private; reports are for sharing
    for item in work.iterdir():
        shutil.move(str(item), final / item.name)
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.rename(folder, old)
    try:
        os.rename(final, folder)
    except OSError:
        if old is not None:
            os.rename(old, folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def update_latest(folder: Path) -> None:
    """Point <company>/latest at the newest as-of folder, atomically."""
    company_dir = folder.parent
    dated = sorted(
        p.name for p in company_dir.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != LATEST
    )
    if not dated:
        return
    link = company_dir / LATEST
    tmp = company_dir / f".{LATEST}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(dated[-1], target_is_directory=True)
    os.replace(tmp, link)


def find_up_to_date(output_dir: Path, key: str) -> Path | None:
    """The published report folder built from exactly these inputs, if intact."""
    for manifest_path in Path(output_dir).glob(f"*/*/{MANIFEST_NAME}"):
        folder = manifest_path.parent
        if folder.name == LATEST or folder.name.startswith("."):
            continue
        manifest = read_manifest(folder)
        if manifest and manifest.get("fingerprint") == key and outputs_intact(folder, manifest):
            return folder
    return None


@contextmanager
def lock(run: Run):
    """Hold the lock of this report's folder: builds of the same report never interleave."""
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
        yield
    finally:
        lock.release()


def output_paths(folder: Path) -> dict[str, Path]:
    names = {
        "html": "report.html",
        "pdf": "report.pdf",
        "notebook": "report.ipynb",
        "manifest": MANIFEST_NAME,
    }
    return {kind: folder / name for kind, name in names.items() if (folder / name).exists()}
