"""An article's text as the draft reads it: sentences and clauses, money amounts, company names.

Everything is located in the article's whitespace-normalised text (`provenance.Article.text`), so a
quote cut from a sentence always passes the validator's verbatim check.
"""

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..data.provenance import normalise_whitespace

_HEADER = re.compile(r"^date\s+\d{4}-\d{2}-\d{2}\b\s*")  # the 'date YYYY-MM-DD' line some articles start with
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$])")
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[—–-]{1,2}\s+|[—–]")
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|or|while|whereas)\s+", re.I)
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "inc", "corp", "ltd", "co", "st", "jr", "sr", "vs", "no", "u.s", "u.k"}
_ABBREVIATIONS |= {"e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, where it starts in the normalised article, its paragraph and clauses."""

    text: str
    offset: int
    paragraph: int
    headline: bool
    clauses: tuple[tuple[int, int], ...]

    def clause_at(self, position: int) -> tuple[int, int]:
        """The clause holding a position of the sentence (the last clause when none does)."""
        return self.clauses[self.clause_index(position)]

    def clause_index(self, position: int) -> int:
        """The index of clause_at(position), by bisection: the clauses are in order and do not overlap."""
        i = bisect_right(self.clauses, (position, sys.maxsize)) - 1
        return i if i >= 0 and self.clauses[i][0] <= position < self.clauses[i][1] else len(self.clauses) - 1

    def quote(self, start: int, end: int) -> str:
        """The verbatim text of a span, without edge punctuation or a leading conjunction."""
        text = self.text[start:end].strip(" ,;:.!?")
        return _LEADING_CONJUNCTION.sub("", text) or text


def sentences(text: str) -> list[Sentence]:
    """The article's sentences in order (a heading or headline line is one sentence)."""
    found = []
    for paragraph, (block, offset) in enumerate(_paragraphs(text)):
        headline = len(block.split()) <= 20 and not block.rstrip("\"”’')").endswith((".", "!", "?"))
        for start, end in _sentence_spans(block):
            piece = block[start:end]
            found.append(Sentence(piece, offset + start, paragraph, headline, _clauses(piece)))
    return found


def _paragraphs(text: str) -> list[tuple[str, int]]:
    """(paragraph, offset in the normalised text): one per line, a hard-wrapped line joined to the next."""
    lines: list[tuple[str, int]] = []
    position = 0
    for raw in text.splitlines():
        line = normalise_whitespace(raw)
        if not line:
            continue
        ended = lines and lines[-1][0].endswith((".", "!", "?", ":", '"', "”"))
        wrapped = lines and not ended and line[0].islower() and not _HEADER.match(line)
        if wrapped:
            lines[-1] = (lines[-1][0] + " " + line, lines[-1][1])
        else:
            lines.append((line, position))
        position += len(line) + 1
    blocks = []
    for line, offset in lines:
        header = _HEADER.match(line)
        if header:
            line, offset = line[header.end() :], offset + header.end()
        if line:
            blocks.append((line, offset))
    return blocks


def _sentence_spans(block: str) -> list[tuple[int, int]]:
    """Start and end of each sentence of a paragraph, not breaking after an abbreviation or an initial."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        word = block[start : match.start()].rsplit(" ", 1)[-1].lower()
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue
        spans.append((start, match.end() - len(match.group(0)) + len(match.group(0).rstrip())))
        start = match.end()
    spans.append((start, len(block)))
    return [(a, b) for a, b in spans if block[a:b].strip()]


def _clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """Spans of the sentence between commas, semicolons, colons and dashes."""
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return tuple(spans)


# --- money ---------------------------------------------------------------------------------------------

_SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "mln": 6, "billion": 9, "bn": 9, "b": 9}
_SCALES |= {"bln": 9, "trillion": 12, "tn": 12, "t": 12}
# A number: 4,000,000 or 1.25; '1,5' (a comma and one or two digits) is a European decimal comma, flagged.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?"
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_SCALE_WORD = r"(?i:thousand|million|billion|trillion)"
_SCALE_ABBREVIATION = r"(?i:bn|mln|bln|mn|tn|[kmbt])"
_DOLLAR_FIGURE = re.compile(
    rf"(?:\bUS\s?\$|\bU\.S\.\s?\$|\$|\bUSD)\s?(?P<n>{_NUMBER})(?:[-–]\$?(?P<high>{_NUMBER}))?"
    rf"(?:(?:\s|-)(?P<w>{_SCALE_WORD})\b|(?P<a>{_SCALE_ABBREVIATION})\b|\s(?P<s>(?i:bn|mn|tn))\b)?"
)
_FIGURE_DOLLARS = re.compile(
    rf"(?<![\w$.,])(?P<n>{_NUMBER})(?:(?:\s|-)(?P<w>{_SCALE_WORD}))?\s+(?:(?:US|U\.S\.)\s+)?(?:(?i:dollars)|USD)\b"
)
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_UNITS += " seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS.split())} | {w: 20 + 10 * i for i, w in enumerate(_TENS.split())}
_NUMBER_WORDS = {*_WORD_VALUES, "hundred", "thousand", "million", "billion", "trillion", "a", "an", "half", "and"}
# Amounts in words are read in linear time, without a repeated group: each word once (_WORD), the gaps
# between words checked (_WORD_GAP), and each 'dollars' found once from the start of its whitespace.
_WORD = re.compile(r"\w+")
_WORD_GAP = re.compile(r"[\s-]+")
_DOLLARS_AFTER = re.compile(r"(?i)(?<!\s)\s+(?:(?:US|U\.S\.)\s+)?dollars\b")
_MAX_AMOUNT_WORDS = 32  # 'nine hundred ninety-nine trillion ... nine hundred ninety-nine' takes 24
_AT_LEAST = r"exceeding|exceeds|exceeded|more than|over|at least|upwards of|north of|above|in excess of|surpassing"
_QUALIFIERS = (
    ("at_least", re.compile(rf"(?i)\b({_AT_LEAST}|topping|tops|topped)\s+$")),
    ("about", re.compile(r"(?i)\b(about|around|roughly|approximately|some|an estimated|nearly|almost|close to)\s+$")),
    ("up_to", re.compile(r"(?i)\b(up to|as much as|as high as|no more than|at most|less than|under|below)\s+$")),
)
_AT_LEAST_AFTER = re.compile(r"(?i)^(?:-plus|\+|\s+or more)\b")


@dataclass(frozen=True)
class Money:
    """A dollar amount in a sentence: where, as written, its value and how the text bounds it."""

    start: int
    end: int
    text: str
    value: Decimal
    qualifier: str = "exact"  # empty for a range: the reviewer chooses
    qualifier_cue: str = ""
    caution: str = ""  # why the reading needs checking: a range, a decimal comma

    @property
    def usd(self) -> str:
        """The amount as the curated tables write it: plain digits."""
        return _plain(self.value)


def money(sentence: str) -> list[Money]:
    """Every dollar amount in a sentence, in order: '$4 billion', '$4bn', '4 billion dollars', 'four billion dollars'.

    Amounts in other currencies, and figures without a dollar sign or the word 'dollars', are not money here.
    """
    found: list[Money] = []
    for pattern in (_DOLLAR_FIGURE, _FIGURE_DOLLARS):
        for match in pattern.finditer(sentence):
            _add(sentence, found, match.span(), _figure_value(match), _caution(match))
    for span, words in _words_dollars(sentence):
        start, value = _words_value(words, span[0])
        _add(sentence, found, (start, span[1]), value)
    return sorted(found, key=lambda m: m.start)


def _add(sentence: str, found: list[Money], span: tuple[int, int], value: Decimal | None, caution: str = "") -> None:
    """Add an amount found at a span unless it overlaps one found before (or is not a positive value)."""
    start, end = span
    if value is None or value <= 0 or any(m.start < end and start < m.end for m in found):
        return
    if caution.startswith("a range"):  # the text bounds it both ways: no qualifier word applies
        found.append(Money(start, end, sentence[start:end], value, "", "", caution))
        return
    found.append(_qualified(sentence, Money(start, end, sentence[start:end], value, caution=caution)))


def _words_dollars(sentence: str) -> list[tuple[tuple[int, int], list[re.Match]]]:
    """(span, words) of each run of number words followed by 'dollars' ('two billion dollars').

    A run is number words separated only by spaces or hyphens; one pass finds the runs, one the
    'dollars', so the time is linear in the sentence (a run is cut to its last words).
    """
    runs: dict[int, list[re.Match]] = {}  # by the end of the run's last word
    run: list[re.Match] = []
    for word in _WORD.finditer(sentence):
        if word.group(0).lower() not in _NUMBER_WORDS:
            run = []
            continue
        if run and not _WORD_GAP.fullmatch(sentence, run[-1].end(), word.start()):
            run = []
        run.append(word)
        runs.pop(run[0].start() if len(run) == 1 else run[-2].end(), None)
        runs[word.end()] = run
    found = []
    for dollars in _DOLLARS_AFTER.finditer(sentence):
        if words := runs.get(dollars.start()):
            words = words[-_MAX_AMOUNT_WORDS:]
            found.append(((words[0].start(), dollars.end()), words))
    return found


def _figure_value(match: re.Match, group: str = "n") -> Decimal:
    """'4', '1.25', '4,000,000' or '1,5' (decimal comma) times its scale word or abbreviation."""
    scale = (match.group("w") or match.group("a") or match.group("s") or "").lower()
    return _decimal(match.group(group)).scaleb(_SCALES.get(scale, 0))


def _decimal(number: str) -> Decimal:
    """A number as written: commas group thousands, except in '1,5' where the comma is a decimal point."""
    return Decimal(number.replace(",", "." if _DECIMAL_COMMA.fullmatch(number) else ""))


def _caution(match: re.Match) -> str:
    """What to check about a figure read from digits: a range ('$2-4 billion'), a decimal comma ('$1,5 billion')."""
    high = match.groupdict().get("high")
    if high:
        low, top = _figure_value(match), _figure_value(match, "high")
        return f"a range, {_plain(low)} to {_plain(top)} dollars: the low end is drafted"
    if _DECIMAL_COMMA.fullmatch(match.group("n")):
        return f"written with a decimal comma ('{match.group('n')}' read as {match.group('n').replace(',', '.')})"
    return ""


def _plain(value: Decimal) -> str:
    """A value as plain digits."""
    value = value.normalize()
    return str(int(value)) if value == value.to_integral_value() else format(value, "f")


def _words_value(words: list[re.Match], start: int) -> tuple[int, Decimal | None]:
    """The value of an amount in words and where it starts, dropping leading words not part of the number."""
    for skip in range(len(words)):
        value = number_words([w.group(0) for w in words[skip:]])
        if value is not None:
            return words[skip].start(), value
    return start, None


def number_words(words: list[str]) -> Decimal | None:
    """'four', 'two hundred fifty million', 'one and a half billion', 'half a billion'; None if not a number."""
    words = [w.lower() for w in words]
    if not words or words[0] == "and" or words[-1] in ("and", "a", "an"):
        return None
    total, group = Decimal(0), _Group(Decimal(0), False)
    for i in range(len(words)):
        step = _read_word(words, i, group)
        if step is None:
            return None
        added, group = step
        total += added
    return total + group.value if group.counted else None


class _Group(NamedTuple):
    """The number being read since the last scale word ('two hundred fifty' before 'million')."""

    value: Decimal
    counted: bool  # a number word was read


def _read_word(words: list[str], i: int, group: _Group) -> tuple[Decimal, _Group] | None:
    """What words[i] adds to the total, and the group after it; None where the words stop being a number."""
    word, one = words[i], Decimal(1)
    if word in _WORD_VALUES:
        return Decimal(0), _Group(group.value + _WORD_VALUES[word], True)
    if word in ("a", "an"):
        if i + 1 == len(words) or words[i + 1] not in ("hundred", "half", *_SCALE_WORDS):
            return None
        if words[i + 1] != "half" and (i == 0 or words[i - 1] != "half"):  # 'a half', 'half a billion'
            return Decimal(0), _Group(group.value + 1, True)
    elif word == "half":
        return Decimal(0), _Group(group.value + Decimal("0.5"), True)
    elif word == "hundred":
        return Decimal(0), _Group((group.value or one) * 100, group.counted)
    elif word in _SCALE_WORDS:
        if not group.counted:
            return None
        return (group.value or one) * Decimal(10) ** _SCALES[word], _Group(Decimal(0), group.counted)
    return Decimal(0), group


_SCALE_WORDS = ("thousand", "million", "billion", "trillion")


def _qualified(sentence: str, found: Money) -> Money:
    """The amount with its qualifier: 'exceeding $10 billion' is at_least, 'about $40 billion' about."""
    before = sentence[max(0, found.start - 40) : found.start]
    for qualifier, pattern in _QUALIFIERS:
        if match := pattern.search(before):
            return replace(found, qualifier=qualifier, qualifier_cue=match.group(1))
    if match := _AT_LEAST_AFTER.match(sentence[found.end :]):
        return replace(found, qualifier="at_least", qualifier_cue=match.group(0).strip())
    return found


def parse_money(text: str) -> Decimal | None:
    """The value of the first amount in a text, or None (for tests and quick checks)."""
    try:
        found = money(text)
    except InvalidOperation:
        return None
    return found[0].value if found else None


# --- companies -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A company of companies.csv named in a sentence."""

    start: int
    end: int
    company_id: str
    name: str
    possessive: bool


def company_names(companies: list[dict]) -> list[tuple[str, str]]:
    """(name, company_id), longest first: 'Amazon Web Services (AWS)' also as 'Amazon Web Services' and 'AWS'."""
    names = []
    for row in companies:
        name = row["name"].strip()
        names.append((name, row["company_id"]))
        if match := re.fullmatch(r"(.+?)\s*\((.+)\)", name):
            names += [(match.group(1), row["company_id"]), (match.group(2), row["company_id"])]
    return sorted(set(names), key=lambda item: (-len(item[0]), item[0]))


def mentions(sentence: str, names: list[tuple[str, str]]) -> list[Mention]:
    """The companies a sentence names, in order; a longer name wins ('Google Cloud' is not 'Google')."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []  # the spans found, in order and not overlapping: a new one checks its neighbours
    for name, company_id in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence):
            i = bisect_right(taken, match.span())
            if (i and taken[i - 1][1] > match.start()) or (i < len(taken) and taken[i][0] < match.end()):
                continue
            taken.insert(i, match.span())
            possessive = bool(_POSSESSIVE.match(sentence, match.end()))
            found.append(Mention(match.start(), match.end(), company_id, name, possessive))
    return sorted(found, key=lambda m: m.start)


_POSSESSIVE = re.compile(r"['’]s\b")
