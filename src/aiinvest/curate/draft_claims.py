"""Candidate claims read from an article: one per dollar amount, one per statement made without a figure.

Each candidate fills its table's columns as far as the text allows and gives a reason for every value
(`why`). Words are looked for in the figure's own clause first, then in the clauses of its sentence that
hold no other figure; a clause a decision rests on joins the quote, so the quote shows the evidence.
"""

import functools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from .draft_dates import (
    PUBLICATION_CUES,
    DateMention,
    DateReading,
    Publication,
    at_publication,
    date_mentions,
    read_date,
)
from .draft_text import Mention, Money, Sentence, mentions, money, sentences

Span = tuple[int, int]
_TABLE_CUES = re.compile(
    r"(?i)\b(?:(?P<valuations>valuations?|valued|values|valuing)|(?P<funding_totals>funding|raised|raising|raises)"
    r"|(?P<investments>invest\w*|infusions?|stakes?|put|puts|putting|pour\w*|inject\w*|commit\w*|backing|backed"
    r"|cheques?|tranches?|bets?))\b"
)
_FRAMING_CUES = re.compile(
    r"(?i)\b(?:(?P<initial>initial|initially|first|began with)|(?P<another>another|a further|additional"
    r"|followed with|follow-on)|(?P<latest>latest|newest|most recent)|(?P<total>totals?|totall?ed|totall?ing"
    r"|in all|in total|altogether|cumulat\w*|so far)|(?P<announced>announc\w*))\b"
)
_PUT_IN_WORDS = re.compile(r"(?i)\b(initial|initially|began with|another|a further|followed with|follow-on)\b")
_ANNOUNCED = re.compile(r"(?i)\b(announc\w*|will|plans? to|agreed to|latest|another|a further)\b")
_RUNNING_TOTAL = re.compile(r"(?i)\b(in all|in total|altogether|so far)\b")  # dates its sentence: a total up to now
_ESTIMATED = re.compile(r"(?i)\b(estimat\w*)\b")
_INVESTEE_BEFORE = re.compile(r"\b(in|into|to|on|of)\s+(?:(?:the|a|an|AI|[a-z][\w-]*)\s+){0,3}$")
_INVESTOR_BEFORE = re.compile(r"\b(from|by)\s+(?:(?:the|a|an|[a-z][\w-]*)\s+){0,2}$")
_SINCE = re.compile(r"(?i)\b(since|founded|founding)\b")
_SUPERLATIVE = re.compile(
    r"(?i)\b(largest|biggest|most significant|most important|record|unprecedented|first-ever|to date)\b"
)
_CUMULATIVE_WORDS = re.compile(r"(?i)\b(total (?:stake|investment|funding)|in all|in total|cumulat\w*)\b")
_MONEY_NOUN = re.compile(
    r"(?i)\b(investment|venture|commitment|cheque|check|stake|infusion|bet|deal|funding|round|valuation|backing)s?\b"
)
_DEVELOPER = "ai_developer"
_NEAREST_CLAUSES = 64  # clauses of its sentence a figure looks at (a sentence of news has a few)
_TOPICS = {"valuation": "valuation", "funding": "funding", "round": "funding"}  # else investment


