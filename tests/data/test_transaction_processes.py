"""The data commands across real process boundaries: SIGKILL at every change, SIGTERM mid-change, two at once."""

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import SEED_DIR

from aiinvest import exitcodes
from aiinvest.config import curated_dir
from aiinvest.data import transaction as tx
from aiinvest.data.transaction import TRANSACTION_DIR

pytestmark = pytest.mark.slow  # every test starts processes
HERE = Path(__file__).parent
MUTATIONS = ("replace", "link", "unlink", "fsync", "chmod")
AIINVEST = [sys.executable, "-m", "aiinvest.cli"]


def seed_copy(folder: Path) -> Path:
    shutil.copytree(SEED_DIR, folder, ignore=shutil.ignore_patterns("README.md"))
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def files(data_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def register_args(data_dir: Path, article: Path) -> list[str]:
    dated = ["--published", "2024-04-02", "--precision", "day"]
    return ["--data-dir", str(data_dir), "register-article", str(article), *dated]


def stopping(data_dir: str, article: str, step: str, how: str) -> None:
    """Run in a subprocess: register-article, stopped just before its step-th change to the file system.

    how: "kill" (SIGKILL itself), "term" (write a marker, then wait for the test's SIGTERM) or "count" (print
    how many changes a run makes, stopping none).
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
    status = main(register_args(Path(data_dir), Path(article)))
    if how == "count":
        print(next(calls) - 1)
    sys.exit(status)


def run_stopping(data_dir: Path, article: Path, step: int, how: str) -> subprocess.Popen:
    code = "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/..']; import test_transaction_processes as t; "
    code += "t.stopping(*sys.argv[2:])"
    args = [sys.executable, "-c", code, str(HERE), str(data_dir), str(article), str(step), how]
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True)


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("Anthropic raises $1 billion from Example Capital. More text follows.\n")
    return path


def test_register_article_killed_at_every_change_leaves_old_or_new_data(tmp_path, article):
    reference = seed_copy(tmp_path / "reference" / "data")
    before = files(reference)
    counting = run_stopping(reference, article, 0, "count")
    steps = int(counting.communicate()[0].split()[-1])
    assert counting.returncode == exitcodes.OK and steps >= 8
    after = files(reference)
    for step in range(1, steps + 1):
        data_dir = seed_copy(tmp_path / str(step) / "data")
        killed = run_stopping(data_dir, article, step, "kill")
        assert killed.wait() == -signal.SIGKILL
        validate = subprocess.run([*AIINVEST, "--data-dir", str(data_dir), "validate"], check=False)
        assert validate.returncode == exitcodes.OK, f"step {step}"  # the next command recovers
        assert files(data_dir) in (before, after), f"step {step}: a mix of old and new"
        if files(data_dir) == before:
            retry = subprocess.run([*AIINVEST, *register_args(data_dir, article)], check=False)
            assert retry.returncode == exitcodes.OK, f"step {step}: the retry failed"
        assert files(data_dir) == after
        shutil.rmtree(data_dir.parent)


@pytest.mark.parametrize("step", [6, 12])  # a staged file written; the swaps begun
def test_sigterm_rolls_back_cleanly(tmp_path, article, step):
    data_dir = seed_copy(tmp_path / "data")
    before = files(data_dir)
    process = run_stopping(data_dir, article, step, "term")
    while not (tmp_path / "waiting").exists():
        assert process.poll() is None, "the command ended before the step"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != exitcodes.OK
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
    assert subprocess.run([*AIINVEST, "--data-dir", str(data_dir), "validate"], check=False).returncode == 0
    assert tx.TRANSACTION_DIR not in os.listdir(data_dir)
