"""What a killed registration of an older version could leave in data/raw/: it neither passes validation nor
blocks the retry."""

import hashlib

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.curate.register import stored_name

ARTICLE = b"Anthropic raises $1 billion from Example Capital. More text follows.\n"


def register(data_dir, article) -> int:
    dated = ["--published", "2024-04-02", "--precision", "day"]
    return main(["--data-dir", str(data_dir), "register-article", str(article), *dated])


def test_a_partial_article_under_the_name_it_will_take_does_not_block_the_retry(data_dir, tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE)
    target = data_dir / "raw" / "articles" / stored_name("art-002", hashlib.sha256(ARTICLE).hexdigest())
    target.write_bytes(ARTICLE[:20])  # the copy was killed half way
    target.chmod(0o444)
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.DATA  # not accepted as it is
    assert register(data_dir, article) == exitcodes.OK
    assert target.read_bytes() == ARTICLE
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.OK


def test_an_article_no_source_names_fails_validation_naming_it(data_dir, capsys):
    stray = data_dir / "raw" / "articles" / "005_0123456789abcdef.txt"
    stray.write_text("Anthropic partial")
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert "005_0123456789abcdef.txt: expected an article named by a row of" in err
    assert "leftover of a command that was killed?" in err
    stray.unlink()
    assert main(["--data-dir", str(data_dir), "validate"]) == exitcodes.OK
