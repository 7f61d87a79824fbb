"""Dates in an article's sentences, read against the article's publication date.

A date with its year is taken as stated. A date without one ('September', 'last September', 'on
Friday', 'now') is resolved against the publication date only where that date is known precisely
enough; otherwise the reading is empty and its note says why. A claim cannot describe a date after
its source's publication (the validator's rule), so a later date is left empty too.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_ABBREVIATED = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
_FULL = "|".join(name for name in calendar.month_name if name)
_ANY = _FULL + "|" + "|".join(name for name in calendar.month_abbr if name) + "|Sept"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAYS = list(calendar.day_name)
_BEFORE_MONTH = "last|this|next|early|late|in|since|during|by|from|until"
_RELATIVE = "today|yesterday|this week|last week|this month|last month|earlier this year|this year|last year"
_RELATIVE += "|a year (?:ago|earlier|before)"
_PATTERNS = (
    ("day", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("day", re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<m>{_ANY})\.?,?\s+{_YEAR}\b")),
    ("day", re.compile(rf"\b(?P<m>{_ANY})\.?\s+{_DAY},?\s+{_YEAR}\b")),
    ("month", re.compile(rf"\b(?P<m>{_ANY})\.?\s+(?:of\s+)?{_YEAR}\b")),
    ("day_noyear", re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<m>{_FULL})\b")),
    ("day_noyear", re.compile(rf"\b(?P<m>{_FULL})\s+{_DAY}\b(?!,?\s*\d)")),
    ("month_noyear", re.compile(rf"\b(?:(?P<mod>{_BEFORE_MONTH})\s+|mid-)(?P<m>{_FULL})\b")),
    ("month_noyear", re.compile(rf"\b(?P<m>(?!May\b){_FULL})\b")),
    ("year", re.compile(rf"\b(?:(?P<mod>in|since|during|by|from|until|of|early|late|for)\s+|mid-){_YEAR}\b")),
    ("relative", re.compile(rf"\b(?P<mod>{_RELATIVE})\b")),
    ("weekday", re.compile(rf"\b(?:on|last|this)\s+(?P<mod>{'|'.join(_WEEKDAYS)})\b")),
)
PUBLICATION_CUES = re.compile(r"(?i)\b(now|currently|to date|so far|latest|announc\w*|since|bringing)\b")
_PERIOD_STARTS = {"since", "from"}  # 'since 2021' starts a period: the claim is dated by the rest of the text


@dataclass(frozen=True)
class Publication:
    """The article's publication date and its precision (day, month, year), from sources.csv."""

    date: datetime.date
    precision: str

    @property
    def shown(self) -> str:
        """The date as precise as it is known: 2024-03-27, 2024-03 or 2024."""
        return self.date.isoformat()[: {"day": 10, "month": 7, "year": 4}[self.precision]]


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence."""

    start: int
    end: int
    text: str
    kind: str  # day, month, year, day_noyear, month_noyear, relative, weekday
    year: int | None = None
    month: int | None = None
    day: int | None = None
    modifier: str = ""

    @property
    def starts_period(self) -> bool:
        """'since March 2023', 'from 2021': the start of a period, not the date a claim describes."""
        return self.modifier in _PERIOD_STARTS


@dataclass(frozen=True)
class DateReading:
    """A date as the curated tables record it: ISO date, precision, inferred flag and a note."""

    date: str = ""
    precision: str = ""
    inferred: bool = False
    note: str = ""


def date_mentions(sentence: str) -> list[DateMention]:
    """Every date expression in a sentence, in order; an earlier pattern wins where two overlap."""
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(m.start < match.end() and match.start() < m.end for m in found):
                continue
            if mention := _mention(kind, match):
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _mention(kind: str, match: re.Match) -> DateMention | None:
    """A DateMention from a pattern's match; None for an impossible date such as 31 February."""
    groups = match.groupdict()
    month = groups.get("m")
    if month and not month.isdigit():
        month = _MONTHS.get(month.lower()) or _ABBREVIATED.get(month.lower().rstrip("."))
    year, day = groups.get("y"), groups.get("d")
    mention = DateMention(
        match.start(),
        match.end(),
        match.group(0),
        kind,
        int(year) if year else None,
        int(month) if month else None,
        int(day) if day else None,
        (groups.get("mod") or "").lower().rstrip("-"),
    )
    known = 2000 if mention.year is None else mention.year  # a leap year: '29 February' may be real in its year
    if mention.month is not None and not _real(known, mention.month, 1 if mention.day is None else mention.day):
        return None
    return mention