class _Span(Protocol):
    """Anything found in a sentence at a place: a date mention, a company mention."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


@dataclass
class Reader:
    """What reading the article needs from the curated data."""

    publication: Publication
    source_id: str
    names: list[tuple[str, str]]  # (name, company_id), longest first
    roles: dict[str, str]  # company_id -> role
    known_pairs: set[tuple[str, str]]  # (investor, investee) of the curated investments
    found: dict[int, list[Mention]] = field(default_factory=dict, repr=False)  # by sentence offset

    def mentions(self, sentence: Sentence) -> list[Mention]:
        """The companies a sentence names, found once per sentence (a sentence may hold many figures)."""
        if sentence.offset not in self.found:
            self.found[sentence.offset] = mentions(sentence.text, self.names)
        return self.found[sentence.offset]


@dataclass
class Candidate:
    """One candidate row: its table, its cells, the reasons for them and where in the article it was read."""

    table: str
    row: dict[str, str]
    why: list[str]
    offset: int  # of the figure (or the statement's cue word) in the article's normalised text
    sentence: Sentence
    money: Money | None = None
    pair_from_text: bool = False  # its own sentence names both investor and investee


@dataclass
class Scope:
    """A figure (or cue word) in its sentence: where to look for the words that qualify it."""

    sentence: Sentence
    anchor: Span
    others: list[Span]  # the other figures of the sentence
    evidence: set[Span] = field(default_factory=set)

    @functools.cached_property
    def own(self) -> Span:
        """The clause holding the anchor."""
        return self.sentence.clause_at(self.anchor[0])

    def clauses(self) -> list[tuple[Span, str]]:
        """The own clause, then the sentence's clauses holding no other figure (nearest first), with a label."""
        return self._ranked

    @functools.cached_property
    def _ranked(self) -> list[tuple[Span, str]]:
        """clauses(), worked out once: the nearest clauses on either side, at most _NEAREST_CLAUSES away."""
        starts = sorted(start for start, _ in self.others)
        clauses = self.sentence.clauses
        own = self.sentence.clause_index(self.anchor[0])
        left, right, free = own - 1, own + 1, []
        for _ in range(_NEAREST_CLAUSES):  # merge the two sides by gap (ties: the earlier clause first)
            take_left = left >= 0 and (
                right >= len(clauses) or _gap(clauses[left], self.anchor) <= _gap(clauses[right], self.anchor)
            )
            if not take_left and right >= len(clauses):
                break
            index = left if take_left else right
            left, right = (left - 1, right) if take_left else (left, right + 1)
            if clauses[index] != self.own and not _holds(clauses[index], starts):
                free.append(clauses[index])
        return [(self.own, "beside the figure")] + [(c, "in the same sentence") for c in free]

    def find(self, pattern: re.Pattern, evidence: bool = True) -> tuple[re.Match, str] | None:
        """The match nearest the anchor in the first clause that has one, and where it was found."""
        for clause, where in self.clauses():
            matches = list(pattern.finditer(self.sentence.text, *clause))
            if matches:
                if evidence:
                    self.evidence.add(clause)
                return min(matches, key=lambda m: _gap(m.span(), self.anchor)), where
        return None

    def find_in_own(self, pattern: re.Pattern) -> tuple[re.Match, str] | None:
        """The match nearest the anchor in its own clause only."""
        matches = list(pattern.finditer(self.sentence.text, *self.own))
        return (min(matches, key=lambda m: _gap(m.span(), self.anchor)), "beside the figure") if matches else None

    def nearest(self, spans: Sequence[S]) -> tuple[S, str] | None:
        """The item (with .start, .end) nearest the anchor in the first clause holding one (joining the quote)."""
        for clause, where in self.clauses():
            inside = [s for s in spans if clause[0] <= s.start < clause[1]]
            if inside:
                self.evidence.add(clause)
                return min(inside, key=lambda s: _gap((s.start, s.end), self.anchor)), where
        return None

    def quote(self) -> str:
        """The shortest span of the sentence holding the figure and the clauses the suggestions rest on."""
        spans = [self.own, *self.evidence]
        start, end = min(a for a, _ in spans), max(b for _, b in spans)
        if any(start <= other < end for other, _ in self.others):
            start, end = self.own
        return self.sentence.quote(start, end)


def _holds(clause: Span, starts: list[int]) -> bool:
    """A clause holds one of the sorted positions."""
    i = bisect_left(starts, clause[0])
    return i < len(starts) and starts[i] < clause[1]


@functools.lru_cache(maxsize=1 << 16)  # two entries per company named: small strings
def _before(pattern: re.Pattern, text: str, end: int) -> str | None:
    """The word the pattern finds ending at `end` of the text ('in', 'from'), searched once per company named.

    The patterns span a word and at most three more, so the 200 characters before `end` hold any match
    (words of over 40 letters aside): the search does not grow with the sentence.
    """
    match = pattern.search(text, max(0, end - 200), end)
    return match.group(1) if match else None


