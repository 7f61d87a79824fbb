"""A `latest` the build did not make (a real folder or file) is never moved or removed: the build refuses, 70."""

import os
import shutil
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

from aiinvest import exitcodes
from aiinvest.pipeline import stages as pipeline
from aiinvest.pipeline.publish import BUILDS_DIR, LATEST, clear_leftovers, lock, update_latest
from aiinvest.pipeline.run import BuildFailure, BuildRequest, Run

COMPANY, DATE = "acme", "2024-03-27"


def fake_build(reports: Path, date: str, text: str) -> None:
    """A build as `_build` runs it once the notebook is executed: lock, stage, publish, then point `latest`."""
    run = Run(BuildRequest(output_dir=reports), reports)
    run.folder, run.params = reports / COMPANY / date, SimpleNamespace(company_id=COMPANY)
    with (
        mock.patch.object(pipeline, "execute_and_render", lambda run: (run.work / "report.html").write_text(text)),
        mock.patch.object(pipeline, "write_manifest", lambda run: None),
    ):
        with lock(run):
            pipeline.stage_and_publish(run)
        update_latest(run.folder)


def version(folder: Path) -> str:
    return (folder / "report.html").read_text()


def hand_made(company) -> dict[str, bytes]:
    (company / LATEST).mkdir(parents=True)
    (company / LATEST / "notes.txt").write_text("mine")
    return {"notes.txt": b"mine"}


def contents(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_refuses_a_hand_made_latest_folder_and_leaves_it(tmp_path):
    company = tmp_path / COMPANY
    mine = hand_made(company)
    with pytest.raises(BuildFailure, match="not the link a build makes") as refused:
        fake_build(tmp_path, DATE, "new")
    assert refused.value.exit_status == exitcodes.BUILD
    assert contents(company / LATEST) == mine and not (company / LATEST).is_symlink()
    assert sorted(p.name for p in company.iterdir()) == [LATEST]  # refused before building: nothing else made


def test_an_up_to_date_build_leaves_a_hand_made_latest_too(tmp_path):
    company = tmp_path / COMPANY
    fake_build(tmp_path, DATE, "new")
    os.unlink(company / LATEST)
    mine = hand_made(company)
    with pytest.raises(BuildFailure, match="rename it, then build again"):
        update_latest(company / DATE)  # what a build found up to date does
    assert contents(company / LATEST) == mine
    shutil.move(company / LATEST, tmp_path / "kept")
    update_latest(company / DATE)
    assert version(company / LATEST) == "new"


def test_leftovers_of_latest_are_removed_only_when_they_are_links(tmp_path):
    company = tmp_path / COMPANY
    fake_build(tmp_path, DATE, "new")
    dead = 2**22 + 1  # above the default pid_max: no such process
    folder, link = company / f".{LATEST}-{dead}-abc123", company / f".{LATEST}-{dead}-def456"
    folder.mkdir()
    (folder / "notes.txt").write_text("moved aside by an older version: not the build's to delete")
    link.symlink_to(DATE)
    clear_leftovers(company / DATE)
    assert folder.is_dir() and not link.is_symlink()
    assert (company / BUILDS_DIR).is_dir()
