"""Registering a new article: copy, hash, sources row, validation, rollback."""

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.load import load_tables
from aiinvest.provenance import sha256_file


def test_register_article_adds_a_valid_source(data_dir, tmp_path, capsys):
    article = tmp_path / "002_new.txt"
    article.write_text("date 2024-04-02 Anthropic ships a model. More text follows.\n")
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "register-article",
            str(article),
            "--published",
            "2024-04-02",
            "--precision",
            "day",
        ]
    )
    assert status == exitcodes.OK, capsys.readouterr().err
    copied = data_dir / "raw" / "articles" / "002_new.txt"
    assert copied.read_bytes() == article.read_bytes()
    sources = load_tables(data_dir)["sources"].set_index("source_id")
    row = sources.loc["art-002"]
    assert row["sha256"] == sha256_file(article)
    assert row["title"] == "Anthropic ships a model."
    assert row["file"] == "articles/002_new.txt"
    assert not row["published_date_inferred"]
    assert "registered art-002" in capsys.readouterr().out


def test_register_refuses_a_duplicate_article(data_dir, capsys):
    original = data_dir / "raw" / "articles" / "000_2c732e15b4d59a3f.txt"
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "register-article",
            str(original),
            "--published",
            "2024-03-01",
            "--precision",
            "month",
        ]
    )
    assert status == exitcodes.DATA
    assert "already registered as art-000" in capsys.readouterr().err


def test_register_refuses_non_utf8(data_dir, tmp_path, capsys):
    article = tmp_path / "bad.txt"
    article.write_bytes("Caf\u00e9".encode("latin-1"))
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "register-article",
            str(article),
            "--published",
            "2024-03-01",
            "--precision",
            "month",
        ]
    )
    assert status == exitcodes.DATA
    assert "bad.txt: expected UTF-8 text" in capsys.readouterr().err


def test_inferred_date_needs_a_note(data_dir, tmp_path, capsys):
    article = tmp_path / "003.txt"
    article.write_text("Some news.")
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "register-article",
            str(article),
            "--published",
            "2024-03-01",
            "--precision",
            "month",
            "--inferred",
        ]
    )
    assert status == exitcodes.DATA
    assert "--date-note" in capsys.readouterr().err
    assert not (data_dir / "raw" / "articles" / "003.txt").exists()


def test_invalid_registration_changes_nothing(data_dir, tmp_path, capsys):
    sources = data_dir / "curated" / "sources.csv"
    before = sources.read_bytes(), (data_dir / "curated" / "datapackage.json").read_bytes()
    article = tmp_path / "004.txt"
    article.write_text("Some news.")
    status = main(
        [
            "--data-dir",
            str(data_dir),
            "register-article",
            str(article),
            "--published",
            "2024-03-01",
            "--precision",
            "month",
            "--id",
            "not-an-id",
        ]
    )
    assert status == exitcodes.DATA
    assert "column 'source_id': value 'not-an-id'" in capsys.readouterr().err
    assert (
        sources.read_bytes(),
        (data_dir / "curated" / "datapackage.json").read_bytes(),
    ) == before
    assert not (data_dir / "raw" / "articles" / "004.txt").exists()
