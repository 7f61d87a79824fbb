"""Currency, dates and escaping."""

import pandas as pd

from aiinvest.report.formatting import format_date, format_percent, format_usd


def test_format_usd():
    assert format_usd(1.25e9) == "$1.25B"
    assert format_usd(4e9) == "$4B"
    assert format_usd(18.4e9) == "$18.4B"
    assert format_usd(1.25e9, "millions") == "$1,250M"
    assert format_usd(10e9, qualifier="at_least") == "at least $10B"


def test_format_date_by_precision():
    day = pd.Timestamp("2024-03-27")
    assert format_date(day, "day") == "27 March 2024"
    assert format_date(pd.Timestamp("2023-09-01"), "month", inferred=True) == "September 2023 (inferred)"
    assert format_date(pd.Timestamp("2023-01-01"), "year") == "2023"
    assert format_date(pd.NaT, None) == "not stated"


def test_format_percent():
    assert format_percent(10 / 18.4) == "54%"


def test_small_counts_are_words_and_larger_ones_digits():
    from aiinvest.report.formatting import counted, in_words

    assert [in_words(n) for n in (0, 1, 2, 10, 11)] == ["zero", "one", "two", "ten", "11"]
    assert (counted(1, "tranche"), counted(2, "tranche"), counted(12, "company", "companies")) == (
        "one tranche",
        "two tranches",
        "12 companies",
    )
