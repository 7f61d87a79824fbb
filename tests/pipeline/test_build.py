"""Scheduled builds: atomic, incremental, locked, parallel, and never silent about failure."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import psutil
import pypdf
import pytest
from filelock import FileLock
from fixtures import SEED_DIR
from fixtures.builds import writable_copy
from fixtures.notebooks import header_only

from aiinvest import exitcodes
from aiinvest.config import PARAMS_DIR
from aiinvest.data.schema import rehash
from aiinvest.pipeline import BuildRequest, build
from aiinvest.pipeline.manifest import hash_outputs
from aiinvest.report.params import read_params_file

HTML_ONLY = ("html",)
KERNEL_TCP_WARNING = "Kernel is running over TCP without encryption"  # what ipykernel says over TCP
# The default report, of the frozen seed data (tests/fixtures/README.md), as conftest's built_report is built
SEED = {**read_params_file(PARAMS_DIR / "anthropic.yaml"), "data_dir": str(SEED_DIR)}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes, symlinks by target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[key] = ("->" + os.readlink(path)).encode()
        elif path.is_file():
            out[key] = path.read_bytes()
    return out


def helpers() -> list[str]:
    """The processes a build starts that are still running: kernels and rendering processes (there must be none)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except psutil.Error:  # it ended meanwhile
            continue
        if "ipykernel_launcher" in line or "aiinvest.pipeline.render_worker" in line:
            found.append(line)
    return found


@pytest.fixture
def reports(built_report, tmp_path) -> Path:
    """A private copy of a reports folder holding one good build, the shared default report (lock files left)."""
    return writable_copy(built_report.folder.parent.parent, tmp_path / "reports")


def test_layout_latest_pointer_and_manifest(reports):
    folder = reports / "anthropic" / "2024-03-27"
    assert os.readlink(reports / "anthropic" / "latest") == "2024-03-27"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["request"]["formats"] == ["html", "pdf"]
    assert manifest["outputs"] == json.loads(json.dumps(hash_outputs(folder)))
    assert set(manifest["outputs"]) >= {"report.html", "report.pdf", "report.ipynb", "figures/tranches.svg"}


def test_rebuild_with_no_change_does_nothing(reports, monkeypatch):
    import aiinvest.pipeline.stages

    before = snapshot(reports)
    monkeypatch.setattr(
        aiinvest.pipeline.stages, "resolve_parameters", lambda *a: pytest.fail("a no-op rebuild must not load data")
    )
    result = build(BuildRequest(params=SEED, output_dir=reports))
    assert result.status == exitcodes.OK and not result.built
    assert result.message.startswith("up to date: ")
    assert snapshot(reports) == before


def test_force_rebuilds(reports):
    result = build(BuildRequest(params=SEED, output_dir=reports, force=True))  # the same request: only forced
    assert result.status == exitcodes.OK and result.built


def test_a_changed_input_triggers_a_rebuild(reports, data_dir):
    path = data_dir / "curated" / "events.csv"
    path.write_text(path.read_text().replace("Apple is rumoured", "Apple is said"))
    rehash(data_dir)
    result = build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=reports, formats=HTML_ONLY))
    assert result.status == exitcodes.OK and result.built
    assert "Apple is said" in (result.folder / "report.html").read_text()


