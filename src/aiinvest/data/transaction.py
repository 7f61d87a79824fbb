"""Every change to a data folder is a transaction: all of it happens, or none of it.

A data command holds the data folder's exclusive lock (`changing`), stages each new file's bytes in
<data>/.transaction/ (fsynced), writes the journal there (the intended renames, fsynced), then keeps a hard
link to each old file and renames each new one over it. Removing the journal is the commit point. A command
killed before that leaves the journal: the next command (`recover`, under the same lock) puts every old
file back and removes what was created, so the data is the complete old state or the complete new one.
Builds hold the lock shared (`reading`): they read exactly the bytes they hashed, and never a half change.
SIGTERM is handled like SIGINT: KeyboardInterrupt, then a clean rollback.
"""

import fcntl
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..config import display
from ..exitcodes import CommandError, ExitStatus

TRANSACTION_DIR = ".transaction"
JOURNAL = "journal.json"
DATA_LOCK_TIMEOUT = 30.0  # seconds a data command waits for a build or another data command
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class DataBusy(CommandError):
    """Another command holds the data folder's lock past the timeout."""

    exit_status = ExitStatus.LOCKED


class DamagedJournal(CommandError):
    """The journal of a killed command cannot be read: the data needs a person."""

    exit_status = ExitStatus.DATA


class NoDataFolder(CommandError):
    """The data folder to change does not exist, or is not a folder."""

    exit_status = ExitStatus.USAGE


@dataclass
class Entry:
    """One intended rename: `new` (staged) over `target`; `old` keeps the target's bytes, None if it is created."""

    target: str  # relative to the data folder, as every name in the journal
    new: str
    old: str | None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a new file and fsync it (its folder is synced by the caller)."""
    with open(path, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    if mode is not None:
        os.chmod(path, mode)


class Transaction:
    """New bytes for files of one data folder, swapped in together by `commit` (or never)."""

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir).resolve()
        self.folder = self.root / TRANSACTION_DIR
        self.entries: list[Entry] = []
        self.staged: dict[Path, bytes] = {}
        self.applied = False

    def write(self, path: Path, data: bytes, mode: int | None = None) -> None:
        """Stage `data` as the new content of `path` (inside the data folder); nothing visible changes yet."""
        path = Path(path).resolve()
        target = path.relative_to(self.root).as_posix()  # ValueError for a path outside: a programming error
        if self.applied or path in self.staged:
            raise RuntimeError(f"{target}: staged twice, or after the transaction was applied")
        self.folder.mkdir(exist_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)  # an empty folder: harmless if the change is rolled back
        number = len(self.entries)
        _write_synced(self.folder / f"{number}.new", data, mode)
        old = f"{TRANSACTION_DIR}/{number}.old" if path.exists() else None
        self.entries.append(Entry(target, f"{TRANSACTION_DIR}/{number}.new", old))
        self.staged[path] = data

    def read(self, path: Path) -> bytes:
        """The bytes `path` will hold: staged, else its current content."""
        path = Path(path).resolve()
        return self.staged[path] if path in self.staged else path.read_bytes()

    def apply(self) -> None:
        """Journal the renames, then swap every staged file in (the new state is visible, not yet committed)."""
        if self.applied or not self.entries:
            return
        _fsync_dir(self.folder)
        journal = self.folder / f"{JOURNAL}.tmp"
        _write_synced(journal, json.dumps([vars(e) for e in self.entries], indent=1).encode())
        os.replace(journal, self.folder / JOURNAL)
        _fsync_dir(self.folder)
        self.applied = True
        with _signals_held():
            for entry in self.entries:
                if entry.old:
                    _keep(self.root / entry.target, self.root / entry.old)
                os.replace(self.root / entry.new, self.root / entry.target)
            _sync_folders(self.root, self.entries)

    def commit(self) -> None:
        """Apply, then remove the journal: the commit point. The kept old files go after it."""
        self.apply()
        with _signals_held():
            if (self.folder / JOURNAL).exists():
                os.unlink(self.folder / JOURNAL)
                _fsync_dir(self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)
        self.entries, self.staged = [], {}

    def rollback(self) -> None:
        """Put every old file back and remove what was created (as `recover` does after a crash)."""
        with _signals_held():
            _roll_back(self.root, self.entries)
        self.entries, self.staged, self.applied = [], {}, False


def _keep(path: Path, old: Path) -> None:
    """Keep the old file's bytes at `old`: a hard link, or a synced copy renamed in where links are not allowed."""
    try:
        os.link(path, old)
    except OSError:  # a file system without hard links (some network and FUSE mounts)
        copy = old.with_name(f"{old.name}.tmp")
        _write_synced(copy, path.read_bytes(), path.stat().st_mode & 0o777)
        os.replace(copy, old)


