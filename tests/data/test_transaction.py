"""Every change to the data folder is a transaction: a data command stopped at any of its writes leaves the complete
old data or the complete new data, the next command recovers it, `validate` passes and a retry works; data
commands and builds are serialised by the data folder's lock."""

import itertools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from fixtures import seed_copy
from fixtures.changes import COMMANDS, accept_setup, files, register_setup

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.config import curated_dir
from aiinvest.data import transaction as tx
from aiinvest.data.transaction import TRANSACTION_DIR, DataBusy, Transaction, changing, reading, recover
from aiinvest.pipeline import stages
from aiinvest.pipeline.run import BuildFailure, BuildRequest

MUTATIONS = ("replace", "link", "unlink", "fsync", "chmod", "rename", "mkdir", "rmdir")  # what a transaction changes


class Killed(BaseException):
    """The process died here (SIGKILL): no handler, no rollback, only the kernel releasing the lock."""


class _Os:
    """The os module as the transaction module sees it, with chosen functions replaced."""

    def __init__(self, **replaced: Callable):
        self.__dict__.update(replaced)

    def __getattr__(self, name: str):
        return getattr(os, name)


@contextmanager
def stopped_at(step: int, fault: type[BaseException]) -> Iterator[Iterator[int]]:
    """Raise `fault` at the transaction's step-th change to the file system (a staged write stops half done).

    With Killed, nothing is rolled back, as when the process is killed; KeyboardInterrupt is SIGINT or SIGTERM.
    """
    calls = itertools.count(1)

    def dying(change: Callable) -> Callable:
        def step_then(*args, **kwargs):
            if next(calls) == step:
                raise fault(f"stopped at step {step}")
            return change(*args, **kwargs)

        return step_then

    def write_half(path: Path, data: bytes, mode: int | None = None) -> None:
        if next(calls) == step:
            Path(path).write_bytes(data[: len(data) // 2])
            raise fault(f"stopped half way through writing {path.name}")
        return real_write(path, data, mode)

    real_write = tx._write_synced
    patches = [
        mock.patch.object(tx, "os", _Os(**{name: dying(getattr(os, name)) for name in MUTATIONS})),
        mock.patch.object(tx, "shutil", mock.Mock(rmtree=dying(shutil.rmtree))),
        mock.patch.object(tx, "_write_synced", write_half),
    ]
    if fault is Killed:
        patches.append(mock.patch.object(Transaction, "rollback", lambda self: None))
    for patch in patches:
        patch.start()
    try:
        yield calls
    finally:
        for patch in patches:
            patch.stop()


def command(data_dir: Path, args: list[str]) -> int:
    return main(["--data-dir", str(data_dir), *args])


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, tuple[dict, dict, int]]:
    """Per command: the data before and after a run that nobody stops, and how many changes that run makes."""
    result = {}
    for name, setup in COMMANDS.items():
        data_dir = seed_copy(tmp_path_factory.mktemp("clean") / "data")
        args = setup(data_dir)
        before = files(data_dir)
        with stopped_at(0, Killed) as calls:  # counts the steps, stopping none
            assert command(data_dir, args) == exitcodes.OK
        result[name] = (before, files(data_dir), next(calls) - 1)
    return result


@pytest.mark.parametrize("name", COMMANDS)
# Every step, both ways: 2 x (22 + 17 + 13) cases; the interrupted sweep (a second pass over the same steps) is slow.
@pytest.mark.parametrize(
    "fault", [Killed, pytest.param(KeyboardInterrupt, marks=pytest.mark.slow)], ids=["SIGKILL", "SIGTERM"]
)
def test_a_data_command_stopped_at_any_write_leaves_the_old_or_the_new_data(name, fault, outcomes, tmp_path):
    before, after, steps = outcomes[name]
    assert steps >= 8  # stage, journal, swap, commit: each a step
    for step in range(1, steps + 1):
        data_dir = seed_copy(tmp_path / f"{step}" / "data")
        args = COMMANDS[name](data_dir)
        with stopped_at(step, fault), pytest.raises(fault):
            command(data_dir, args)
        if fault is KeyboardInterrupt:  # a clean rollback, before any other command runs
            assert files(data_dir) == before, f"step {step}: not rolled back"
        status = command(data_dir, ["validate"])  # recovers first
        state = files(data_dir)
        assert state in (before, after), f"step {step}: a mix of old and new"
        # valid, but for rehash's own starting point: an edit not yet rehashed
        assert status == (exitcodes.DATA if name == "rehash" and state == before else exitcodes.OK), f"step {step}"
        assert not (data_dir / TRANSACTION_DIR).exists()
        if state == before:
            assert command(data_dir, args) == exitcodes.OK, f"step {step}: the retry failed"
        assert files(data_dir) == after
        shutil.rmtree(data_dir.parent)


# --- the lock: data commands one at a time, never during a build -----------------------------------------


def test_a_data_command_gives_up_with_75_while_a_build_reads(tmp_path, monkeypatch, capsys):
    data_dir = seed_copy(tmp_path / "data")
    args = register_setup(data_dir)
    before = files(data_dir)
    monkeypatch.setattr(tx, "DATA_LOCK_TIMEOUT", 0.2)
    with reading(data_dir, timeout=1):
        assert command(data_dir, args) == exitcodes.LOCKED
    assert "another command is changing the data" in capsys.readouterr().err
    assert files(data_dir) == before
    assert command(data_dir, args) == exitcodes.OK


def test_a_build_waits_for_a_data_command_then_gives_up_with_75(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    with changing(data_dir), pytest.raises(DataBusy, match="try again"), reading(data_dir, timeout=0.2):
        pass


def test_two_data_commands_at_once_are_serialised(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    articles = [tmp_path / f"{n}.txt" for n in range(2)]
    for n, path in enumerate(articles):
        path.write_text(f"Article {n} says Anthropic raised money.\n")
    statuses: list[int] = []

    def register(path: Path) -> None:
        args = ["register-article", str(path), "--published", "2024-04-02", "--precision", "day"]
        statuses.append(command(data_dir, args))

    threads = [threading.Thread(target=register, args=(path,)) for path in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [exitcodes.OK, exitcodes.OK]
    sources = (curated_dir(data_dir) / "sources.csv").read_text(encoding="utf-8")
    assert "art-002" in sources and "art-003" in sources
    assert command(data_dir, ["validate"]) == exitcodes.OK


def test_a_build_holds_the_data_from_hashing_to_publishing(tmp_path, monkeypatch):
    """A data command started while a build hashes the data waits until the build ends (then goes ahead)."""
    data_dir = seed_copy(tmp_path / "data")
    args = register_setup(data_dir)
    waiting: list[bool] = []
    statuses: list[int] = []
    other = threading.Thread(target=lambda: statuses.append(command(data_dir, args)))

    def hashing(request):
        other.start()
        other.join(0.5)
        waiting.append(other.is_alive())
        raise BuildFailure(exitcodes.BUILD, "stopped after hashing")

    monkeypatch.setattr(stages, "start", hashing)
    result = stages.build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=tmp_path / "reports"))
    other.join()
    assert result.status == exitcodes.BUILD and waiting == [True] and statuses == [exitcodes.OK]


# --- the journal -----------------------------------------------------------------------------------------


def test_a_transaction_swaps_in_every_file_or_none(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    before = files(data_dir)
    sources, created = curated_dir(data_dir) / "sources.csv", data_dir / "raw" / "articles" / "new.txt"
    with changing(data_dir) as transaction:
        transaction.write(sources, b"new")
        transaction.write(created, b"text", mode=0o444)
        assert files(data_dir) == {**before, f"{TRANSACTION_DIR}/0.new": b"new", f"{TRANSACTION_DIR}/1.new": b"text"}
        transaction.apply()
        assert sources.read_bytes() == b"new" and created.read_bytes() == b"text"
    assert files(data_dir) == before  # left without commit: rolled back
    with changing(data_dir) as transaction:
        transaction.write(sources, b"new")
        transaction.write(created, b"text", mode=0o444)
        transaction.commit()
    assert files(data_dir) == {**before, "curated/sources.csv": b"new", "raw/articles/new.txt": b"text"}
    assert created.stat().st_mode & 0o777 == 0o444


def test_a_transaction_keeps_old_files_by_copy_where_hard_links_are_refused(tmp_path, monkeypatch):
    data_dir = seed_copy(tmp_path / "data")
    before = files(data_dir)
    sources = curated_dir(data_dir) / "sources.csv"
    monkeypatch.setattr(tx, "os", _Os(link=mock.Mock(side_effect=PermissionError("no hard links here"))))
    with changing(data_dir) as transaction:
        transaction.write(sources, b"new")
        transaction.apply()
        assert sources.read_bytes() == b"new"
    assert files(data_dir) == before
    with changing(data_dir) as transaction:
        transaction.write(sources, b"new")
        transaction.commit()
    assert sources.read_bytes() == b"new" and not (data_dir / TRANSACTION_DIR).exists()


def test_a_transaction_creates_a_missing_folder(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    with changing(data_dir) as transaction:
        transaction.write(data_dir / "raw" / "new" / "article.txt", b"text")
        transaction.commit()
    assert (data_dir / "raw" / "new" / "article.txt").read_bytes() == b"text"


def test_recover_rolls_back_what_the_journal_names_and_nothing_else(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    before = files(data_dir)
    transaction = Transaction(data_dir)
    transaction.write(curated_dir(data_dir) / "sources.csv", b"new")
    transaction.apply()  # then the process dies
    assert recover(data_dir) and files(data_dir) == before
    assert not recover(data_dir)  # nothing left to do


def test_a_build_or_dry_run_gives_up_with_75_while_a_data_command_changes_the_data(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    request = BuildRequest(params={"data_dir": str(data_dir)}, output_dir=tmp_path / "reports", lock_timeout=0.2)
    with changing(data_dir):
        results = [stages.preview(request), stages.build(request)]
    assert [r.status for r in results] == [exitcodes.LOCKED] * 2
    assert all("another command is changing the data" in r.message for r in results)


def test_the_same_review_accepted_twice_at_once_is_appended_once(tmp_path, capsys):
    data_dir = seed_copy(tmp_path / "data")
    args = accept_setup(data_dir)
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(command(data_dir, args))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [exitcodes.OK, exitcodes.DATA]
    assert "accepted twice?" in capsys.readouterr().err
    assert command(data_dir, ["validate"]) == exitcodes.OK


@pytest.mark.parametrize("args", [["validate"], ["draft", "art-001"], ["docs", "--check"], ["docs"]])
def test_every_command_that_reads_the_data_waits_for_a_change_then_gives_up_with_75(tmp_path, monkeypatch, args):
    data_dir = seed_copy(tmp_path / "data")
    monkeypatch.setattr(tx, "DATA_LOCK_TIMEOUT", 0.2)
    with changing(data_dir):
        assert command(data_dir, args) == exitcodes.LOCKED


@pytest.mark.parametrize("args", [["rehash"], ["docs"], ["register-article", "{article}", "--published", "2024-04-02"]])
def test_a_data_command_without_a_data_folder_says_so_with_64(tmp_path, capsys, args):
    (tmp_path / "x.txt").write_text("Anthropic raised money.\n")
    args = [a.format(article=tmp_path / "x.txt") for a in args] + (["--precision", "day"] if len(args) > 1 else [])
    assert command(tmp_path / "missing", args) == exitcodes.USAGE
    assert "missing: no such data folder" in capsys.readouterr().err


def test_a_damaged_journal_stops_every_command_with_a_way_out(tmp_path, capsys):
    data_dir = seed_copy(tmp_path / "data")
    (data_dir / TRANSACTION_DIR).mkdir()
    (data_dir / TRANSACTION_DIR / "journal.json").write_text('[{"target": ')
    assert command(data_dir, ["validate"]) == exitcodes.DATA
    assert "journal.json cannot be read (JSONDecodeError)" in capsys.readouterr().err
    assert command(data_dir, ["rehash"]) == exitcodes.DATA
    shutil.rmtree(data_dir / TRANSACTION_DIR)  # what the message says to do, once the data is restored
    assert command(data_dir, ["validate"]) == exitcodes.OK
