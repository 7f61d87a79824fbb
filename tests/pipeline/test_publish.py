"""Publishing is one atomic step: a build killed at any instant leaves the old report or the new one, never
nothing and never a mix, and the next build of the same report clears what it left, sparing live builds."""

import itertools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from fixtures.zygote import Zygote

from aiinvest.pipeline import publish as publishing
from aiinvest.pipeline import stages as pipeline
from aiinvest.pipeline.manifest import MANIFEST_NAME, hash_outputs, outputs_intact, read_manifest, write_json
from aiinvest.pipeline.publish import BUILDS_DIR, TMP_DIR, find_up_to_date, lock, output_paths, update_latest
from aiinvest.pipeline.run import BuildRequest, Run

COMPANY, DATE, EARLIER = "acme", "2024-03-27", "2024-03-15"
MUTATIONS = ("mkdir", "rename", "replace", "symlink", "unlink", "rmdir", "chmod")  # every change publishing makes
HERE = Path(__file__).parent


def write_report(folder: Path, text: str) -> None:
    """A small report: two outputs and a manifest whose fingerprint names the version."""
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "report.html").write_text(f"<p>{text}</p>")
    (folder / "figures" / "chart.svg").write_text(f"<svg>{text}</svg>")
    write_json(folder / MANIFEST_NAME, {"fingerprint": text, "outputs": hash_outputs(folder)})


def fake_build(reports: Path, date: str, text: str) -> None:
    """A build as `_build` runs it once the notebook is executed: lock, stage, publish, then point `latest`."""
    run = Run(BuildRequest(output_dir=reports), reports)
    run.folder, run.params = reports / COMPANY / date, SimpleNamespace(company_id=COMPANY)
    with (
        mock.patch.object(pipeline, "execute_and_render", lambda run: write_report(run.work, text)),
        mock.patch.object(pipeline, "write_manifest", lambda run: None),
    ):
        with lock(run):
            pipeline.stage_and_publish(run)
        update_latest(run.folder)


def killed_build(reports: str, step: str) -> None:
    """Run in a subprocess: `fake_build`, SIGKILLed just before its step-th change to the file system."""
    calls = itertools.count(1)

    def dying(change):
        def step_then(*args, **kwargs):
            if next(calls) == int(step):
                os.kill(os.getpid(), signal.SIGKILL)
            return change(*args, **kwargs)

        return step_then

    for name in MUTATIONS:
        setattr(os, name, dying(getattr(os, name)))
    publishing._exchange = dying(publishing._exchange)
    fake_build(Path(reports), DATE, "new")


@pytest.fixture(scope="module")
def zygote():
    """One process with the pipeline imported, forking a fresh process per killed build (fixtures.zygote)."""
    forking = Zygote(["test_publish"], path=[HERE, HERE.parent])
    yield forking
    forking.close()


def run_killed(zygote: Zygote, reports: Path, step: int) -> int:
    return zygote.run("test_publish:killed_build", [reports, step])


def version(path: Path) -> str | None:
    """The version of the report at path (None if there is none), after checking it is complete and unmixed."""
    if not (path.exists() or path.is_symlink()):
        return None
    manifest = read_manifest(path)
    assert manifest and outputs_intact(path, manifest), f"{path} is not a complete report"
    files = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()} - {MANIFEST_NAME}
    assert files == set(manifest["outputs"]), f"{path} mixes two builds"
    assert (path / "report.html").read_text() == f"<p>{manifest['fingerprint']}</p>"
    return manifest["fingerprint"]


def leftovers(reports: Path) -> list[str]:
    """Temporary names, unreferenced builds and staging folders: what a clean reports folder has none of."""
    company = reports / COMPANY
    used = {p.resolve() for p in company.iterdir() if p.is_symlink()}
    found = [p for p in company.iterdir() if p.name.startswith(".") and p.name != BUILDS_DIR]
    found += [p for p in (company / BUILDS_DIR).iterdir() if p.resolve() not in used]
    found += list((reports / TMP_DIR).iterdir())
    return sorted(p.relative_to(reports).as_posix() for p in found)


