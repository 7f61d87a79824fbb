"""Checksums and verbatim quotes."""

import hashlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

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


WHITESPACE = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace()) + "\u205f\u2028\u2029"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(WHITESPACE) | st.characters(), max_size=60))
def test_whitespace_is_normalised_as_the_pattern_does(text):
    assert normalise_whitespace(text) == re.sub(r"\s+", " ", text).strip()  # the pattern it replaces, faster


def test_str_split_and_the_pattern_know_the_same_whitespace():
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]  # what str.split() and strip() split on
