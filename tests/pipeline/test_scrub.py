"""The one scrubber for every shared file: local folders become neutral tokens, a data folder its label."""

import getpass
import sys
import tempfile
from pathlib import Path

from aiinvest.config import DATA_DIR, PROJECT_ROOT
from aiinvest.pipeline.manifest import data_label, scrub


def test_a_data_folder_is_named_relative_to_the_project_else_the_working_directory_else_by_name(tmp_path, monkeypatch):
    assert data_label(DATA_DIR) == "data"
    monkeypatch.chdir(tmp_path)
    assert data_label(tmp_path / "extra" / "data") == "extra/data"
    assert data_label(Path("extra/data")) == "extra/data"
    monkeypatch.chdir(PROJECT_ROOT)
    assert data_label(tmp_path / "extra" / "data") == "<external>/data"


def test_every_local_folder_becomes_a_token(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    data = tmp_path / "mine" / "data"
    venv = "<venv>" if sys.prefix != sys.base_prefix else "<python>"
    text = "\n".join(
        [
            f"{PROJECT_ROOT}/notebooks/report.ipynb",
            f"cwd {PROJECT_ROOT}",
            f"{sys.prefix}/lib/site-packages/pandas/io/common.py",
            f"{sys.base_prefix}/lib/python3/json/__init__.py",
            f"{Path.home()}/notes.txt",
            f"{tempfile.gettempdir()}/run/x",
            f"'{data}/curated/missing.csv'",
        ]
    )
    assert scrub(text, data).splitlines() == [
        "notebooks/report.ipynb",
        "cwd .",
        f"{venv}/lib/site-packages/pandas/io/common.py",
        "<python>/lib/python3/json/__init__.py",
        "~/notes.txt",
        "$TMPDIR/run/x",
        "'<external>/data/curated/missing.csv'",
    ]


def test_only_whole_folder_names_and_a_user_name_inside_a_path_are_replaced():
    user = getpass.getuser()
    text = f"{PROJECT_ROOT}line/x :{user} {{}} /srv/pytest-of-{user}/x"
    scrubbed = scrub(text)  # the project's parent may itself be replaced (a clone under /tmp), never the project
    assert scrubbed.endswith(f"{PROJECT_ROOT.name}line/x :{user} {{}} /srv/pytest-of-<user>/x")
    assert not scrubbed.startswith(".")
