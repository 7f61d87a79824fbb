"""Format amounts and dates for prose, tables and charts."""

import math
import re

UNITS = {"billions": (1e9, "B"), "millions": (1e6, "M")}
QUALIFIER_PREFIX = {"exact": "", "at_least": "at least ", "about": "about ", "up_to": "up to "}
# An amount as format_usd writes it ("$1.25B", "at least $10B", "$1,250M"), found inside a chart's label.
AMOUNT = re.compile(
    "(?:"
    + "|".join(re.escape(p) for p in QUALIFIER_PREFIX.values() if p)
    + r")?\$\d[\d,]*(?:\.\d+)?(?:"
    + "|".join(suffix for _, suffix in UNITS.values())
    + ")?"
)
MONTHS = "January February March April May June July August September October November December"


def format_usd(amount: float, unit: str = "billions", qualifier: str = "exact") -> str:
    """'$1.25B', 'at least $10B' or '$1,250M': plain text with a literal dollar sign."""
    divisor, suffix = UNITS[unit]
    value = amount / divisor
    digits = 0 if math.isclose(value, round(value)) else (1 if math.isclose(value * 10, round(value * 10)) else 2)
    return f"{QUALIFIER_PREFIX[qualifier]}${value:,.{digits}f}{suffix}"


def format_date(date, precision: str | None, inferred: bool = False) -> str:
    """'27 March 2024', 'March 2024' or '2024', marked '(inferred)'; 'not stated' if missing."""
    if date is None or date != date:  # None, NaN or NaT (which never equal themselves)
        return "not stated"
    month = MONTHS.split()[date.month - 1]
    forms = {"day": f"{date.day} {month} {date.year}", "month": f"{month} {date.year}"}
    text = forms.get(precision or "", f"{date.year}")
    return f"{text} (inferred)" if inferred else text


def format_percent(fraction: float) -> str:
    """0.5435 -> '54%'."""
    return f"{fraction:.0%}"


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(count: int) -> str:
    """A small count in words ('two'), a larger one in digits ('12'), as a sentence says them."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def counted(count: int, singular: str, plural_form: str | None = None) -> str:
    """'two tranches', 'one company', '12 tranches': small counts in words."""
    return f"{in_words(count)} {singular if count == 1 else (plural_form or singular + 's')}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 tranche', '2 tranches'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def join_words(items, conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def format_ids(ids) -> str:
    """Source or claim ids as a sorted, comma-separated list."""
    return ", ".join(sorted({str(i) for i in ids if i == i and i is not None}))


def format_day(date) -> str:
    """A date known to the day: '27 March 2024'."""
    return format_date(date, "day")


def shorten(text: str, limit: int) -> str:
    """The text, or its first words up to `limit` characters with an ellipsis when it is longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
