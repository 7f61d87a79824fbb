"""`analysis.series.carry`: a level carried forward with the increments dated after it, never decreasing."""

import numpy as np

from aiinvest.analysis.series import carry

NAN = np.nan


def test_a_level_is_carried_forward_with_later_increments_and_never_decreases():
    # One key; days 1..5: an increment of 1, a level of 10, an increment of 2, a level of 5 (lower), an increment of 3.
    c = carry(
        np.zeros(5, dtype=np.int64),
        np.array([1, 2, 3, 4, 5]),
        np.array([0, 1, 0, 1, 0]),
        np.array([NAN, 10.0, NAN, 5.0, NAN]),
        np.array([1.0, 0.0, 2.0, 0.0, 3.0]),
    )
    assert c.sort.tolist() == [0, 1, 2, 3, 4]
    assert c.starts.tolist() == [True, False, False, False, False]
    assert c.sums[:, 0].tolist() == [1.0, 1.0, 3.0, 3.0, 6.0]
    assert np.isnan(c.carried[0])  # no level yet
    assert c.carried[1:].tolist() == [10.0, 12.0, 12.0, 15.0]  # the lower level of day 4 changes nothing
    assert c.from_level.tolist() == [False, True, False, False, False]


def test_keys_run_separately_sorted_by_date_then_increments_before_levels():
    c = carry(
        np.array([1, 0, 1, 0]),
        np.array([2, 2, 2, 1]),
        np.array([1, 0, 0, 0]),  # key 1 on day 2: its level comes after its increment
        np.array([4.0, NAN, NAN, NAN]),
        np.array([0.0, 2.0, 1.0, 1.0]),
        np.array([0.0, 20.0, 10.0, 10.0]),  # another amount summed along
    )
    assert c.sort.tolist() == [3, 1, 2, 0]
    assert c.starts.tolist() == [True, False, True, False]
    assert c.sums.tolist() == [[1.0, 10.0], [3.0, 30.0], [1.0, 10.0], [1.0, 10.0]]
    assert c.carried[3] == 4.0 and c.from_level.tolist() == [False, False, False, True]