@functools.lru_cache(maxsize=8)  # sentences are read in order: a few suffice, and each holds its text
def _every(pattern: re.Pattern, text: str) -> tuple[re.Match, ...]:
    """Every match of a pattern in a sentence, found once for all the sentence's figures."""
    return tuple(pattern.finditer(text))


@functools.lru_cache(maxsize=8)
def _sentence_dates(text: str) -> tuple[DateMention, ...]:
    """The dates a sentence mentions, found once for all its figures."""
    return tuple(date_mentions(text))


def _gap(span: Span, anchor: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(span[0] - anchor[1], anchor[0] - span[1], 0)


MAX_CANDIDATES = 500  # a news article gives a few dozen at most; thousands are a table or a feed


class TooManyCandidates(ValueError):
    """The article gives more candidates than a review file can sensibly hold (and than is quick to read)."""


def read_candidates(text: str, reader: Reader) -> list[Candidate]:
    """Every candidate of an article, in the order of the text; TooManyCandidates over MAX_CANDIDATES."""
    found: list[Candidate] = []
    every = sentences(text)
    amounts = [money(s.text) for s in every]
    _at_most(sum(map(len, amounts)), "dollar amounts")  # before the reading of each, which compares them
    in_body = {m.value for s, figures in zip(every, amounts, strict=True) if not s.headline for m in figures}
    for sentence, figures in zip(every, amounts, strict=True):
        for figure in figures:
            if sentence.headline and figure.value in in_body:
                continue  # a headline figure the body repeats: the body's sentence is the claim
            others = [(o.start, o.end) for o in figures if o is not figure]
            found.append(figure_candidate(Scope(sentence, (figure.start, figure.end), others), figure, reader))
        found += statement_candidates(sentence, figures, reader)
        _at_most(len(found), "candidates")
    fill_from_context(found)
    return sorted(found, key=lambda c: c.offset)


def _at_most(count: int, what: str) -> None:
    if count > MAX_CANDIDATES:
        raise TooManyCandidates(
            f"the article gives more than {MAX_CANDIDATES} {what} (at least {count}): it reads as a table or a list, "
            "not news; curate its rows by hand (docs/curation.md 1.2)"
        )


def figure_candidate(scope: Scope, figure: Money, reader: Reader) -> Candidate:
    """The candidate row for one dollar amount."""
    table, why = _table(scope, reader)
    build = {"investments": _investment, "valuations": _valuation, "funding_totals": _funding_total}.get(table)
    row, reasons = build(scope, figure, reader) if build else _unclassified(figure)
    pair = table == "investments" and bool(row["investor_id"] and row["investee_id"])
    row = {"source_id": reader.source_id, **row, "quote": scope.quote()}
    reasons = [why, f"quote: the clause holding '{figure.text}'" + _joined(scope), *reasons]
    return Candidate(
        table=table,
        row=row,
        why=reasons,
        offset=scope.sentence.offset + figure.start,
        sentence=scope.sentence,
        money=figure,
        pair_from_text=pair,
    )


def _joined(scope: Scope) -> str:
    extra = len(scope.evidence - {scope.own})
    return f", with {extra} clause(s) of the sentence the suggestions rest on" if extra else ""


def _table(scope: Scope, reader: Reader) -> tuple[str, str]:
    """The claim table a figure belongs to, from the word nearest it: valuation, funding, investment."""
    found = scope.find(_TABLE_CUES)
    if not found and (money_put := scope.find(_PUT_IN_WORDS)):
        return "investments", f"table: '{money_put[0].group(0)}' {money_put[1]} describes money put in -> investments"
    if not found and (anywhere := _every(_TABLE_CUES, scope.sentence.text)):
        nearest = min(anywhere, key=lambda m: _gap(m.span(), scope.anchor))
        found = nearest, "with the sentence's other figure ('up from', 'and')"
    if not found:
        return "", "table: no word says what the amount is (investment, valuation, funding): choose the table or drop"
    match, where = found
    table = match.lastgroup or ""  # every alternative of _TABLE_CUES is a named group
    if table == "funding_totals" and match.group(0).lower().startswith("rais") and _named_investor(scope, reader):
        return "investments", f"table: '{match.group(0)}' {where}, from a named investor -> investments"
    return table, f"table: '{match.group(0)}' {where} -> {table}"


def _named_investor(scope: Scope, reader: Reader) -> bool:
    """A company named after 'from' or 'by' in the figure's clause."""
    text = scope.sentence.text
    own = scope.own
    return any(
        _INVESTOR_BEFORE.search(text, own[0], m.start) for m in _named(scope, reader) if own[0] <= m.start < own[1]
    )


def _amount(figure: Money, column: str) -> tuple[dict, list[str]]:
    """The amount and qualifier cells, with their reasons (and what to check: a range, a decimal comma)."""
    qualifier = (
        f"amount_qualifier: '{figure.qualifier_cue}' with the figure -> {figure.qualifier}"
        if figure.qualifier_cue
        else "amount_qualifier: no bounding word ('exceeding', 'more than', 'about', 'up to') -> exact"
    )
    if not figure.qualifier:
        qualifier = "amount_qualifier: left empty for you: at_least with the low end, up_to with the high end, or about"
    amount = f"{column}: '{figure.text}' = {figure.usd} dollars"
    if figure.caution:
        amount = f"{column}: check it: '{figure.text}' is {figure.caution} = {figure.usd} dollars"
    cells = {column: figure.usd, "amount_qualifier": figure.qualifier}
    return cells, [amount, qualifier]


def _investment(scope: Scope, figure: Money, reader: Reader) -> tuple[dict, list[str]]:
    """The cells of an investments row."""
    investor, investee, why = pair(scope, reader)
    amount, amount_why = _amount(figure, "amount_usd")
    framing, wording, framing_why = _framing(scope)
    reading, date_why = _date(scope, reader.publication, "announced_date", default=False)
    status, status_why = _status(scope)
    row = {"investor_id": investor, "investee_id": investee, **amount, "framing": framing, "wording": wording}
    row |= _date_cells(reading, "announced_date") | {"status": status, "note": ""}
    return row, [*why, *amount_why, *framing_why, date_why, status_why]


def _valuation(scope: Scope, figure: Money, reader: Reader) -> tuple[dict, list[str]]:
    """The cells of a valuations row."""
    company, company_why = valued_company(scope, reader)
    amount, amount_why = _amount(figure, "valuation_usd")
    reading, date_why = _date(scope, reader.publication, "as_of_date", default=True)
    basis, basis_why = "reported", "basis: the article reports it -> reported"
    if found := scope.find(_ESTIMATED, evidence=False):
        basis, basis_why = "estimated", f"basis: '{found[0].group(0)}' {found[1]} -> estimated"
    row = {"company_id": company, **amount, **_date_cells(reading, "as_of_date"), "basis": basis}
    return row, [company_why, *amount_why, date_why, basis_why]


def _funding_total(scope: Scope, figure: Money, reader: Reader) -> tuple[dict, list[str]]:
    """The cells of a funding_totals row."""
    company, company_why = valued_company(scope, reader)
    amount, amount_why = _amount(figure, "total_usd")
    reading, date_why = _date(scope, reader.publication, "as_of_date", default=True)
    return {"company_id": company, **amount, **_date_cells(reading, "as_of_date")}, [company_why, *amount_why, date_why]


def _unclassified(figure: Money) -> tuple[dict, list[str]]:
    """A figure no word ties to a table: its amount only, for the analyst to place or drop."""
    cells, why = _amount(figure, "amount_usd")
    return cells, [*why, "amount_usd holds it until a table is chosen (valuation_usd or total_usd for the others)"]


def _date_cells(reading: DateReading, column: str) -> dict[str, str]:
    return {
        column: reading.date,
        f"{column}_precision": reading.precision,
        f"{column}_inferred": "true" if reading.inferred else "false",
        "date_note": reading.note,
    }


# --- dates, framing, status ----------------------------------------------------------------------------


def _date(scope: Scope, publication: Publication, column: str, default: bool) -> tuple[DateReading, str]:
    """The date a figure describes: a date beside it, else a word such as 'now', else the publication or none."""
    if dated := scope.nearest(_claim_dates(scope)):
        mention, where = dated
        reading = read_date(mention, publication)
        said = reading.note or ("stated" if reading.date else "left empty")
        return reading, f"{column}: '{mention.text}' {where}: {said}"
    if found := scope.find_in_own(PUBLICATION_CUES) or scope.find(_RUNNING_TOTAL):
        match, where = found
        reading = at_publication(match.group(0), publication)
        return reading, f"{column}: '{match.group(0)}' {where}: {reading.note}"
    if default:
        note = "Read as of the article's publication date: the text gives no other date."
        reading = DateReading(publication.date.isoformat(), publication.precision, True, note)
        return reading, f"{column}: required and not in the text; {note}"
    return DateReading(), (
        f"{column}: the text gives no date for this figure: left empty (the claim is then placed at its "
        "source's publication date)"
    )


def _claim_dates(scope: Scope) -> list[DateMention]:
    """The sentence's dates that can date a claim: not the start of a period ('since 2021', 'founded in 2021')."""
    text = scope.sentence.text
    found = []
    for mention in _sentence_dates(text):
        between = text[min(scope.anchor[1], mention.start) : mention.start]
        if not mention.starts_period and not _SINCE.search(between):
            found.append(mention)
    return found


def _framing(scope: Scope) -> tuple[str, str, list[str]]:
    """framing and wording (docs/curation.md section 4) from the words of the first clause that has any."""
    found = scope.find(_FRAMING_CUES)
    if not found:
        why = "no word such as 'initial', 'another', 'latest' or 'in all'"
        return "unknown", "unspecified", [f"framing: {why} -> unknown", f"wording: {why} -> unspecified"]
    nearest, where = found
    clause = scope.sentence.clause_at(nearest.start())
    kinds = {m.lastgroup or "" for m in _FRAMING_CUES.finditer(scope.sentence.text, *clause)}
    words = ", ".join(f"'{m.group(0)}'" for m in _FRAMING_CUES.finditer(scope.sentence.text, *clause))
    framing, because = _framing_of(kinds)
    wording = nearest.lastgroup if nearest.lastgroup and nearest.lastgroup != "announced" else "unspecified"
    said = f"'{nearest.group(0)}' is the source's word nearest the figure"
    if wording == "unspecified":
        said = f"'{nearest.group(0)}' says only that it is new, not initial, another, latest or total"
    return framing, wording, [f"framing: {words} {where}: {because} -> {framing}", f"wording: {said} -> {wording}"]


def _framing_of(kinds: set[str]) -> tuple[str, str]:
    """The framing the cue words support, and why; unknown unless the text leaves no doubt."""
    tranche = kinds & {"initial", "another", "announced"}
    if "total" in kinds and (tranche or "latest" in kinds):
        return "unknown", "one injection and a running total at once: the text says both"
    if "total" in kinds:
        return "cumulative", "a running total"
    if tranche:
        return "tranche", "one injection of new money"
    return "unknown", "'latest' names the newest infusion, but sources call running totals that too"


def _status(scope: Scope) -> tuple[str, str]:
    """announced (new in this article) or committed (already made)."""
    if found := scope.find(_ANNOUNCED, evidence=False):
        return "announced", f"status: '{found[0].group(0)}' {found[1]} -> announced"
    return "committed", "status: no word presents it as new ('announced', 'will', 'latest', 'another') -> committed"


# --- companies -----------------------------------------------------------------------------------------


def _named(scope: Scope, reader: Reader) -> list[Mention]:
    return reader.mentions(scope.sentence)


def pair(scope: Scope, reader: Reader) -> tuple[str, str, list[str]]:
    """(investor, investee, reasons) from the companies the sentence names; empty where it names none."""
    named = _named(scope, reader)
    investee, investee_why = _investee(scope, named, reader)
    investor, investor_why = _investor(scope, named, investee, reader)
    if investor and investee and (investee, investor) in reader.known_pairs - {(investor, investee)}:
        swapped = f"swapped: the curated investments have {investee} investing in {investor}, never the reverse"
        return investee, investor, [f"investor: {investee} ({swapped})", f"investee: {investor} ({swapped})"]
    return investor, investee, [investor_why, investee_why]


def _groups(scope: Scope, named: list[Mention]) -> list[tuple[list[Mention], str]]:
    """The companies of the figure's clause, then of its sentence."""
    own = scope.own
    return [([m for m in named if own[0] <= m.start < own[1]], "in its clause"), (named, "in its sentence")]


def _investee(scope: Scope, named: list[Mention], reader: Reader) -> tuple[str, str]:
    """The company the money goes to: after 'in', 'into', 'to', else the AI developer named."""
    text = scope.sentence.text
    for group, where in _groups(scope, named):
        after = [(m, p) for m in group if (p := _before(_INVESTEE_BEFORE, text, m.start))]
        after = [(m, p) for m, p in after if not _before(_INVESTOR_BEFORE, text, m.start)]
        if after:
            m, p = min(after, key=lambda item: (item[0].start < scope.anchor[0], abs(item[0].start - scope.anchor[0])))
            return m.company_id, f"investee: {m.company_id} ('{p} ... {m.name}' {where})"
    for group, where in _groups(scope, named):
        developers = [m for m in group if reader.roles.get(m.company_id) == _DEVELOPER]
        if developers:
            m = developers[0]
            return m.company_id, f"investee: {m.company_id} (the AI developer named {where})"
    return "", "investee: no company of companies.csv named as receiving it in the sentence"


def _investor(scope: Scope, named: list[Mention], investee: str, reader: Reader) -> tuple[str, str]:
    """The company the money comes from: after 'from' or 'by', a possessive before the figure, else the subject."""
    text = scope.sentence.text
    for group, where in _groups(scope, named):
        others = [m for m in group if m.company_id != investee]
        after = [(m, p) for m in others if (p := _before(_INVESTOR_BEFORE, text, m.start))]
        if after:
            m, p = after[0]
            return m.company_id, f"investor: {m.company_id} ('{p} {m.name}' {where})"
        possessive = [m for m in others if m.possessive and m.start < scope.anchor[0] and where == "in its clause"]
        if possessive:
            m = possessive[-1]
            return m.company_id, f"investor: {m.company_id} ('{m.name}'s' before the figure)"
        if others:
            m = others[0]
            return m.company_id, f"investor: {m.company_id} (named {where}, other than the investee)"
    return "", "investor: no company of companies.csv named as investing in the sentence"


def valued_company(scope: Scope, reader: Reader) -> tuple[str, str]:
    """The company valued or funded: a possessive beside the figure, else the AI developer named, else the first."""
    named = _named(scope, reader)
    groups = _groups(scope, named)
    possessive = [m for m in groups[0][0] if m.possessive and m.start < scope.anchor[0]]
    if possessive:
        m = possessive[0]
        return m.company_id, f"company_id: {m.company_id} ('{m.name}'s' in its clause)"
    for group, where in groups:
        developers = [m for m in group if reader.roles.get(m.company_id) == _DEVELOPER]
        if developers:
            return developers[0].company_id, f"company_id: {developers[0].company_id} (the AI developer named {where})"
    for group, where in groups:
        if group:
            return group[0].company_id, f"company_id: {group[0].company_id} (the company named {where})"
    return "", "company_id: no company of companies.csv named in the sentence"


# --- statements ----------------------------------------------------------------------------------------


def statement_candidates(sentence: Sentence, figures: list[Money], reader: Reader) -> list[Candidate]:
    """Clauses without a figure that call an investment the largest, unprecedented, or a total."""
    found = []
    spans = [(f.start, f.end) for f in figures]
    for clause in sentence.clauses:
        if any(clause[0] <= start < clause[1] for start, _ in spans):
            continue
        cue = _CUMULATIVE_WORDS.search(sentence.text, *clause) or _SUPERLATIVE.search(sentence.text, *clause)
        noun = _MONEY_NOUN.search(sentence.text, *clause)
        if cue and noun:
            found.append(_statement(Scope(sentence, cue.span(), spans), cue, noun, reader))
            _at_most(len(found), "statements in one sentence")
    return found


def _statement(scope: Scope, cue: re.Match, noun: re.Match, reader: Reader) -> Candidate:
    """The candidate statements row for one clause."""
    cumulative = bool(_CUMULATIVE_WORDS.fullmatch(cue.group(0)))
    kind = "cumulative" if cumulative else "superlative"
    topic = _TOPICS.get(noun.group(1).lower(), "investment")
    company, counterparty, company_why = _statement_companies(scope, topic, reader)
    reading, date_why = _date(scope, reader.publication, "date", default=True)
    row = {"source_id": reader.source_id, "company_id": company, "counterparty_id": counterparty}
    row |= {"topic": topic, "kind": kind, **_date_cells(reading, "date"), "quote": scope.quote()}
    why = [
        f"table: '{cue.group(0)}' said of '{noun.group(0)}' with no figure in the clause -> statements",
        f"kind: '{cue.group(0)}' -> {kind}",
        f"topic: '{noun.group(0)}' -> {topic}",
        *company_why,
        date_why,
    ]
    return Candidate(
        table="statements", row=row, why=why, offset=scope.sentence.offset + cue.start(), sentence=scope.sentence
    )


def _statement_companies(scope: Scope, topic: str, reader: Reader) -> tuple[str, str, list[str]]:
    """company and counterparty: investor and investee for an investment, else the company valued or funded."""
    if topic != "investment":
        company, said = valued_company(scope, reader)
        return company, "", [said, "counterparty_id: none for a statement about funding or valuation"]
    investor, investee, why = pair(scope, reader)
    renamed = [w.replace("investor:", "company_id:").replace("investee:", "counterparty_id:") for w in why]
    return investor, investee, renamed


# --- context -------------------------------------------------------------------------------------------


def fill_from_context(candidates: list[Candidate]) -> None:
    """Companies a sentence leaves unnamed ('The tech giant', 'It'), from the nearest figure that names both."""
    donors = [c for c in candidates if c.pair_from_text]
    for candidate in candidates:
        if candidate.table in ("investments", "statements"):
            _fill_pair(candidate, donors)
        elif candidate.table in ("valuations", "funding_totals") and not candidate.row["company_id"]:
            _fill_company(candidate, donors)


def _fill_company(candidate: Candidate, donors: list[Candidate]) -> None:
    """A valuation or funding total's missing company: the investee of the nearest figure naming both."""
    if donor := _donor(candidate, donors, lambda d: True):
        candidate.row["company_id"] = donor.row["investee_id"]
        candidate.why.append(f"company_id: none named in the sentence; {_from(donor, 'investee')}")


def _fill_pair(candidate: Candidate, donors: list[Candidate]) -> None:
    """Fill a missing investor or investee (company or counterparty of a statement) from a donor."""
    investment = candidate.table == "investments"
    first, second = ("investor_id", "investee_id") if investment else ("company_id", "counterparty_id")
    row = candidate.row
    if row[first] and row[second]:
        return
    if candidate.table == "statements" and row["topic"] != "investment":
        return
    donor = _donor(
        candidate,
        donors,
        lambda d: (
            (not row[first] or row[first] == d.row["investor_id"])
            and (not row[second] or row[second] == d.row["investee_id"])
        ),
    )
    if donor is None:
        return
    for column, role in ((first, "investor"), (second, "investee")):
        if not row[column]:
            row[column] = donor.row[f"{role}_id"]
            candidate.why.append(f"{column}: none named in the sentence; {_from(donor, role)}")


def _donor(candidate: Candidate, donors: list[Candidate], fits) -> Candidate | None:
    """The nearest earlier figure of the same paragraph that fits, else the nearest earlier, else later one."""
    earlier = [d for d in donors if d.offset < candidate.offset and fits(d)]
    same = [d for d in earlier if d.sentence.paragraph == candidate.sentence.paragraph]
    later = [d for d in donors if d.offset > candidate.offset and fits(d)]
    if same or earlier:
        return (same or earlier)[-1]
    return later[0] if later else None


def _from(donor: Candidate, role: str) -> str:
    figure = donor.money.text if donor.money else ""  # a donor is a figure's candidate: it has one
    return f"{donor.row[f'{role}_id']} from the figure '{figure}' in '{donor.row['quote']}'"