@pytest.mark.parametrize(
    ("code", "timeout", "expected"),
    [
        ("raise ValueError('boom')", 60, r"notebook cell \d+ \(raise ValueError\('boom'\)\) raised ValueError: boom"),
        (
            "import time; time.sleep(90)",
            2,  # above what the parameter cells before it take on a loaded machine (nbclient counts whole seconds)
            r"notebook cell \d+ \(import time; time.sleep\(90\)\) exceeded the time limit of 2s",
        ),
        (
            "import os; os.kill(os.getpid(), 9)",
            60,
            r"notebook cell \d+ \(import os; os.kill\(os.getpid\(\), 9\)\) killed the kernel",
        ),
    ],
    ids=["cell-raises", "cell-timeout", "kernel-dies"],
)
def test_failed_build_names_the_cell_and_leaves_the_previous_report_intact(reports, tmp_path, code, timeout, expected):
    before = snapshot(reports / "anthropic")
    notebook = header_only(tmp_path, code)  # the failure is the pipeline's to report: the kernel and one cell
    request = BuildRequest(
        params=SEED, output_dir=reports, formats=HTML_ONLY, force=True, cell_timeout=timeout, notebook=notebook
    )
    result = build(request)
    assert result.status == exitcodes.BUILD
    assert re.search(expected, result.message), result.message
    kept = list((reports / "failed").glob("anthropic-*.ipynb"))
    assert len(kept) == 1 and f"kept in {kept[0]}" in result.message
    assert snapshot(reports / "anthropic") == before
    assert not any((reports / ".tmp").iterdir())
    assert helpers() == []  # the kernel started beforehand and the rendering processes are gone


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_a_rendering_process_that_dies_fails_the_build_and_keeps_the_notebook(reports, monkeypatch, kind):
    from aiinvest.pipeline.render_process import RenderProcess

    real = RenderProcess.render

    def render(self, *args):
        if self.kind == kind:
            self._process.kill()  # as the OOM killer may
        real(self, *args)

    monkeypatch.setattr(RenderProcess, "render", render)
    before = snapshot(reports / "anthropic")
    result = build(BuildRequest(params=SEED, output_dir=reports, force=True))
    assert result.status == exitcodes.BUILD
    assert f"rendering failed (RuntimeError: the {kind.upper()} process died (exit status -9))" in result.message
    kept = list((reports / "failed").glob("anthropic-*.ipynb"))
    assert len(kept) == 1 and f"kept in {kept[0]}" in result.message
    assert snapshot(reports / "anthropic") == before
    assert not any((reports / ".tmp").iterdir())
    assert helpers() == []


def test_a_rendering_process_that_fails_says_why(tmp_path):
    from aiinvest.pipeline.render_process import RenderProcess

    process = RenderProcess("pdf")
    try:
        process.render(tmp_path / "missing.ipynb", tmp_path / "report.pdf", {})
        with pytest.raises(RuntimeError, match=r"^FileNotFoundError: .*missing\.ipynb"):
            process.wait()
    finally:
        process.close()
    assert not (tmp_path / "report.pdf").exists() and helpers() == []


def test_invalid_data_exits_65_and_keeps_the_report(reports, data_dir):
    (data_dir / "curated" / "valuations.csv").write_text("valuation_id\n")
    rehash(data_dir)
    before = snapshot(reports / "anthropic")
    result = build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=reports, formats=HTML_ONLY))
    assert result.status == exitcodes.DATA
    assert "valuations.csv:1: column 'fact_id': expected this column in the header" in result.message
    assert snapshot(reports / "anthropic") == before
    assert helpers() == []


def test_data_error_found_while_the_kernel_runs_exits_65(reports, data_dir, tmp_path):
    # The data loads and the parameters resolve; only full validation finds the forged quote.
    path = data_dir / "curated" / "valuations.csv"
    path.write_text(path.read_text().replace("now reported at $18.4 billion", "now reported at $28.4 billion"))
    rehash(data_dir)
    before = snapshot(reports / "anthropic")
    notebook = header_only(tmp_path)  # the kernel runs (and would publish) while the validation finds the error
    request = BuildRequest(params={"data_dir": str(data_dir)}, output_dir=reports, formats=HTML_ONLY, notebook=notebook)
    result = build(request)
    assert result.status == exitcodes.DATA, result.message
    assert "valuations.csv:2: column 'quote'" in result.message
    assert "expected a verbatim quote from source art-001" in result.message
    assert snapshot(reports / "anthropic") == before


def test_lock_held_too_long_exits_75(reports):
    (reports / ".locks").mkdir()
    lock = FileLock(reports / ".locks" / "anthropic-2024-03-27.lock")
    with lock:
        result = build(BuildRequest(params=SEED, output_dir=reports, formats=HTML_ONLY, force=True, lock_timeout=0.5))
    assert result.status == exitcodes.LOCKED
    assert "held the lock for 0.5s" in result.message
    assert helpers() == []  # the kernel started while the parameters were checked is shut down


def test_an_unknown_subject_exits_64_and_leaves_no_kernel(reports):
    result = build(BuildRequest(params={**SEED, "company": "Nobody Inc"}, output_dir=reports, formats=HTML_ONLY))
    assert result.status == exitcodes.PARAMETERS, result.message
    assert "Nobody Inc" in result.message
    assert helpers() == []