def old_layout(reports: Path) -> None:
    """A report folder as versions before .builds published it: a real folder, `latest` naming it."""
    write_report(reports / COMPANY / DATE, "old")
    (reports / COMPANY / "latest").symlink_to(DATE)


SCENARIOS = {  # set-up, and the (date, latest, earlier date) versions a kill may leave
    "first": (lambda r: None, {(None, None, None), ("new", None, None), ("new", "new", None)}),
    "republish": (lambda r: fake_build(r, DATE, "old"), {("old", "old", None), ("new", "new", None)}),
    "migration": (old_layout, {("old", "old", None), ("new", "new", None)}),
    "newer-date": (
        lambda r: fake_build(r, EARLIER, "old"),
        {(None, "old", "old"), ("new", "old", "old"), ("new", "new", "old")},
    ),
}


@pytest.mark.slow  # about 14 processes killed and forked again per scenario
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_build_killed_at_any_step_leaves_a_complete_report_and_the_next_build_clears_up(tmp_path, zygote, scenario):
    set_up, allowed = SCENARIOS[scenario]
    earlier = next(iter(allowed))[2]  # a report of another date is never touched
    template = tmp_path / "template"
    template.mkdir()
    set_up(template)
    seen = []
    for step in itertools.count(1):
        reports = tmp_path / f"killed-at-{step}"
        shutil.copytree(template, reports, symlinks=True)
        status = run_killed(zygote, reports, step)
        if status == 0:
            break  # the build ran to its end: every step has been tried
        assert status == -signal.SIGKILL
        company = reports / COMPANY
        state = (version(company / DATE), version(company / "latest"), version(company / EARLIER))
        assert state in allowed, f"killed at step {step}: {state}"
        seen.append(state)
        fake_build(reports, DATE, "next")
        assert (version(company / DATE), version(company / "latest")) == ("next", "next")
        assert version(company / EARLIER) == earlier
        assert leftovers(reports) == [], f"killed at step {step}"
    assert {s[0] for s in seen} == {s[0] for s in allowed}, seen  # killed both before and after the swap
    assert (reports / COMPANY / DATE).is_symlink() and version(reports / COMPANY / "latest") == "new"
    assert leftovers(reports) == []


@pytest.mark.slow  # processes holding builds' locks
def test_clearing_leftovers_spares_live_builds_and_other_reports(tmp_path):
    reports = tmp_path / "reports"
    fake_build(reports, DATE, "old")
    fake_build(reports, EARLIER, "old")
    company, staging = reports / COMPANY, reports / TMP_DIR
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()  # reaped: its PID names no process
    with subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE) as live:
        folders = {
            staging / f"{COMPANY}-{DATE}-{live.pid}-aaaaaaaa": True,  # a concurrent build of this report
            staging / f"{COMPANY}-{DATE}-{dead.pid}-bbbbbbbb": False,  # this report's, killed
            staging / f"{COMPANY}-{EARLIER}-{dead.pid}-cccccccc": True,  # another report's: its own builds clear it
            staging / f"other-{DATE}-{dead.pid}-dddddddd": True,
            staging / f"{COMPANY}-eeeeeeee": True,  # an older version's: whose it is cannot be told
            company / BUILDS_DIR / f"{DATE}-0123456789ab": False,  # this date's, never swapped in
            company / BUILDS_DIR / f"{EARLIER}-0123456789ab": True,  # another date's: maybe about to be swapped in
            company / f".{DATE}-{dead.pid}-ffffffff": False,  # a folder swapped out, not yet deleted
            company / f".{DATE}.old-{dead.pid}": False,  # an older version's, under the same lock
            company / f".{DATE}.new-gggggggg": False,
            company / f".{EARLIER}.old-{dead.pid}": True,
        }
        links = {
            company / f".{DATE}-{dead.pid}-hhhhhhhh": False,
            company / f".latest-{dead.pid}-iiiiiiii": False,
            company / f".latest-{live.pid}-jjjjjjjj": True,  # another date's build, swapping `latest` now
        }
        for folder in folders:
            write_report(folder, "left")
        for link in links:
            link.symlink_to(DATE)
        run = Run(BuildRequest(output_dir=reports), reports)
        run.folder = company / DATE
        with lock(run):
            pass
        live.stdin.close()
    kept = {path for path, keep in {**folders, **links}.items() if keep}
    assert {p for p in {**folders, **links} if p.exists() or p.is_symlink()} == kept
    assert (version(company / DATE), version(company / EARLIER), version(company / "latest")) == ("old",) * 3


