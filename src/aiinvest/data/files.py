"""Curated tables and articles are regular files inside the data folder: no links out, no folders."""

from pathlib import Path

from ..config import display
from .problems import Problem


def file_problem(path: Path, root: Path, what: str) -> Problem | None:
    """A problem when `path` is missing, a folder, a symbolic link, or outside `root`; None when it is fine.

    `what` says where the file is declared, e.g. "declared in datapackage.json".
    """
    path, root = Path(path), Path(root)
    expected = _expected(path, root, what)
    return None if expected is None else Problem(display(path), expected)  # a path is shown only when it is wrong


def _expected(path: Path, root: Path, what: str) -> str | None:
    """What the file should have been, or None when it is a regular file inside root."""
    if path.is_symlink():
        return f"a regular file inside {display(root)}, not a symbolic link ({what}; copy the file in)"
    if not path.exists():
        return f"the file to exist ({what})"
    if not path.is_file():
        return f"a regular file, not a folder or device ({what})"
    real, base = path.resolve(), root.resolve()
    if not real.is_relative_to(base) or any(p.is_symlink() for p in _folders_between(path, root)):
        return f"a file inside {display(root)} ({what})"
    return None


def _folders_between(path: Path, root: Path) -> list[Path]:
    """The folders from root down to the file's folder (each could be a link out)."""
    try:
        parts = path.parent.relative_to(root).parts
    except ValueError:
        return []
    return [root.joinpath(*parts[: i + 1]) for i in range(len(parts))]


def unnamed_files(root: Path, named: set[str], file: str) -> list[Problem]:
    """A problem for each file under `root` (data/raw/) that no row of `file` (sources.csv) names."""
    found = sorted(p for p in Path(root).rglob("*") if p.is_file() or p.is_symlink())
    return [
        Problem(
            display(path),
            f"an article named by a row of {file} (is it a leftover of a command that was killed? "
            "register it with register-article, or remove it)",
        )
        for path in found
        if path.relative_to(root).as_posix() not in named
    ]