def test_build_called_from_a_running_event_loop_completes(tmp_path):
    # As in a Jupyter notebook: papermill then runs its kernel client on a helper thread, and
    # the validation process must not inherit that thread's locks.
    import asyncio

    notebook = header_only(tmp_path / "notebook")  # papermill's kernel client is what runs differently here
    out = tmp_path / "reports"

    async def inside_a_loop():
        first = build(BuildRequest(params=SEED, output_dir=out, formats=HTML_ONLY, notebook=notebook))
        second = build(BuildRequest(params=SEED, output_dir=out, formats=HTML_ONLY, force=True, notebook=notebook))
        return first, second

    for result in asyncio.run(inside_a_loop()):
        assert result.status == exitcodes.OK and result.built, result.message


def run_cli(*args: str, cwd: Path) -> subprocess.Popen:
    """`aiinvest build` of the cut-down report notebook (fixtures.notebooks), HTML only, from the seeds."""
    notebook = cwd / "notebook" / "header_only.ipynb"  # written once: two builds may start from it at once
    if not notebook.exists():
        header_only(notebook.parent)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiinvest.cli",
            "--data-dir",
            str(SEED_DIR),
            "build",
            "--notebook",
            str(notebook),
            "--formats",
            "html",
            *args,
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_builds_started_at_once_do_not_corrupt_each_other(tmp_path):
    out = tmp_path / "reports"
    first = run_cli("-o", str(out), cwd=tmp_path)
    second = run_cli("-o", str(out), cwd=tmp_path)
    results = [(*p.communicate(timeout=300), p.returncode) for p in (first, second)]
    assert [r[2] for r in results] == [0, 0], results
    outs = sorted(r[0] for r in results)
    assert sum("Anthropic: built " in o for o in outs) == 1, outs
    assert sum("up to date" in o for o in outs) == 1, outs
    folder = out / "anthropic" / "2024-03-27"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["outputs"] == json.loads(json.dumps(hash_outputs(folder)))
    # Not on a terminal: plain, timestamped log lines.
    stderr = results[0][1] + results[1][1]
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000 INFO aiinvest.build: Anthropic: ", stderr, re.M)
    assert KERNEL_TCP_WARNING not in stderr  # the kernel talks over private Unix sockets (ipc_kernel_config)


def test_several_parameter_files_build_in_parallel(tmp_path):
    early, late = tmp_path / "early.yaml", tmp_path / "late.yaml"
    early.write_text("company: Anthropic\nas_of: '2024-03-15'\n")
    late.write_text("company: Anthropic\nunit: millions\n")
    process = run_cli(str(early), str(late), "-j", "2", "-o", str(tmp_path / "out"), cwd=tmp_path)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert KERNEL_TCP_WARNING not in stderr and "Warning" not in stderr, stderr  # two kernels at once, no ports
    assert "Anthropic as of 2024-03-15: built out/anthropic/2024-03-15" in stdout  # log lines name the subject
    assert "Anthropic: built out/anthropic/2024-03-27" in stdout
    assert os.readlink(tmp_path / "out" / "anthropic" / "latest") == "2024-03-27"
    assert "$1,250M" in (tmp_path / "out" / "anthropic" / "2024-03-27" / "report.html").read_text()
    early_html = (tmp_path / "out" / "anthropic" / "2024-03-15" / "report.html").read_text()
    assert "$18.4B" not in early_html  # the valuation source was published later
    assert stdout.count("index of all reports: out/index.html") == 1  # each build made it current; named once
    index = (tmp_path / "out" / "index.html").read_text()
    assert 'href="anthropic/2024-03-15/report.html"' in index and 'href="anthropic/2024-03-27/report.html"' in index


def test_text_from_the_data_is_escaped_and_no_local_path_leaks(tmp_path, data_dir):
    events = data_dir / "curated" / "events.csv"
    events.write_text(
        events.read_text()
        .replace(
            "Apple is rumoured to be considering", '<script>alert("x")</script> Apple is rumoured to be considering'
        )
        .replace("Apple iOS 18 collaboration", "<b>Apple</b> & <i>iOS 18</i>")
    )
    rehash(data_dir)
    out = tmp_path / "out"
    result = build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=out))
    assert result.status == exitcodes.OK, result.message
    html = result.outputs["html"].read_text()
    assert "<script>alert(" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt; Apple is rumoured' in html
    assert "<b>Apple</b>" not in html.replace("\\u003cb\\u003eApple", "")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(result.outputs["pdf"]).pages)
    assert '<script>alert("x")</script> Apple is rumoured' in " ".join(text.split())
    for path in result.folder.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".json", ".svg"}:
            content = path.read_text(encoding="utf-8")
            assert str(tmp_path) not in content, path
            assert str(Path.home()) + "/" not in content, path
