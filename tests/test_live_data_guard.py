"""The live-data guard (conftest): a test fails if it, or a fixture of any scope set up for it, reads data/.

Run in a pytest process of its own, on INVENTED FOR TESTS probe tests beside a copy of the suite's conftest."""

import shutil
import subprocess
import sys
from pathlib import Path

from aiinvest.config import PROJECT_ROOT

PROBES = '''"""INVENTED FOR TESTS: probes of the live-data guard (tests/test_live_data_guard.py)."""
import pytest
from aiinvest.config import DATA_DIR

LIVE = DATA_DIR / "curated" / "datapackage.json"


@pytest.fixture(scope="module")
def module_reads_live():
    LIVE.read_bytes()


@pytest.fixture(scope="session")
def session_reads_live():
    LIVE.read_bytes()


def test_module_fixture(module_reads_live):
    pass


def test_session_fixture(session_reads_live):
    pass


def test_call():
    LIVE.read_bytes()


def test_clean():
    pass
'''


def test_a_read_of_the_live_data_in_a_test_or_any_fixture_fails_the_test(tmp_path: Path):
    suite = tmp_path / "tests"
    suite.mkdir()
    shutil.copyfile(PROJECT_ROOT / "tests" / "conftest.py", suite / "conftest.py")
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures", suite / "fixtures")
    (suite / "test_probes.py").write_text(PROBES, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", str(suite), "-p", "no:xdist", "-p", "no:cacheprovider", "-rA", "-q"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    out = result.stdout
    assert result.returncode == 1, out[-3000:]
    for probe, phase in (("module_fixture", "setup"), ("session_fixture", "setup"), ("call", "call")):
        assert any(f"test_{probe}" in line and "reads the live data folder" in line for line in out.splitlines()), (
            probe,
            out[-3000:],
        )
        assert phase == "call" or f"test_{probe}: this test's {phase} (its fixtures)" in out, out[-3000:]
    assert "PASSED test_probes.py::test_clean" in out or "PASSED tests/test_probes.py::test_clean" in out, out[-3000:]
