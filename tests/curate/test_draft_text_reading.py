"""Reading amounts (issue 21): linear time for amounts in words, ranges, decimal commas, '$ 4 billion'."""

import itertools
import re
from decimal import Decimal
from re import _constants as sre_constants  # the parser of `re` itself (Python 3.11+)
from re import _parser as sre_parse

from hypothesis import given, settings
from hypothesis import strategies as st

from aiinvest.curate import draft_text
from aiinvest.curate.draft_text import money

# --- linear time ---------------------------------------------------------------------------------------

# The pattern the draft used before issue 21: a repeated group of alternatives, backtracking over every
# word of a run from every start (8,000 words took about two minutes). Kept here as the reference reading.
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_WORDS = [*(_UNITS + " seventeen eighteen nineteen").split()]
_WORDS += ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_OLD_WORD = rf"(?:{'|'.join(_WORDS)}|hundred|thousand|million|billion|trillion|a|an|half|and)"
_OLD_WORDS_DOLLARS = re.compile(rf"(?i)\b(?P<words>{_OLD_WORD}(?:[\s-]+{_OLD_WORD})*)\s+(?:(?:US|U\.S\.)\s+)?dollars\b")


def _unbounded_repeat_inside_repeat(tree, inside: bool = False) -> bool:
    """True when a repeat of more than one item holds a repeat without an upper bound (catastrophic backtracking)."""
    repeats = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)
    for op, value in tree:
        if op in repeats:
            _, high, body = value
            if (inside and high == sre_constants.MAXREPEAT) or _unbounded_repeat_inside_repeat(
                body, inside or high > 1
            ):
                return True
        elif any(_unbounded_repeat_inside_repeat(part, inside) for part in _parts(op, value)):
            return True
    return False


def _parts(op, value) -> list:
    """The sub-patterns of a group, an alternation or a lookaround."""
    if op == sre_constants.SUBPATTERN:
        return [value[-1]]
    if op == sre_constants.BRANCH:
        return list(value[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [value[1]]
    return []


def test_the_reference_check_finds_the_old_nested_repeat():
    assert _unbounded_repeat_inside_repeat(sre_parse.parse(_OLD_WORDS_DOLLARS.pattern))


def test_no_pattern_of_the_amount_reader_nests_an_unbounded_repeat():
    patterns = {name: v for name, v in vars(draft_text).items() if isinstance(v, re.Pattern)}
    assert {"_WORD", "_WORD_GAP", "_DOLLARS_AFTER", "_DOLLAR_FIGURE", "_FIGURE_DOLLARS"} <= set(patterns)
    nested = [name for name, p in patterns.items() if _unbounded_repeat_inside_repeat(sre_parse.parse(p.pattern))]
    assert nested == []


def test_a_long_run_of_number_words_reads_a_bounded_number_of_words(monkeypatch):
    """Steps counted, not time: 20,000 number words before 'dollars' are read at most 32 words at a time."""
    calls: list[int] = []
    original = draft_text.number_words
    monkeypatch.setattr(draft_text, "number_words", lambda words: calls.append(len(words)) or original(words))
    text = " ".join(["one", "two", "and", "half"] * 5_000) + " three billion dollars"
    (found,) = money(text)
    assert found.text.endswith("three billion dollars")
    assert len(calls) <= 32 and max(calls) <= 32
    assert money(" ".join(["one", "two", "and", "half"] * 5_000)) == []  # no 'dollars': nothing read at all


def _old_reading(text: str) -> list[str]:
    """The amounts the old pattern read: each match without its leading words that are not part of the number."""
    found = []
    for match in _OLD_WORDS_DOLLARS.finditer(text):
        words = match.group("words").split(" ")
        tail = match.group(0)[len(match.group("words")) :]
        skip = next((i for i in range(len(words)) if draft_text.number_words(words[i:]) is not None), None)
        if skip is not None and draft_text.number_words(words[skip:]):
            found.append(" ".join(words[skip:]) + tail)
    return found


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_WORDS[:25], "hundred", "billion", "a", "an", "half", "and", "the", "dollars", "US"]),
        max_size=30,
    )
)
def test_amounts_in_words_read_as_the_old_pattern_did(words):
    text = " ".join(words)
    assert [m.text for m in money(text)] == _old_reading(text)


