"""Drafting never crashes on what an article or a review file may hold: a date that does not exist where it
lands, a date near the ends of the calendar, a review file saved in another encoding."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.config import curated_dir, display
from aiinvest.curate.draft_dates import Publication, date_mentions, read_date
from aiinvest.curate.register import Registration, register_article

PRECISIONS = ("day", "month", "year")
WORDS = [
    "29 February", "February 29", "30 February", "31 April", "2024-13-00", "2023-02-29", "0000-01-01", "9999-12-31",
    "yesterday", "last week", "last month", "last year", "a year ago", "this year", "next March", "last September",
    "on Friday", "today", "in 1999", "March 2024", "15 March 2024", "29 February 2024", "29 February 2023", "now",
]  # fmt: skip


def publication(day: datetime.date, precision: str) -> Publication:
    """A publication as sources.csv records it: a coarser date is its period's first day."""
    first = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}[precision]
    return Publication(first, precision)


@pytest.mark.parametrize(
    ("text", "published", "note"),
    [
        ("On 29 February, Amazon invested", datetime.date(2023, 3, 5), "gives no real date"),
        ("29 February", datetime.date(2024, 3, 5), ""),  # read in a leap year: real
        ("yesterday", datetime.date(1, 1, 1), "gives no real date"),
        ("last year", datetime.date(1, 6, 1), "gives no real date"),
        ("a year ago", datetime.date(1, 6, 1), "gives no real date"),
        ("last September", datetime.date(1, 6, 1), "gives no real date"),
        ("last week", datetime.date(1, 1, 3), "gives no real date"),
    ],
)
def test_a_date_that_does_not_exist_where_it_lands_is_left_empty_with_a_note(text, published, note):
    (mention,) = date_mentions(text)
    reading = read_date(mention, Publication(published, "day"))
    if note:
        assert (reading.date, reading.precision) == ("", "")
        assert note in reading.note and "left empty" in reading.note and published.isoformat() in reading.note
    else:
        assert reading.date == "2024-02-29"


@pytest.mark.parametrize("text", ["2024-13-00", "2024-00-10", "2024-02-30", "0000-01-01", "2023-02-29"])
def test_an_impossible_date_is_no_date(text):
    assert date_mentions(text) == []


@given(
    st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=6).map(" ".join),
    st.dates(),
    st.sampled_from(PRECISIONS),
)
def test_every_date_reading_is_a_date_on_or_before_the_publication_or_empty(text, day, precision):
    source = publication(day, precision)
    for mention in date_mentions(text):
        reading = read_date(mention, source)
        assert reading.date == "" or datetime.date.fromisoformat(reading.date) <= source.date
        assert reading.date or "left empty" in reading.note


def test_draft_on_an_article_with_29_february_in_a_year_that_is_not_leap(data_dir, tmp_path, capsys):
    article = tmp_path / "leap.txt"
    article.write_text("Amazon news.\n\nOn 29 February, Amazon invested $4 billion in Anthropic.\n", encoding="utf-8")
    row = register_article(article, data_dir, Registration(datetime.date(2023, 3, 5), "day", title="Amazon news"))
    assert main(["--data-dir", str(data_dir), "draft", row["source_id"]]) == exitcodes.OK
    review = (data_dir.parent / "drafts" / f"{row['source_id']}.csv").read_text(encoding="utf-8")
    assert "which gives no real date when read against the article's publication (2023-03-05)" in review


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("cp1252", "UTF-8 text (byte 0xe9 cannot start or continue a UTF-8 character)"),
        ("utf-16", "UTF-8 text (the file is UTF-16, as a spreadsheet's 'Unicode text' saves it)"),
        ("utf-16-be", "UTF-8 text (the file is UTF-16, as a spreadsheet's 'Unicode text' saves it)"),  # no BOM
    ],
)
def test_a_review_file_in_another_encoding_is_refused_in_one_line(data_dir, capsys, encoding, expected):
    review = data_dir.parent / "review.csv"
    review.write_bytes("decision,table,quote\ndrop,statements,Société\n".encode(encoding))
    before = {p.name: p.read_bytes() for p in curated_dir(data_dir).iterdir()}
    assert main(["--data-dir", str(data_dir), "draft", "--accept", str(review)]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert err.startswith(f"error: {display(review)}:") and f": expected {expected}; save it as UTF-8" in err
    assert err.count("\n") == 1 and "nothing was changed" in err
    assert {p.name: p.read_bytes() for p in curated_dir(data_dir).iterdir()} == before
