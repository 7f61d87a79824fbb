"""Curating an article never breaks the suite: no test depends on what the live data folder holds.

The project is copied (its code, tests, notebooks and parameters; its data/ starts as the frozen seed
data, byte for byte today's data/), an invented article is registered and curated into the copy's
data/ as docs/curation.md says, and the copy's in-process tier (`make test-fast`'s tests) runs against
the copy. The copy's data/ then differs from the seed data by one more source and its claims; every
test must still pass, because the tests read the seed data (tests/fixtures/README.md), never data/.
The live data's own checks, `aiinvest validate` and `aiinvest docs --check`, pass on the curated copy.

The copy's run is every in-process test, each property with one example (the "once" profile), in one process.
Whether a test reads data/ does not hang on its generated examples, and every example of the main run is
already watched in-process by conftest's guard (an audit hook: any read of data/ from Python, in a test or in
one of its fixtures of any scope, fails the test); what the copy adds is what the guard cannot see (a read from
native code, a file made from data/ elsewhere), and one example of each test shows it. The search for
counterexamples is the main run's.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import SEED_DIR
from fixtures.later import article_file, fixture_rows

from aiinvest import exitcodes
from aiinvest.config import ENV_CACHE_DIR, ENV_ROOT, PROJECT_ROOT

ARTICLE = "art-101"  # INVENTED FOR TESTS: its text and claim rows, curated here under the next real id
# What a copy of the project leaves out: environments, caches, build output, the live data (the seed data instead).
NOT_COPIED = {".venv", ".git", "node_modules", "build", "reports", "drafts", "data"}
CACHES = ("__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis")


def copy_project(target: Path) -> Path:
    """The project without its environment and output, its data/ a copy of the seed data."""

    def left_out(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n in CACHES or (Path(folder) == PROJECT_ROOT and n in NOT_COPIED)]

    shutil.copytree(PROJECT_ROOT, target, ignore=left_out)
    shutil.copytree(SEED_DIR, target / "data")
    return target


def in_copy(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command in the copied project, with its own package (src/) and project root."""
    env = {**os.environ, "PYTHONPATH": str(project / "src"), ENV_ROOT: str(project)}
    env[ENV_CACHE_DIR] = str(project / "build" / "cache")
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == exitcodes.OK, f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def aiinvest(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`.venv/bin/aiinvest ARGS` in the copy (no --data-dir: the copy's own data/, as an analyst works)."""
    return in_copy(project, sys.executable, "-m", "aiinvest.cli", *args, check=check)


def next_id(rows: list[dict], column: str) -> str:
    """The next free id of a table, with the same prefix and zero padding (docs/curation.md, 1.2)."""
    prefix, number = re.fullmatch(r"([a-z]+-)(\d+)", rows[-1][column]).groups()
    return f"{prefix}{int(number) + 1:0{len(number)}d}"


def add_claim_rows(data: Path, source_id: str) -> list[str]:
    """Append the invented article's claims to the curated tables by hand, each with the next free id."""
    added = []
    for table, rows in fixture_rows(ARTICLE).items():
        if table == "sources":  # register-article wrote it
            continue
        path = data / "curated" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        existing, id_column = list(reader), reader.fieldnames[0]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
        for row in rows:
            row = {**row, id_column: next_id(existing, id_column), "source_id": source_id}
            existing.append(row)
            added.append(row[id_column])
            writer.writerow(row)
        path.write_text(text + out.getvalue(), encoding="utf-8")
    return added


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> Path:
    """A copy of the project with one invented article registered and curated into its data/."""
    project = copy_project(tmp_path_factory.mktemp("copy") / "project")
    article = tmp_path_factory.mktemp("inbox") / "google-june.txt"
    shutil.copyfile(article_file(ARTICLE), article)
    (source,) = fixture_rows(ARTICLE)["sources"]
    registered = aiinvest(
        project, "register-article", str(article), "--published", source["published_date"], "--precision", "day",
        "--title", source["title"], "--publisher", source["publisher"],
    )  # fmt: skip
    assert "registered art-002" in registered.stdout  # the next real id: art-000 and art-001 are the seed's
    added = add_claim_rows(project / "data", "art-002")
    assert added == ["tot-02", "inv-07", "inv-08"]
    aiinvest(project, "rehash")  # make rehash
    aiinvest(project, "validate")  # make validate
    aiinvest(project, "docs")  # make docs
    return project


def test_the_copy_reads_its_own_package_and_data(curated):
    code = "import aiinvest, aiinvest.config as c; print(aiinvest.__file__); print(c.DATA_DIR)"
    package, data = in_copy(curated, sys.executable, "-c", code).stdout.split()
    assert Path(package).is_relative_to(curated / "src") and Path(data) == curated / "data"
    assert "art-002" in (curated / "data" / "curated" / "sources.csv").read_text(encoding="utf-8")
    assert (curated / "data" / "curated" / "sources.csv").read_bytes() != (
        SEED_DIR / "curated" / "sources.csv"
    ).read_bytes()


def test_the_live_data_checks_pass_on_a_correctly_curated_article(curated):
    assert "data package valid" in aiinvest(curated, "validate").stdout
    assert aiinvest(curated, "docs", "--check").returncode == exitcodes.OK
    assert "`art-002`" in (curated / "data" / "README.md").read_text(encoding="utf-8")


@pytest.mark.timeout(900)  # the whole in-process tier, in a new process, beside the rest of `make test`
def test_the_in_process_tier_passes_against_the_curated_copy(curated):
    tier = ["-m", "not slow", "--hypothesis-profile=once", "-p", "no:xdist"]  # make test-fast's tests, one example each
    command = [sys.executable, "-m", "pytest", str(curated / "tests"), *tier, "-x", "-q", "-p", "no:cacheprovider"]
    result = in_copy(curated, *command, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, f"{summary}\n{result.stdout[-6000:]}"
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary
