"""The data commands across real process boundaries: SIGKILL at every change, SIGTERM mid-change, two at once."""

import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import seed_copy
from fixtures.changes import COMMANDS, accept_setup, files
from fixtures.zygote import Zygote

from aiinvest import exitcodes
from aiinvest.config import curated_dir
from aiinvest.data import transaction as tx
from aiinvest.data.transaction import TRANSACTION_DIR, DataBusy, data_lock

pytestmark = pytest.mark.slow  # every test starts processes
HERE = Path(__file__).parent
MUTATIONS = ("replace", "link", "unlink", "fsync", "chmod")
AIINVEST = [sys.executable, "-m", "aiinvest.cli"]


def register_args(data_dir: Path, article: Path) -> list[str]:
    dated = ["--published", "2024-04-02", "--precision", "day"]
    return ["--data-dir", str(data_dir), "register-article", str(article), *dated]


def stopping(data_dir: str, args: str, step: str, how: str) -> None:
    """Run in a subprocess: `aiinvest --data-dir DATA ARGS...`, stopped just before its step-th change to the files.

    args: the command's arguments as JSON. how: "kill" (SIGKILL itself), "term" (write a marker, then wait
    for the test's SIGTERM) or "count" (print how many changes a run makes, stopping none).
    """
    from aiinvest.cli import main

    calls = itertools.count(1)

    def dying(change):
        def step_then(*args, **kwargs):
            if next(calls) == int(step):
                if how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                Path(data_dir, "..", "waiting").write_text("")
                time.sleep(5)  # the SIGTERM arrives meanwhile (held until the swaps are done)
            return change(*args, **kwargs)

        return step_then

    for name in MUTATIONS:
        setattr(os, name, dying(getattr(os, name)))
    status = main(["--data-dir", data_dir, *json.loads(args)])
    if how == "count":
        print(next(calls) - 1)
    sys.exit(status)


def command(*argv: str) -> int:
    """`aiinvest ARGV...`, as the zygote's child runs it."""
    from aiinvest.cli import main

    return main(list(argv))


@pytest.fixture(scope="module")
def zygote():
    """One process with the project imported, forking a fresh process per command (fixtures.zygote)."""
    forking = Zygote(["aiinvest.cli", "test_transaction_processes"], path=[HERE, HERE.parent])
    yield forking
    forking.close()


def run_stopping(zygote: Zygote, data_dir: Path, args: list[str], step: int, how: str, stdout: Path | None = None):
    return zygote.start("test_transaction_processes:stopping", [data_dir, json.dumps(args), step, how], stdout)


def aiinvest(data_dir: Path, args: list[str], zygote: Zygote | None = None) -> int:
    if zygote:
        return zygote.run("test_transaction_processes:command", ["--data-dir", data_dir, *args])
    return subprocess.run([*AIINVEST, "--data-dir", str(data_dir), *args], check=False).returncode


@pytest.mark.parametrize("name", COMMANDS)
def test_a_data_command_killed_at_every_change_leaves_old_or_new_data(tmp_path, zygote, name):
    reference = seed_copy(tmp_path / "reference" / "data")
    args = COMMANDS[name](reference)
    before = files(reference)
    counting = run_stopping(zygote, reference, args, 0, "count", tmp_path / "count.txt")
    assert counting.wait() == exitcodes.OK
    steps = int(counting.output().split()[-1])
    assert steps >= 8
    after = files(reference)
    for step in range(1, steps + 1):
        data_dir = seed_copy(tmp_path / str(step) / "data")
        args = COMMANDS[name](data_dir)
        assert run_stopping(zygote, data_dir, args, step, "kill").wait() == -signal.SIGKILL
        status = aiinvest(data_dir, ["validate"], zygote)  # the next command (a new process) recovers
        assert files(data_dir) in (before, after), f"step {step}: a mix of old and new"
        # valid, but for rehash's own starting point: an edit not yet rehashed
        valid = not (name == "rehash" and files(data_dir) == before)
        assert status == (exitcodes.OK if valid else exitcodes.DATA), f"step {step}"
        if files(data_dir) == before:
            assert aiinvest(data_dir, args, zygote) == exitcodes.OK, f"step {step}: the retry failed"
        assert files(data_dir) == after
        shutil.rmtree(data_dir.parent)


@pytest.mark.parametrize("step", [6, 12])  # a staged file written; the swaps begun
def test_sigterm_rolls_back_cleanly(tmp_path, zygote, step):
    data_dir = seed_copy(tmp_path / "data")
    args = COMMANDS["register-article"](data_dir)
    before = files(data_dir)
    process = run_stopping(zygote, data_dir, args, step, "term")
    while not (tmp_path / "waiting").exists():
        assert _running(process.pid), "the command ended before the step"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait() != exitcodes.OK
    assert files(data_dir) == before and not (data_dir / TRANSACTION_DIR).exists()


def test_two_register_article_processes_at_once_both_succeed(tmp_path):
    data_dir = seed_copy(tmp_path / "data")
    processes = []
    for n in range(3):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"Article {n} says Anthropic raised money.\n")
        processes.append(subprocess.Popen([*AIINVEST, *register_args(data_dir, path)]))
    assert [p.wait(timeout=120) for p in processes] == [exitcodes.OK] * 3
    sources = (curated_dir(data_dir) / "sources.csv").read_text(encoding="utf-8")
    assert all(f"art-00{n}" in sources for n in (2, 3, 4))
    assert aiinvest(data_dir, ["validate"]) == exitcodes.OK
    assert tx.TRANSACTION_DIR not in os.listdir(data_dir)


def test_draft_accept_during_a_build_waits_and_the_report_is_of_the_bytes_it_hashed(tmp_path):
    """The build holds the data from hashing to publishing: the accept changes nothing before the build ends."""
    data_dir = seed_copy(tmp_path / "data")
    accept = accept_setup(data_dir)
    before = (curated_dir(data_dir) / "investments.csv").read_bytes()
    build_args = ["build", "-o", str(tmp_path / "reports"), "--formats", "html"]
    build = subprocess.Popen([*AIINVEST, "--data-dir", str(data_dir), *build_args])
    while not _locked(data_dir):  # the build has taken the lock
        assert build.poll() is None, "the build ended before it took the lock"
        time.sleep(0.05)
    accepting = subprocess.Popen([*AIINVEST, "--data-dir", str(data_dir), *accept])
    assert build.wait(timeout=300) == exitcodes.OK
    assert accepting.wait(timeout=120) in (exitcodes.OK, exitcodes.LOCKED)  # waited 30 s at most
    (manifest_path,) = (tmp_path / "reports").glob("*/latest/manifest.json")
    manifest = json.loads(manifest_path.read_text())
    assert manifest["inputs"]["data/curated/investments.csv"] == hashlib.sha256(before).hexdigest()
    # the accepted rows (numbered inv-03 to inv-06 again) are not in the report: it is of the bytes it hashed
    assert "inv-03" not in (manifest_path.parent / "report.html").read_text(encoding="utf-8")
    assert aiinvest(data_dir, ["validate"]) == exitcodes.OK


def _locked(data_dir: Path) -> bool:
    try:
        with data_lock(data_dir, exclusive=True, timeout=0):
            return False
    except DataBusy:
        return True


def _running(pid: int) -> bool:
    """The process is alive and not yet a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False
