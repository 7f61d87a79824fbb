"""Where `draft` writes its review file: never into the data folder, and --force overwrites only a review file."""

import pytest

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.config import curated_dir


def draft(data_dir, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "draft", "art-001", *args])


TARGETS = ["curated/investments.csv", "raw/articles/001_ae6a560785f46407.txt", "curated/new.csv"]


@pytest.mark.parametrize("target", TARGETS)
def test_draft_never_writes_into_the_data_folder(data_dir, capsys, target):
    path = data_dir / target
    before = path.read_bytes() if path.exists() else None
    assert draft(data_dir, "-o", str(path), "--force") == exitcodes.USAGE
    assert f"is inside {data_dir.name}/{target.split('/')[0]}" in capsys.readouterr().err
    assert (path.read_bytes() if path.exists() else None) == before


def test_draft_never_writes_into_the_data_folder_through_a_link(data_dir, tmp_path, capsys):
    link = tmp_path / "elsewhere"
    link.symlink_to(curated_dir(data_dir))
    before = (curated_dir(data_dir) / "investments.csv").read_bytes()
    assert draft(data_dir, "-o", str(link / "investments.csv"), "--force") == exitcodes.USAGE
    assert (curated_dir(data_dir) / "investments.csv").read_bytes() == before
    assert "write review files elsewhere" in capsys.readouterr().err


def test_force_overwrites_a_review_file_and_nothing_else(data_dir, tmp_path, capsys):
    notes = tmp_path / "notes.csv"
    notes.write_text("my,own\nfile,here\n")
    assert draft(data_dir, "-o", str(notes), "--force") == exitcodes.USAGE
    assert "is not a review file written by draft" in capsys.readouterr().err
    assert notes.read_text() == "my,own\nfile,here\n"
    review = tmp_path / "review.csv"
    assert draft(data_dir, "-o", str(review)) == exitcodes.OK
    assert draft(data_dir, "-o", str(review)) == exitcodes.USAGE  # without --force: it may hold decisions
    assert draft(data_dir, "-o", str(review), "--force") == exitcodes.OK
    assert review.read_text(encoding="utf-8").startswith("decision,table,quote,why,")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial file left


def test_force_refuses_a_folder_or_a_link(data_dir, tmp_path):
    (tmp_path / "folder").mkdir()
    assert draft(data_dir, "-o", str(tmp_path / "folder"), "--force") == exitcodes.USAGE
    review = tmp_path / "review.csv"
    assert draft(data_dir, "-o", str(review)) == exitcodes.OK
    (tmp_path / "link.csv").symlink_to(review)
    assert draft(data_dir, "-o", str(tmp_path / "link.csv"), "--force") == exitcodes.USAGE
    assert (tmp_path / "link.csv").is_symlink()
