"""How a number is written in a curated CSV: declared once, for the validator and the loader alike.

Plain ASCII digits, and for a `number` column an optional fractional part after a point: `4000000000`,
`0.5`. No sign, spaces, exponent, thousands or digit separators, or digits of other scripts, which
Frictionless or Python would read differently from pandas (or not at all).
"""

import re

GRAMMAR = {
    "integer": re.compile(r"[0-9]+"),
    "number": re.compile(r"[0-9]+(?:\.[0-9]+)?"),
}
EXPECTED = {
    "integer": "a whole number in plain digits 0-9 (no currency sign, thousands separator, sign, space or exponent)",
    "number": "a number in plain digits 0-9, with an optional fractional part after a point (no currency sign, "
    "thousands separator, sign, space or exponent)",
}


def is_number(text: str, kind: str) -> bool:
    """True when a non-empty cell of a column of Table Schema type `kind` (integer or number) is well written."""
    return GRAMMAR[kind].fullmatch(text) is not None
