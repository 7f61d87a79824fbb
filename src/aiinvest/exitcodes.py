"""Exit statuses of the command-line interface (after BSD sysexits), and the errors that carry them.

Each status is declared once, with what it means; the README's table (`markdown_table`, through cog) and
each command's `--help` (`epilog`) are generated from here. An expected failure is a `CommandError`
whose class gives its status: `aiinvest` prints `error: <message>` and exits with it.
"""

from collections.abc import Mapping
from enum import IntEnum


class ExitStatus(IntEnum):
    """An exit status: what it means, and (`detail`, for the README) what causes it."""

    meaning: str
    detail: str

    def __new__(cls, value: int, meaning: str, detail: str = "") -> "ExitStatus":
        member = int.__new__(cls, value)
        member._value_ = value
        member.meaning = meaning
        member.detail = detail
        return member

    OK = 0, "success"
    CHANGED = 1, "the two reports differ (like diff)"
    USAGE = (
        64,
        "bad command line or invalid report parameters",
        "an unknown option; an empty or unknown `--formats`; `--cell-timeout` or `--jobs` not a whole number "
        "of at least 1; `--lock-timeout` or "
        "`--validation-timeout` not a number of seconds greater than 0; `--data-dir` and `-p data_dir=` naming "
        "different folders; a parameter of the wrong name, type or value, such as an `as_of` before the first "
        "or after the newest source",
    )  # EX_USAGE: argparse's errors exit with it, not with its own 2
    DATA = 65, "the curated data failed validation"  # EX_DATAERR
    BUILD = 70, "the build failed (a cell raised, the kernel died or timed out, rendering failed)"
    LOCKED = 75, "another build of the same report is running: try again later"  # EX_TEMPFAIL
    INTERRUPTED = (
        130,
        "interrupted (Ctrl-C or SIGTERM)",
        "any change to the data was rolled back and no report was half-published; run the command again",
    )  # 128 + SIGINT, as shells report it


OK = ExitStatus.OK
CHANGED = ExitStatus.CHANGED  # `aiinvest diff`: the two reports differ (as diff(1) says)
USAGE = ExitStatus.USAGE  # bad command line
PARAMETERS = ExitStatus.USAGE  # invalid report parameters (EX_USAGE too: the command was used wrongly)
DATA = ExitStatus.DATA
BUILD = ExitStatus.BUILD
LOCKED = ExitStatus.LOCKED

BUSY = "another command is changing the data, or a build is reading it, past the lock's timeout: try again"

# The statuses each command exits with, and what one means for that command where it says more than its meaning.
COMMANDS: Mapping[str, Mapping[ExitStatus, str]] = {
    "validate": {OK: "", USAGE: "", DATA: "", LOCKED: BUSY},
    "rehash": {OK: "", USAGE: "", DATA: "", LOCKED: BUSY},
    "build": {OK: "built, or up to date", USAGE: "", DATA: "", BUILD: "", LOCKED: ""},
    "notebooks": {OK: "", USAGE: "", DATA: "a notebook out of step with its jupytext pair"},
    "install-kernel": {OK: "", USAGE: ""},
    "docs": {OK: "", USAGE: "", DATA: "with --check, data/README.md is out of date", LOCKED: BUSY},
    "diff": {
        OK: "the two reports are the same",
        CHANGED: "",
        USAGE: "a path that is not a report folder or figures.json",
        DATA: "a figures.json that fails its schema",
    },
    "register-article": {
        OK: "",
        USAGE: "",
        DATA: "an article that cannot be registered or would make the data invalid (left unchanged)",
        LOCKED: BUSY,
    },
    "draft": {
        OK: "",
        USAGE: "bad command line, an unknown article, or an existing review file without --force",
        DATA: "a review file that cannot be accepted or would make the data invalid (left unchanged)",
        LOCKED: BUSY,
    },
}


class CommandError(Exception):
    """An expected failure of a command: `aiinvest` prints `error: <message>` and exits with `exit_status`.

    Every subclass sets its status; the message is the exception's text.
    """

    exit_status: ExitStatus


def epilog(command: str) -> str:
    """The exit statuses of one command, for its `--help`."""
    meanings = (f"{int(status)} {text or status.meaning}" for status, text in COMMANDS[command].items())
    return f"Exit statuses: {'; '.join(meanings)}."


def markdown_table() -> str:
    """The README's table: every status, what it means, and what it means for the commands that say more."""
    rows = ["| status | meaning |", "| --- | --- |"]
    for status in ExitStatus:
        users = [command for command, statuses in COMMANDS.items() if status in statuses]
        only = f"`aiinvest {users[0]}` only: " if len(users) == 1 else ""
        detail = f": {status.detail}" if status.detail else ""
        said = [f"`aiinvest {command}`: {COMMANDS[command][status]}" for command in users if COMMANDS[command][status]]
        more = f" ({'; '.join(said)})" if said else ""
        rows.append(f"| {int(status)} | {only}{status.meaning}{detail}{more} |")
    return "\n".join(rows) + "\n"
