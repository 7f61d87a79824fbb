"""`analysis.indexes`: a frame's rows by key and date, as the result's queries read them."""

import numpy as np
import pandas as pd

from aiinvest.analysis.indexes import Rows, Totals, moment

D = pd.Timestamp


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "company": pd.array(["a", "b", "a", None, "a"], dtype="string"),
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]),
            "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )


def test_a_keys_rows_in_row_order_up_to_a_date_missing_keys_match_none():
    rows = Rows(frame(), "company", "date", ("amount",))
    assert rows("a").tolist() == [0, 2, 4]
    assert rows("a", moment(D("2024-01-03"))).tolist() == [0, 2]
    assert rows("nobody").tolist() == [] and rows("a", moment(D("2023-12-31"))).tolist() == []
    assert list(rows.items("a", moment("2024-01-04"), "amount")) == [(1.0,), (3.0,)]
    assert rows.row(1) == {"amount": 2.0}


def test_only_the_rows_given_are_indexed():
    rows = Rows(frame(), "company", "date", rows=np.array([2, 4]))
    assert rows("a").tolist() == [2, 4] and rows("b").tolist() == []


def test_totals_list_the_largest_first_then_by_investor_id():
    totals = pd.DataFrame(
        {
            "investor_id": pd.array(["z", "b", "a", "c"], dtype="string"),
            "investee_id": pd.array(["x", "x", "x", "y"], dtype="string"),
            "date": pd.to_datetime(["2024-01-01"] * 4),
            "total_usd": [2.0, 1.0, 2.0, 5.0],
            "qualifier": ["exact"] * 4,
            "basis": ["tranches"] * 4,
        }
    )
    index = Totals(totals)
    assert index.listing(index("x")).tolist() == [2, 0, 1]
    assert len(set(index.pair.tolist())) == 4
