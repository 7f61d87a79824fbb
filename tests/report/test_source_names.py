"""Readers' names for sources: made from publisher and date, unique, never a source id."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from aiinvest.report.source_names import source_names


def frame(*rows):
    cols = ["source_id", "published_date", "published_date_precision", "published_date_inferred", "publisher"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


def test_seed_like_sources_get_dated_names():
    names = source_names(
        frame(
            ("art-000", pd.Timestamp("2024-03-01"), "month", True, None),
            ("art-001", pd.Timestamp("2024-03-27"), "day", False, None),
        )
    )
    assert names == {"art-000": "Undated article (March 2024, inferred)", "art-001": "Article of 27 March 2024"}


def test_publisher_is_named_and_undated_sources_say_so():
    names = source_names(
        frame(("a", pd.Timestamp("2024-03-27"), "day", False, "Reuters"), ("b", pd.NaT, None, False, None))
    )
    assert names == {"a": "Reuters, 27 March 2024", "b": "Undated article"}


def test_namesakes_get_letters_in_date_then_id_order():
    names = source_names(
        frame(
            ("z", pd.Timestamp("2024-03-27"), "day", False, None),
            ("a", pd.Timestamp("2024-03-27"), "day", False, None),
        )
    )
    assert names == {"a": "Article of 27 March 2024 (a)", "z": "Article of 27 March 2024 (b)"}


@given(
    st.lists(
        st.tuples(st.dates(), st.sampled_from(["day", "month", "year"]), st.booleans(), st.sampled_from([None, "P"])),
        max_size=40,
    )
)
def test_names_are_unique_and_never_show_the_id(sources):
    table = frame(*[(f"src-{i:03d}", pd.Timestamp(d), p, inf, pub) for i, (d, p, inf, pub) in enumerate(sources)])
    names = source_names(table)
    assert len(set(names.values())) == len(names) == len(sources)
    assert not any(sid in name for sid, name in names.items())