def _real(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def read_date(mention: DateMention, publication: Publication) -> DateReading:
    """The date a mention gives, resolved against the publication where it has no year.

    A date that does not exist where it lands (29 February in a year that is not a leap year, the day before
    0001-01-01) leaves the reading empty, with a note saying why.
    """
    try:
        return _read_date(mention, publication)
    except (ValueError, OverflowError):
        return DateReading(
            note=f"The text says '{mention.text}', which gives no real date when read against the article's "
            f"publication ({publication.shown}); left empty."
        )


def _read_date(mention: DateMention, publication: Publication) -> DateReading:
    said = f"The text says '{mention.text}'"
    if mention.kind in ("day", "month", "year") and mention.year:  # these kinds always have their year
        first = datetime.date(mention.year, mention.month or 1, mention.day or 1)
        return _within(_reading(first, mention.kind, False, ""), publication, said)
    if mention.kind == "relative":
        return _relative(mention.modifier, publication, said)
    if mention.kind == "weekday":
        return _weekday(mention.modifier, publication, said)
    return _without_year(mention, publication, said)


def _without_year(mention: DateMention, publication: Publication, said: str) -> DateReading:
    """'September', 'last September', 'this September', '27 March': the year from the publication date."""
    month = mention.month
    if month is None:  # a date without a year always names its month; nothing to place otherwise
        return DateReading(note=f"{said}, which names no month; left empty.")
    if mention.modifier == "next":
        return DateReading(note=f"{said}, after the publication: a claim cannot describe a later date; left empty.")
    if mention.modifier == "this":
        year = publication.date.year
        note = f"{said}; read in the publication year ({year})."
    elif publication.precision == "year":
        return DateReading(
            note=f"{said}, which cannot be placed: the article's date is known only to the year "
            f"({publication.shown}); left empty."
        )
    else:
        year, how = _latest_year(mention, month, publication)
        shown = datetime.date(year, month, mention.day or 1).isoformat()[: 10 if mention.day else 7]
        note = f"{said} with no year; {how} (published {publication.shown}): {shown}."
    first = datetime.date(year, month, mention.day or 1)
    return _within(_reading(first, "day" if mention.day else "month", True, note), publication, said)


def _latest_year(mention: DateMention, month: int, publication: Publication) -> tuple[int, str]:
    """The year of the latest such month (or day) on or before the publication; strictly before after 'last'."""
    pub, strict = publication.date, mention.modifier == "last"
    name = calendar.month_name[month] + (f" {mention.day}" if mention.day else "")
    if mention.day and publication.precision == "day":
        earlier = (month, mention.day) < (pub.month, pub.day) or (
            not strict and (month, mention.day) == (pub.month, pub.day)
        )
    else:
        earlier = month < pub.month or (not strict and month == pub.month)
    year = pub.year if earlier else pub.year - 1
    where = "before the publication month" if strict else "on or before the publication"
    return year, f"read as the latest {name} {where}"


def _relative(word: str, publication: Publication, said: str) -> DateReading:
    """'today', 'this week', 'yesterday', 'this month', 'last month', 'this year', 'last year'."""
    pub = publication.date
    if word in ("today", "this week"):
        return at_publication(word, publication)
    if word == "earlier this year" or word == "this year":
        return _within(
            _reading(pub.replace(month=1, day=1), "year", True, f"{said}: the publication year."), publication, said
        )
    if word.startswith("a year"):
        return _year_before(publication, said)
    if word == "last year":
        first = datetime.date(pub.year - 1, 1, 1)
        return _within(_reading(first, "year", True, f"{said}: the year before the publication."), publication, said)
    if publication.precision == "year" or (word in ("yesterday", "last week") and publication.precision != "day"):
        return _unplaced(said, publication)
    if word == "yesterday":
        day = pub - datetime.timedelta(days=1)
        return _within(
            _reading(day, "day", True, f"{said}: the day before the publication ({pub})."), publication, said
        )
    if word == "last week":
        return _last_week(publication, said)
    first = pub.replace(day=1)
    if word == "last month":
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    note = f"{said}: read against the publication ({publication.shown})."
    return _within(_reading(first, "month", True, note), publication, said)


def _year_before(publication: Publication, said: str) -> DateReading:
    """'a year ago', 'a year earlier': the publication's month (or year) one year before."""
    pub = publication.date
    precision = "year" if publication.precision == "year" else "month"
    first = pub.replace(year=pub.year - 1, day=1) if precision == "month" else pub.replace(year=pub.year - 1)
    note = f"{said}: one year before the publication ({publication.shown}), to the {precision}."
    return _within(_reading(first, precision, True, note), publication, said)


def _unplaced(said: str, publication: Publication) -> DateReading:
    """An empty reading: the publication date is too coarse to place the expression."""
    return DateReading(note=f"{said}, which cannot be placed: the article is dated {publication.shown}; left empty.")


def _last_week(publication: Publication, said: str) -> DateReading:
    """The week before a day-precision publication, to the month when that week lies in one month."""
    start = publication.date - datetime.timedelta(days=7)
    end = publication.date - datetime.timedelta(days=1)
    if (start.year, start.month) != (end.year, end.month):
        return DateReading(note=f"{said}, which spans two months before {publication.date}; left empty.")
    note = f"{said}: the week before the publication ({publication.date}), to the month."
    return _within(_reading(start.replace(day=1), "month", True, note), publication, said)


def _weekday(name: str, publication: Publication, said: str) -> DateReading:
    """'on Friday': the latest such weekday on or before a day-precision publication date."""
    if publication.precision != "day":
        return _unplaced(said, publication)
    back = (publication.date.weekday() - _WEEKDAYS.index(name.title())) % 7
    day = publication.date - datetime.timedelta(days=back)
    note = f"'{name.title()}' is read as the latest {name.title()} on or before the publication date ({day})."
    if back == 0:
        note = f"'{name.title()}' is read as the article's publication date, a {name.title()}."
    return _within(_reading(day, "day", True, note), publication, said)


def at_publication(cue: str, publication: Publication) -> DateReading:
    """The publication date for 'now', 'latest', 'to date', 'announcing': inferred, at the article's precision."""
    return DateReading(
        publication.date.isoformat(),
        publication.precision,
        True,
        f"'{cue}' is read as the article's publication date.",
    )


def _within(reading: DateReading, publication: Publication, said: str) -> DateReading:
    """The reading, unless it falls after the publication: coarsened into its period, or left empty."""
    first, note, inferred, limit = (
        datetime.date.fromisoformat(reading.date),
        reading.note,
        reading.inferred,
        publication.date,
    )
    if first <= limit:
        return reading
    same_period = _period(first, publication.precision) == _period(limit, publication.precision)
    if publication.precision != "day" and same_period:
        coarse = (
            f"{said}: later than the first day of the article's period ({publication.shown}), the latest date a "
            f"claim from it may carry, so it is recorded as {publication.shown} ({publication.precision})."
        )
        return DateReading(limit.isoformat(), publication.precision, inferred, " ".join(filter(None, [note, coarse])))
    return DateReading(
        note=f"{said}, after the article's publication ({publication.shown}): a claim cannot describe a later date; "
        "left empty."
    )


def _period(day: datetime.date, precision: str) -> tuple[int, ...]:
    return (day.year, day.month) if precision == "month" else (day.year,)


def _reading(first: datetime.date, precision: str, inferred: bool, note: str) -> DateReading:
    """A date read from the text, before it is checked against the publication."""
    return DateReading(first.isoformat(), precision, inferred, note)
