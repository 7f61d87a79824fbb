"""Dates as the project writes them: YYYY-MM-DD in ASCII digits, a real calendar day."""

import datetime
import re

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # only this form: Python also reads 20240327 and other digits


def iso_date(text: str) -> datetime.date | None:
    """The day a YYYY-MM-DD text names, or None when it is written otherwise or names no real day."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