def _sync_folders(root: Path, entries: list[Entry]) -> None:
    for folder in sorted({(root / e.target).parent for e in entries}):
        _fsync_dir(folder)


def _roll_back(root: Path, entries: list[Entry]) -> None:
    """Undo the renames of a journal, whichever of them happened; then remove the transaction folder."""
    for entry in reversed(entries):
        target = root / entry.target
        if entry.old and (root / entry.old).exists():
            os.replace(root / entry.old, target)
        elif entry.old is None and not (root / entry.new).exists():
            target.unlink(missing_ok=True)  # created, and swapped in already
    _sync_folders(root, entries)
    shutil.rmtree(root / TRANSACTION_DIR, ignore_errors=True)
    _fsync_dir(root)


def recover(data_dir: Path) -> bool:
    """Roll back a transaction a killed command left (hold the exclusive lock); True if there was one."""
    root = Path(data_dir).resolve()
    folder = root / TRANSACTION_DIR
    if not folder.exists():
        return False
    journal = folder / JOURNAL
    try:
        entries = [Entry(**e) for e in json.loads(journal.read_text())] if journal.is_file() else []
    except (ValueError, TypeError, OSError) as error:  # damaged outside this module: it writes it in one rename
        raise DamagedJournal(
            f"{display(journal)} cannot be read ({type(error).__name__}), so the change a killed command left "
            f"cannot be rolled back: restore the data folder (git status, git checkout), then remove {display(folder)}"
        ) from None
    with _signals_held():
        _roll_back(root, entries)
    return True


def needs_recovery(data_dir: Path) -> bool:
    """True when a killed command left a transaction in this data folder."""
    return (Path(data_dir) / TRANSACTION_DIR).exists()


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while renames run in sequence; they take effect right after."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def data_lock(data_dir: Path, *, exclusive: bool, timeout: float) -> Iterator[None]:
    """Hold the data folder's lock (flock on the folder itself: no lock file), shared or exclusive.

    Raises DataBusy when another command holds it longer than `timeout` seconds, NoDataFolder without one.
    """
    try:
        fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        raise NoDataFolder(f"{display(Path(data_dir))}: no such data folder (--data-dir names it)") from None
    try:
        _acquire(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, timeout, Path(data_dir))
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, kind: int, timeout: float, data_dir: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DataBusy(
                    f"another command is changing the data in {display(data_dir)}, or a build is reading it "
                    f"(waited {timeout:g}s); try again"
                ) from None
            time.sleep(0.05)


@contextmanager
def changing(data_dir: Path, timeout: float | None = None) -> Iterator[Transaction]:
    """A transaction on the data folder, under its exclusive lock, after recovering a killed one.

    Leaving the block without `commit` (an exception, SIGINT, SIGTERM) rolls every change back.
    """
    with data_lock(data_dir, exclusive=True, timeout=DATA_LOCK_TIMEOUT if timeout is None else timeout):
        recover(data_dir)
        transaction = Transaction(data_dir)
        with _sigterm_as_interrupt():
            try:
                yield transaction
            finally:
                transaction.rollback()  # after commit: nothing left to undo


@contextmanager
def reading(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the data folder's shared lock (recovering a killed transaction first): no change while reading.

    A data folder that cannot be opened (missing, unreadable) is read without a lock: nothing can change it.
    """
    timeout = DATA_LOCK_TIMEOUT if timeout is None else timeout
    try:
        os.close(os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY))
    except OSError:
        yield
        return
    if needs_recovery(data_dir):
        # a read-only data folder cannot be recovered: the build's validation reports its problems
        with data_lock(data_dir, exclusive=True, timeout=timeout), suppress(OSError):
            recover(data_dir)
    with data_lock(data_dir, exclusive=False, timeout=timeout):
        yield


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt, as SIGINT does (main thread only, where handlers can be set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
