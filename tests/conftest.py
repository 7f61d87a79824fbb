"""Shared fixtures: a private copy of the frozen seed data that tests may break; the tier and live-data guards."""

import gc
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures import seed_copy
from hypothesis import settings

from aiinvest.config import DATA_DIR, PROJECT_ROOT

OWN_CODE = (str(PROJECT_ROOT / "tests"), str(PROJECT_ROOT / "src"))
# a whole build (one report, or the shared store of them), a real browser, a Jupyter server
SLOW_FIXTURES = {"built_report", "built_reports", "browser", "jupyter"}
SLOW_MODULES = {
    "test_build.py",
    "test_artefact_paths.py",
    "test_changes.py",
    "test_kernel.py",
    "test_bench.py",
    "test_synthetic.py",
    "test_validation_process.py",
    "test_browser.py",
    "test_pdf_archive.py",
    "test_report.py",
    "test_lab.py",
    "test_curating_keeps_the_suite_green.py",
    "test_live_data_guard.py",
}  # builds, servers, browsers, processes, scale, the suite run on a copy: every test in them is slow


# Example budgets for the property-based tests: "full" for `make test` (and plain pytest), "fast" for
# `make test-fast`, "thorough" on request (`pytest --hypothesis-profile=thorough`), "once" for the run of the
# suite on a curated copy of the project (test_curating_keeps_the_suite_green: whether a test reads the data does
# not hang on its examples). Tests whose examples are costly take a fraction of the profile's budget. No example
# database: runs are independent of each other.
settings.register_profile("full", max_examples=100, deadline=None, database=None)
settings.register_profile("fast", max_examples=10, deadline=None, database=None)
settings.register_profile("once", max_examples=1, deadline=None, database=None)
settings.register_profile("thorough", max_examples=2000, deadline=None, database=None)
settings.load_profile("full")


# The live data folder: analysts add articles to it, so no test reads it (or writes to it). Tests read the frozen
# seed data, SEED_DIR (tests/fixtures/README.md), or the data_dir fixture's copy of it; `make test` checks the live
# data with `aiinvest validate` and `aiinvest docs --check`. An audit hook records every access from this process:
# to a file or folder inside data/, or a change to data/ itself (listing its names, as pkgutil does with every folder
# on sys.path, reads nothing). A relative path of one name is skipped: tree walkers open names relative to a folder.
LIVE_DATA = {os.path.abspath(DATA_DIR), os.path.realpath(DATA_DIR)}
LIVE_DATA_PREFIXES = tuple(folder + os.sep for folder in LIVE_DATA)
READS = frozenset({"open", "os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree"})
CHANGES = frozenset({"os.mkdir", "os.remove", "os.rename", "os.rmdir", "os.chmod", "os.utime", "shutil.rmtree"})
WATCHED = READS | CHANGES
live_data_accesses: list[str] = []  # "event path" of each access, in the order made


def _record_live_data_access(event: str, args: tuple) -> None:
    if event in WATCHED and args and isinstance(args[0], (str, bytes, os.PathLike)):
        name = os.fsdecode(args[0])
        if os.sep not in name:
            return
        path = os.path.abspath(name)
        if path.startswith(LIVE_DATA_PREFIXES) or (event in CHANGES and path in LIVE_DATA):
            live_data_accesses.append(f"{event} {os.path.relpath(path, PROJECT_ROOT)}")


sys.addaudithook(_record_live_data_access)


