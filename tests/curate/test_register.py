"""Registering a new article: copy, hash, sources row, validation, rollback."""

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.data.load import load_tables
from aiinvest.data.provenance import sha256_file


def register(data_dir, article, *extra: str, published: str = "2024-03-01", precision: str = "month") -> int:
    """Run `aiinvest register-article` on a data folder; return the exit status."""
    args = ["--data-dir", str(data_dir), "register-article", str(article)]
    return main([*args, "--published", published, "--precision", precision, *extra])


def test_register_article_adds_a_valid_source(data_dir, tmp_path, capsys):
    article = tmp_path / "002_new.txt"
    article.write_text("date 2024-04-02 Anthropic ships a model. More text follows.\n")
    status = register(data_dir, article, published="2024-04-02", precision="day")
    assert status == exitcodes.OK, capsys.readouterr().err
    copied = data_dir / "raw" / "articles" / "002_new.txt"
    assert copied.read_bytes() == article.read_bytes()
    row = load_tables(data_dir)["sources"].set_index("source_id").loc["art-002"]
    assert row["sha256"] == sha256_file(article)
    assert row["title"] == "Anthropic ships a model."
    assert row["file"] == "articles/002_new.txt"
    assert not row["published_date_inferred"]
    assert "registered art-002" in capsys.readouterr().out


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
    assert not (data_dir / "raw" / "articles" / "003.txt").exists()


def test_invalid_registration_changes_nothing(data_dir, tmp_path, capsys):
    curated = data_dir / "curated"
    before = (curated / "sources.csv").read_bytes(), (curated / "datapackage.json").read_bytes()
    article = tmp_path / "004.txt"
    article.write_text("Some news.")
    assert register(data_dir, article, "--id", "not-an-id") == exitcodes.DATA
    assert "column 'source_id': value 'not-an-id'" in capsys.readouterr().err
    assert ((curated / "sources.csv").read_bytes(), (curated / "datapackage.json").read_bytes()) == before
    assert not (data_dir / "raw" / "articles" / "004.txt").exists()
