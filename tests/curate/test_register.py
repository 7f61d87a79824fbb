"""Registering a new article: copy, hash, sources row, validation, rollback."""

import hashlib

import pytest

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.curate.register import stored_name
from aiinvest.data.load import load_tables
from aiinvest.data.provenance import sha256_file

SEED_FILES = ["000_2c732e15b4d59a3f.txt", "001_ae6a560785f46407.txt"]


def register(data_dir, article, *extra: str, published: str = "2024-03-01", precision: str = "month") -> int:
    """Run `aiinvest register-article` on a data folder; return the exit status."""
    args = ["--data-dir", str(data_dir), "register-article", str(article)]
    return main([*args, "--published", published, "--precision", precision, *extra])


def test_register_article_adds_a_valid_source(data_dir, tmp_path, capsys):
    article = tmp_path / "new.txt"
    article.write_text("date 2024-04-02 Anthropic ships a model. More text follows.\n")
    status = register(data_dir, article, published="2024-04-02", precision="day")
    assert status == exitcodes.OK, capsys.readouterr().err
    digest = hashlib.sha256(article.read_bytes()).hexdigest()
    name = f"002_{digest[:16]}.txt"  # the next number and the start of its SHA-256, not the user's "new.txt"
    assert sorted(p.name for p in (data_dir / "raw" / "articles").iterdir()) == [*SEED_FILES, name]
    assert (data_dir / "raw" / "articles" / name).read_bytes() == article.read_bytes()
    row = load_tables(data_dir)["sources"].set_index("source_id").loc["art-002"]
    assert row["sha256"] == sha256_file(article) == digest
    assert row["title"] == "Anthropic ships a model."
    assert row["file"] == f"articles/{name}"
    assert not row["published_date_inferred"]
    assert f"registered art-002: articles/{name} (sha256 {digest})" in capsys.readouterr().out


def test_an_article_is_stored_under_the_number_of_the_id_it_is_given(data_dir, tmp_path):
    article = tmp_path / "Some Headline (final).TXT"
    article.write_text("Anthropic ships a model.\n")
    assert register(data_dir, article, "--id", "art-007") == exitcodes.OK
    (stored,) = (data_dir / "raw" / "articles").glob("007_*")
    assert stored.name == f"007_{sha256_file(article)[:16]}.txt"
    assert load_tables(data_dir)["sources"].set_index("source_id").loc["art-007", "file"] == f"articles/{stored.name}"


def test_stored_name():
    assert stored_name("art-012", "0123456789abcdef" * 4) == "012_0123456789abcdef.txt"


def test_register_an_undated_article_with_an_inferred_date(data_dir, tmp_path):
    article = tmp_path / "003_undated.txt"
    article.write_text("Anthropic raises more money. The article gives no date.\n")
    status = register(data_dir, article, "--inferred", "--date-note", "Reports the April round as new.")
    assert status == exitcodes.OK
    row = load_tables(data_dir)["sources"].set_index("source_id").loc["art-002"]
    assert bool(row["published_date_inferred"]) and row["published_date_precision"] == "month"
    assert row["date_note"] == "Reports the April round as new."


def test_register_refuses_a_duplicate_article(data_dir, capsys):
    assert register(data_dir, data_dir / "raw" / "articles" / "000_2c732e15b4d59a3f.txt") == exitcodes.DATA
    assert "already registered as art-000" in capsys.readouterr().err


def test_register_refuses_non_utf8(data_dir, tmp_path, capsys):
    article = tmp_path / "bad.txt"
    article.write_bytes("Caf\u00e9".encode("latin-1"))
    assert register(data_dir, article) == exitcodes.DATA
    assert "bad.txt:1:4: expected UTF-8 text (byte 0xe9" in capsys.readouterr().err  # "Caf" then the bad byte


def test_inferred_date_needs_a_note(data_dir, tmp_path, capsys):
    article = tmp_path / "003.txt"
    article.write_text("Some news.")
    assert register(data_dir, article, "--inferred") == exitcodes.DATA
    assert "--date-note" in capsys.readouterr().err
    assert sorted(p.name for p in (data_dir / "raw" / "articles").iterdir()) == SEED_FILES


@pytest.mark.parametrize("source_id", ["not-an-id", "../../escape"])
def test_invalid_registration_changes_nothing(data_dir, tmp_path, capsys, source_id):
    curated = data_dir / "curated"
    before = (curated / "sources.csv").read_bytes(), (curated / "datapackage.json").read_bytes()
    files_before = sorted(tmp_path.rglob("*"))
    article = tmp_path / "004.txt"
    article.write_text("Some news.")
    assert register(data_dir, article, "--id", source_id) == exitcodes.DATA
    assert f"column 'source_id': value '{source_id}'" in capsys.readouterr().err
    assert ((curated / "sources.csv").read_bytes(), (curated / "datapackage.json").read_bytes()) == before
    assert sorted(p.name for p in (data_dir / "raw" / "articles").iterdir()) == SEED_FILES
    assert sorted(tmp_path.rglob("*")) == sorted([*files_before, article])  # an id never names a path