def _live_data_message(accesses: list[str]) -> str:
    return (
        f"reads the live data folder ({accesses[0]}; {len(accesses)} access(es)): read the frozen seed data "
        "(fixtures.SEED_DIR; --data-dir / -p data_dir= for a command or a build) or the data_dir fixture's copy"
    )


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A test module that reads the live data folder when it is imported fails to collect."""
    start = len(live_data_accesses)
    report = yield
    found = live_data_accesses[start:]
    if report.passed and found:
        report.outcome, report.longrepr = "failed", f"{collector.nodeid} {_live_data_message(found)}"
    return report


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """`make test-fast` (-m "not slow") does not even import the modules whose every test is slow."""
    if collection_path.name in SLOW_MODULES and config.getoption("markexpr", "").replace(" ", "") == "notslow":
        return True
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Exempt what is loaded by now (libraries, tests) from garbage collection: it lives to the end anyway."""
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Exit without a last garbage collection over the whole heap (the process ends: its memory goes back)."""
    gc.freeze()


def pytest_collection_modifyitems(items):
    """Mark the end-to-end tests slow, so `make test-fast` (`-m "not slow"`) leaves them out; run them first.

    Files with slow tests first: pytest-xdist hands out whole files in this order, so the long ones (the curated copy's
    run, the builds, the browsers) start at once and the short in-process modules fill both workers' ends.
    """
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: a file's tests stay together, in order


@pytest.fixture(autouse=True)
def processes_only_in_the_slow_tier(request, monkeypatch):
    """A test outside the slow tier that starts a process fails: mark it slow (`make test-fast` stays in-process)."""
    if request.node.get_closest_marker("slow"):
        yield
        return
    started = []
    real = subprocess.Popen.__init__

    def recording(self, args, *more, **options):
        frame = sys._getframe(1)
        while frame.f_back and frame.f_code.co_filename == subprocess.__file__:  # subprocess.run, check_output
            frame = frame.f_back
        if frame.f_code.co_filename.startswith(OWN_CODE):  # a library's own helper (ctypes' ldconfig) is not counted
            started.append(args if isinstance(args, str) else " ".join(map(str, args)))
        real(self, args, *more, **options)

    monkeypatch.setattr(subprocess.Popen, "__init__", recording)
    yield
    if started:
        pytest.fail(f"this test starts a process ({started[0][:120]}): mark it slow, or test in-process")


SEEN = pytest.StashKey[int]()  # how many live-data accesses had been recorded when a test's phase began


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Note where the test begins: its setup includes module and session fixtures set up for it."""
    item.stash[SEEN] = len(live_data_accesses)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test whose setup, call or teardown (its fixtures too, of any scope) reads or writes the live data/
    folder in this process fails: it reads the seed data instead."""
    report = yield
    found = live_data_accesses[item.stash.get(SEEN, len(live_data_accesses)) :]
    item.stash[SEEN] = len(live_data_accesses)
    if found and not report.failed:
        where = "this test" if call.when == "call" else f"this test's {call.when} (its fixtures)"
        report.outcome, report.longrepr = "failed", f"{item.nodeid}: {where} {_live_data_message(found)}"
    return report


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Keep the validation cache of test runs out of the user's cache folder."""
    import os

    os.environ["AIINVEST_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the seed data (curated tables and raw articles) in the working directory, as `data/`."""
    monkeypatch.chdir(tmp_path)
    return seed_copy(tmp_path / "data")


@pytest.fixture
def edit_csv(data_dir: Path) -> Callable[[str, Callable[[str], str]], Path]:
    """Rewrite one curated CSV's text and re-record its hash, as a curator would."""

    from aiinvest.data.schema import rehash  # here: jsonschema, which pytest-xdist's controller never needs

    def edit(name: str, change: Callable[[str], str], *, record_hash: bool = True) -> Path:
        path = data_dir / "curated" / f"{name}.csv"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        if record_hash:
            rehash(data_dir)
        return path

    return edit


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory):
    """The reports several modules read (fixtures.builds.REPORTS), each built once per run and shared read-only by
    both workers; a test that changed one fails the run at the end (chmod stops none of root's writes)."""
    from fixtures.builds import Store

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one folder for the run's workers
    store = Store(shared / "shared-reports")
    yield store
    if changed := store.changed():
        pytest.fail(f"a test changed {len(changed)} file(s) of the shared reports, e.g. {changed[0]}: copy them")


@pytest.fixture(scope="session")
def built_report(built_reports):
    """The default report (params/anthropic.yaml) from the seed data (HTML and PDF), built once per run."""
    return built_reports.one("seed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def jupyter(tmp_path_factory):
    """A Jupyter server (JupyterLab included) on loopback with the project kernel: (base URL, token, root).

    Configured as `make lab` configures it, from a copy of jupyter-config/ in `root`, which so stands for the
    project folder: a notebook saved in root/notebooks/ is a committed one. One per test process, shared by the
    modules that use it (each writes its own files in root)."""
    import os

    from aiinvest.kernel import install_kernel

    install_kernel()
    port, token = free_port(), secrets.token_hex(16)
    root = tmp_path_factory.mktemp("server-root")
    shutil.copytree(PROJECT_ROOT / "jupyter-config", root / "jupyter-config")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(root / "jupyter-config")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.port_retries=0",
            "--ServerApp.allow_root=True",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"Jupyter server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield base, token, root
    process.terminate()
    process.wait(timeout=30)


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium: Playwright's own where installed, else the system's (Debian's chromium).

    Module-scoped: Playwright's sync API leaves its event loop marked as running in this thread,
    which would change how later tests' papermill runs schedule their work.
    """
    import os
    import shutil

    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(args=CHROMIUM_FLAGS)
        except Error:
            path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
            assert path, "no Chromium: run 'make system-deps' or '.venv/bin/playwright install chromium'"
            instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
