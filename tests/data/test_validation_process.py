"""The validation process: its outcomes, its time limit, its death, and what it never inherits."""

import os
import subprocess
import sys

from fixtures import SEED_DIR

from aiinvest.data.schema import rehash
from aiinvest.data.validate import GATED_BY_BUILD, Problem, package_digest
from aiinvest.data.validation_process import CRASH, INVALID, VALID, BackgroundValidation


def test_good_data_is_valid_and_the_process_times_itself():
    with BackgroundValidation(SEED_DIR) as validation:
        assert validation.outcome() == (VALID, None)
    assert 0 < validation.seconds < 120
    assert validation.outcome() == (VALID, None)  # asked again: the same answer, no new wait


def test_problems_come_back_as_problems(data_dir):
    (data_dir / "curated" / "valuations.csv").write_text("valuation_id\n")
    rehash(data_dir)
    with BackgroundValidation(data_dir) as validation:
        kind, problems = validation.outcome()
    assert kind == INVALID
    assert all(isinstance(p, Problem) for p in problems)
    assert "valuations.csv:1: column 'fact_id': expected this column in the header" in "\n".join(map(str, problems))


def test_overrunning_the_time_limit_is_a_crash_and_stops_the_process():
    with BackgroundValidation(SEED_DIR, timeout=0.01) as validation:
        assert validation.outcome() == (CRASH, "the validation process did not finish within 0.01s")
        assert validation._process.poll() is not None


def test_a_process_that_dies_is_a_crash_not_a_hang():
    with BackgroundValidation(SEED_DIR, timeout=120) as validation:
        os.kill(validation._process.pid, 9)
        assert validation.outcome() == (CRASH, "the validation process died (exit status -9)")


def test_it_validates_even_when_the_caller_is_told_a_build_validates(data_dir, monkeypatch):
    # The kernel skips validation for the digest the build validates; the validator itself must not.
    (data_dir / "curated" / "valuations.csv").write_text("valuation_id\n")
    rehash(data_dir)
    monkeypatch.setenv(GATED_BY_BUILD, package_digest(data_dir))
    with BackgroundValidation(data_dir) as validation:
        assert validation.outcome()[0] == INVALID


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path):
    # multiprocessing's spawn would re-import this script in the child and build again.
    script = tmp_path / "script.py"
    script.write_text(
        "from pathlib import Path\n"
        "from aiinvest.data.validation_process import BackgroundValidation\n"
        "print('script ran')\n"
        f"with BackgroundValidation(Path({str(SEED_DIR)!r})) as validation:\n"
        "    print(tuple(validation.outcome()))\n"
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["script ran", "('valid', None)"]


def test_an_unwritable_cache_still_gives_an_outcome(tmp_path, monkeypatch, capfd):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "file" / "cache"))  # every build used to exit 70
    with BackgroundValidation(SEED_DIR) as validation:
        assert validation.outcome() == (VALID, None)
    assert "warning: cannot write the validation cache" in capfd.readouterr().err
