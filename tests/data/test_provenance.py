"""Checksums and verbatim quotes."""

import hashlib

from aiinvest.data.provenance import Article, first_sentence, normalise_whitespace, sha256_file


def test_sha256_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc" * 100_000)
    assert sha256_file(path) == hashlib.sha256(b"abc" * 100_000).hexdigest()


def test_quotes_compare_whitespace_normalised():
    text = "Amazon's journey with\nAnthropic  began"
    assert normalise_whitespace(text) == "Amazon's journey with Anthropic began"
    article = Article(text)
    assert article.contains("journey with Anthropic began")  # across a line break
    assert article.contains("Amazon's journey with")  # a whole line
    assert not article.contains("journey with OpenAI began")
    assert not article.contains("journey with anthropic began")  # case matters: verbatim


def test_first_sentence_skips_the_date_line():
    text = " date 2024-03-27 Amazon invests. It is big."
    assert first_sentence(text) == "Amazon invests."
    assert first_sentence("A $2.75 billion deal, announced today. More.") == "A $2.75 billion deal, announced today."