def test_a_report_is_found_by_its_dated_name_never_by_latest_a_build_or_a_staging_folder(tmp_path):
    reports = tmp_path / "reports"
    fake_build(reports, DATE, "old")
    write_report(reports / TMP_DIR / f"{COMPANY}-{DATE}-{os.getpid()}-kkkkkkkk", "staged")  # about to publish
    folder = reports / COMPANY / DATE
    assert find_up_to_date(reports, "old") == folder
    assert find_up_to_date(reports, "staged") is None
    shutil.copytree(folder, reports / COMPANY / "notes")  # a copy beside the reports, manifest and all
    (reports / COMPANY / DATE).unlink()
    assert find_up_to_date(reports, "old") is None  # the copy is no report: a build would publish one
    (reports / COMPANY / DATE).symlink_to(os.path.relpath(reports / COMPANY / "notes", reports / COMPANY))
    assert find_up_to_date(reports, "old") == folder
    assert output_paths(folder) == {"html": folder / "report.html", "manifest": folder / MANIFEST_NAME}


def test_without_an_atomic_exchange_a_report_folder_of_an_older_version_is_still_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(publishing, "_exchange", lambda a, b: False)  # as on a system without renameat2
    reports = tmp_path / "reports"
    old_layout(reports)
    fake_build(reports, DATE, "new")
    assert (reports / COMPANY / DATE).is_symlink()
    assert (version(reports / COMPANY / DATE), version(reports / COMPANY / "latest")) == ("new", "new")
    assert leftovers(reports) == []


def test_only_folders_named_as_dates_are_reports(tmp_path):
    reports = tmp_path / "reports"
    fake_build(reports, EARLIER, "old")
    company = reports / COMPANY
    for name in ("notes", "2099-02-30", "20990101", "2099-1-01", "٢٠٩٩-٠١-٠١", "2099-01-01.bak", "2099-01-01 copy"):
        (company / name).mkdir()  # beside the reports, each sorting after them
    (company / "2099-01-02").write_text("a file, not a report")
    (company / "zzz").symlink_to(EARLIER)
    fake_build(reports, DATE, "new")
    assert publishing.dated_reports(company) == [EARLIER, DATE]
    assert os.readlink(company / "latest") == DATE and version(company / "latest") == "new"
    assert (company / "notes").is_dir() and (company / "zzz").is_symlink()  # neither touched


@pytest.mark.parametrize("inside", ["curated", "raw", "raw/articles/reports"])
def test_an_output_folder_among_the_data_inputs_is_refused_before_any_work(data_dir, inside):
    """Reports written into curated/ or raw/ would be the next build's inputs: it would never be up to date."""
    request = BuildRequest(params={"data_dir": str(data_dir)}, output_dir=data_dir / inside / "out")
    with pytest.raises(pipeline.BuildFailure) as refused:
        pipeline.start(request)
    assert refused.value.exit_status == 64
    assert "expected a folder outside the data's curated/ and raw/" in str(refused.value)
    assert not (data_dir / inside / "out").exists()
    beside = pipeline.start(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=data_dir / "reports"))
    assert beside.key  # a folder beside them is fine: it is not hashed
