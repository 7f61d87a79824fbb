"""The command line: exit statuses and messages."""

import subprocess
import sys

import pytest
from fixtures import SEED_DIR

from aiinvest import exitcodes
from aiinvest.cli import main


def test_validate_ok(capsys):
    assert main(["--data-dir", str(SEED_DIR), "validate"]) == exitcodes.OK
    assert "data package valid" in capsys.readouterr().out


@pytest.mark.slow  # a new interpreter: the real exit status
def test_validate_reports_every_problem_and_exits_nonzero(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace("2750000000", "0"))
    edit_csv("companies", lambda t: t.replace(",investor,art-000", ",banker,art-000"))
    result = subprocess.run(
        [sys.executable, "-m", "aiinvest.cli", "--data-dir", str(data_dir), "validate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == exitcodes.DATA
    assert result.stderr.startswith("3 problem(s) in the curated data:")
    assert "investments.csv:3: column 'amount_usd': value '0': expected a number greater than 0" in result.stderr
    assert "companies.csv:3: column 'role': value 'banker'" in result.stderr


def test_rehash_records_a_reviewed_edit(data_dir, edit_csv, capsys):
    edit_csv("events", lambda t: t.replace("Apple is rumoured", "Apple is said"), record_hash=False)
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.DATA
    assert main(["--data-dir", str(data_dir), "rehash"]) == exitcodes.OK
    assert "updated hashes: events" in capsys.readouterr().out
