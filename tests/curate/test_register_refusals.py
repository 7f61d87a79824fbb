"""register-article and draft refuse what is not an article, out-of-range dates and ids, with one clear message."""

import csv
import datetime
import io
import os
import tracemalloc

import pytest

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.config import curated_dir
from aiinvest.curate.article_file import MAX_ARTICLE_BYTES
from aiinvest.curate.register import Registration, register_article

SEED_FILES = ["000_2c732e15b4d59a3f.txt", "001_ae6a560785f46407.txt"]


def register(data_dir, article, *extra: str, published: str = "2024-03-01") -> int:
    args = ["--data-dir", str(data_dir), "register-article", str(article)]
    return main([*args, "--published", published, "--precision", "month", *extra])


def snapshot(data_dir) -> dict:
    """Every file of the data folder, by path."""
    return {p.relative_to(data_dir): p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def unchanged(data_dir, before: dict) -> bool:
    return snapshot(data_dir) == before


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "new.txt"
    path.write_text("Anthropic ships a model. More text follows.\n")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.mkdir(), "expected an article as a regular text file, not a folder"),
        (lambda p: os.mkfifo(p), "expected an article as a regular text file, not a FIFO (named pipe)"),
        (lambda p: p.write_bytes(b""), "the article is empty: nothing to read"),
        (lambda p: p.write_bytes(b" \n\t\n"), "the article is empty (only whitespace): nothing to read"),
        (lambda p: p.write_bytes(b"date 2024-03-01\n\n"), "the article holds only its date line: nothing to read"),
        (lambda p: None, "thing.txt: no such file"),
    ],
)
def test_register_names_what_the_path_is(data_dir, tmp_path, capsys, make, said):
    path = tmp_path / "thing.txt"
    make(path)
    before = snapshot(data_dir)
    assert register(data_dir, path) == exitcodes.DATA
    assert said in one_error(capsys)
    assert unchanged(data_dir, before)


def test_register_refuses_a_device_without_reading_it(data_dir, capsys):
    assert register(data_dir, "/dev/zero") == exitcodes.DATA
    assert "/dev/zero: expected an article as a regular text file, not a character device" in one_error(capsys)


def test_a_large_article_is_refused_from_its_size_before_it_is_read(data_dir, tmp_path, capsys):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: 50 MB that take no room
    tracemalloc.start()
    status = register(data_dir, big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert status == exitcodes.DATA
    assert "the article is 50,000,000 bytes; an article may have at most 1,000,000 bytes" in one_error(capsys)
    assert peak < 5_000_000  # the 885 MB of issue 21: the file was read, then split and normalised


def test_an_article_at_the_limit_is_read(data_dir, tmp_path, capsys):
    path = tmp_path / "long.txt"
    sentence = b"Anthropic ships a model. "
    path.write_bytes(sentence * (MAX_ARTICLE_BYTES // len(sentence)))
    assert register(data_dir, path) == exitcodes.OK, capsys.readouterr().err


def test_draft_refuses_an_article_over_the_limit(data_dir, capsys):
    stored = data_dir / "raw" / "articles" / SEED_FILES[1]
    stored.chmod(0o644)
    stored.write_bytes(b"x" * (MAX_ARTICLE_BYTES + 1))
    assert main(["--data-dir", str(data_dir), "draft", "art-001"]) == exitcodes.DATA
    assert "an article may have at most 1,000,000 bytes" in one_error(capsys)
    assert not (data_dir.parent / "drafts").exists()


def test_register_refuses_a_control_character_in_the_file_name(data_dir, tmp_path, capsys):
    path = tmp_path / "two\nlines.txt"
    path.write_text("Anthropic ships a model.\n")
    before = snapshot(data_dir)
    assert register(data_dir, path) == exitcodes.DATA
    assert "'two\\nlines.txt': expected a file name without control characters (found '\\n')" in one_error(capsys)
    assert unchanged(data_dir, before)


@pytest.mark.parametrize("published", ["0001-01-01", "1899-12-31", "9999-12-31", "tomorrow"])
def test_register_refuses_a_date_before_1900_or_after_today(data_dir, article, capsys, published):
    if published == "tomorrow":
        published = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    before = snapshot(data_dir)
    assert register(data_dir, article, published=published) == exitcodes.USAGE
    assert f"--published {published}: expected a date from 1900-01-01 to today" in one_error(capsys)
    assert unchanged(data_dir, before)


def test_register_accepts_1900_and_today(data_dir, article, tmp_path):
    assert register(data_dir, article, published="1900-01-01") == exitcodes.OK
    other = tmp_path / "today.txt"
    other.write_text("Google ships a model.\n")
    assert register(data_dir, other, published=datetime.date.today().replace(day=1).isoformat()) == exitcodes.OK


def test_a_taken_id_is_one_message(data_dir, article, capsys):
    before = snapshot(data_dir)
    assert register(data_dir, article, "--id", "art-001") == exitcodes.USAGE
    err = one_error(capsys)
    assert "--id art-001: that id is taken in sources.csv (by articles/001_ae6a560785f46407.txt)" in err
    assert "the next free id is art-002" in err
    assert unchanged(data_dir, before)


def test_after_art_999_the_next_id_is_refused_clearly(data_dir, article, tmp_path, capsys):
    registration = Registration(datetime.date(2024, 3, 1), "month", source_id="art-999")
    first = tmp_path / "first.txt"
    first.write_text("Amazon ships a model.\n")
    register_article(first, data_dir, registration)
    before = snapshot(data_dir)
    assert register(data_dir, article) == exitcodes.DATA
    err = one_error(capsys)
    assert "no next article id: art-999 is taken and ids have three digits (art-NNN)" in err
    assert "give a free one with --id (art-002 is free)" in err
    assert unchanged(data_dir, before)
    assert register(data_dir, article, "--id", "art-002") == exitcodes.OK
    ids = [r["source_id"] for r in csv.DictReader(io.StringIO((curated_dir(data_dir) / "sources.csv").read_text()))]
    assert ids == ["art-000", "art-001", "art-999", "art-002"]


@pytest.mark.parametrize(
    ("sentence", "what"),
    [
        ("Amazon invested ${n} million in Anthropic. ", "dollar amounts"),
        ("It was the largest investment, ", "statements in one sentence"),
    ],
)
def test_draft_refuses_an_article_of_more_candidates_than_news_gives(data_dir, tmp_path, capsys, sentence, what):
    article = tmp_path / "list.txt"
    article.write_text("".join(sentence.format(n=n) for n in range(1, 700)) + "\n", encoding="utf-8")
    register_article(article, data_dir, Registration(datetime.date(2024, 4, 2), "day"))
    assert main(["--data-dir", str(data_dir), "draft", "art-002"]) == exitcodes.DATA
    err = one_error(capsys)
    assert f"error: art-002: the article gives more than 500 {what} (at least " in err
    assert "curate its rows by hand" in err
    assert not (data_dir.parent / "drafts").exists()