# --- ranges, decimal commas, a space after the dollar sign ---------------------------------------------


def test_a_range_is_drafted_at_its_low_end_with_no_qualifier():
    (found,) = money("a $2-4 billion investment")
    assert (found.text, found.usd, found.qualifier) == ("$2-4 billion", "2000000000", "")
    assert "a range, 2000000000 to 4000000000 dollars" in found.caution
    (dashed,) = money("between $1.5–$2bn")
    assert (dashed.usd, dashed.qualifier) == ("1500000000", "")
    assert "1500000000 to 2000000000" in dashed.caution


def test_a_decimal_comma_is_read_as_a_decimal_and_flagged():
    (found,) = money("about $1,5 billion")
    assert (found.usd, found.qualifier) == ("1500000000", "about")
    assert "decimal comma ('1,5' read as 1.5)" in found.caution
    (thousands,) = money("$1,500 million")
    assert (thousands.usd, thousands.caution) == ("1500000000", "")


def test_a_space_after_the_dollar_sign():
    (found,) = money("Amazon put $ 4 billion into it")
    assert (found.text, found.usd) == ("$ 4 billion", "4000000000")


@given(
    st.integers(min_value=1, max_value=999),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([("million", 6), ("billion", 9), ("bn", 9), ("m", 6)]),
    st.sampled_from(["$", "US$", "$ ", "USD "]),
)
def test_digits_with_a_decimal_comma_or_point_read_the_same(whole, fraction, scale, sign):
    word, power = scale
    separator = " " if len(word) > 2 else ""
    point, comma = (money(f"{sign}{whole}{mark}{fraction:02d}{separator}{word}") for mark in (".", ","))
    assert point[0].value == comma[0].value == Decimal(f"{whole}.{fraction:02d}").scaleb(power)
    assert point[0].caution == "" and "decimal comma" in comma[0].caution


def test_a_sentence_of_many_figures_is_searched_once_not_once_per_figure(data_dir, monkeypatch):
    """Steps counted: the dates and companies of a sentence are found once for all its 300 figures."""
    from aiinvest.curate import draft_claims
    from aiinvest.curate.draft import draft_candidates, read_curated

    calls = {"dates": 0, "companies": 0}

    def counted(name, function):
        def wrapper(*args):
            calls[name] += 1
            return function(*args)

        return wrapper

    monkeypatch.setattr(draft_claims, "date_mentions", counted("dates", draft_claims.date_mentions))
    monkeypatch.setattr(draft_claims, "mentions", counted("companies", draft_claims.mentions))
    curated = read_curated(data_dir)
    source = next(r for r in curated.rows["sources"] if r["source_id"] == "art-001")
    text = "In 2023 Amazon invested " + ", ".join(f"${n} million in Anthropic" for n in range(1, 301)) + "."
    candidates = draft_candidates(curated, source, text)
    assert len([c for c in candidates if c.money]) == 300
    assert calls == {"dates": 1, "companies": 1}


def test_a_figure_looks_at_a_bounded_number_of_clauses_found_by_bisection():
    from aiinvest.curate.draft_claims import Scope
    from aiinvest.curate.draft_text import sentences

    (sentence,) = sentences("Amazon invested " + ", ".join(["and so on"] * 5_000 + ["$1 billion in Anthropic"]) + ".")
    figure = money(sentence.text)[0]
    scope = Scope(sentence, (figure.start, figure.end), [])
    ranked = scope.clauses()
    assert ranked[0] == (sentence.clauses[-1], "beside the figure")
    assert [c for c, _ in ranked[1:4]] == [sentence.clauses[-2], sentence.clauses[-3], sentence.clauses[-4]]
    assert len(ranked) == 1 + 64
    assert all(sentence.clause_at(a) == (a, b) for a, b in sentence.clauses[::97])


def test_names_found_once_each_and_a_longer_name_wins_by_bisection():
    from aiinvest.curate.draft_text import mentions

    names = [("Google Cloud", "google-cloud"), ("Amazon", "amazon"), ("Google", "google")]
    text = " ".join(["Google Cloud's deal with Google and Amazon"] * 2_000)
    found = mentions(text, names)
    assert [m.company_id for m in found[:3]] == ["google-cloud", "google", "amazon"]
    assert len(found) == 6_000 and found[0].possessive and not found[1].possessive
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
