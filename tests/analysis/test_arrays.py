"""The reconciliation's array building blocks (`analysis.arrays`) agree with the pandas operations they replace."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from aiinvest.analysis import arrays

keys = st.lists(st.integers(0, 4), max_size=30)
labels = st.lists(st.sampled_from(["a", "b", "c", None]), max_size=30)
amounts = st.lists(st.one_of(st.none(), st.sampled_from([0.0, 1.25e9, 2.75e9, 4e9, -1.0])), max_size=30)


@given(keys)
def test_first_appearance_numbers_groups_as_groupby_without_sorting(values):
    key = np.array(values, dtype=np.int64)
    group, heads = arrays.first_appearance(key)
    frame = pd.DataFrame({"key": key})
    assert group.tolist() == frame.groupby("key", sort=False).ngroup().tolist()
    assert heads.tolist() == frame.groupby("key", sort=False).head(1).index.tolist()


@given(keys, keys)
def test_join_pairs_rows_as_an_inner_merge_does(left, right):
    i, j = arrays.join(np.array(left, dtype=np.int64), np.array(right, dtype=np.int64))
    merged = pd.DataFrame({"k": left, "i": range(len(left))}).merge(pd.DataFrame({"k": right, "j": range(len(right))}))
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == sorted(zip(merged["i"], merged["j"], strict=True))
    pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    assert pairs == sorted(pairs)  # by left row, then right row


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["art-000", "art-001", "art-002"])), max_size=30))
def test_tuples_gather_each_groups_values_in_order_or_distinct_and_sorted(rows):
    groups = np.array([g for g, _ in rows], dtype=np.int64)
    values = np.array([v for _, v in rows], dtype=object)
    in_order = arrays.tuples(groups, values, 4, unique=False)
    distinct = arrays.tuples(groups, values, 4, unique=True)
    for g in range(4):
        mine = [v for k, v in rows if k == g]
        assert in_order[g] == tuple(mine)
        assert distinct[g] == tuple(sorted(set(mine)))


@given(keys, labels)
def test_distinct_counts_are_groupby_nunique(group_values, values):
    n = min(len(group_values), len(values))
    groups, labelled = np.array(group_values[:n], dtype=np.int64), pd.array(values[:n], dtype="string")
    counts = arrays.distinct_counts(groups, labelled, 5)
    expected = pd.Series(labelled).groupby(groups).nunique().reindex(range(5), fill_value=0)
    assert counts.tolist() == expected.tolist()


@given(keys, st.lists(st.floats(-10, 10), max_size=30))
def test_group_reduce_is_the_groups_minimum(group_values, values):
    n = min(len(group_values), len(values))
    group, _ = arrays.first_appearance(np.array(group_values[:n], dtype=np.int64))
    found = arrays.group_reduce(np.minimum, np.array(values[:n]), group)
    assert found.tolist() == pd.Series(values[:n]).groupby(group).min().tolist()


@given(keys, amounts)
def test_running_max_and_ffill_within_runs_match_groupby(group_values, values):
    n = min(len(group_values), len(values))
    key = np.sort(np.array(group_values[:n], dtype=np.int64))
    level = np.array([np.nan if v is None else v for v in values[:n]], dtype=float)
    starts = arrays.run_starts(key)
    by = pd.Series(key)
    expected = pd.Series(level).groupby(by).cummax().groupby(by).ffill()
    np.testing.assert_array_equal(arrays.running_max(level, starts), expected.to_numpy())
    keep = ~np.isnan(level) & (level > 0)
    filled = arrays.ffill(level, keep, starts, np.nan)
    np.testing.assert_array_equal(filled, pd.Series(level).where(keep).groupby(by).ffill().to_numpy())
    assert arrays.run_ends(key).tolist() == (~pd.Series(key).duplicated(keep="last")).tolist()


@given(st.lists(st.tuples(labels.map(lambda v: v[0] if v else None), st.integers(0, 2)), max_size=20))
def test_sort_codes_sort_as_the_values_do_with_missing_last(rows):
    names = pd.array([a for a, _ in rows], dtype="string")
    numbers = np.array([b for _, b in rows], dtype=np.int64)
    codes = arrays.sort_codes(names, numbers)
    by_codes = [rows[i] for i in np.argsort(codes, kind="stable")]
    frame = pd.DataFrame({"a": names, "b": numbers}).sort_values(["a", "b"], kind="stable", na_position="last")
    assert by_codes == [rows[i] for i in frame.index]


@given(labels)
def test_positions_by_are_groupby_indices_missing_values_left_out(values):
    labelled = pd.array(values, dtype="string")
    found = arrays.positions_by(labelled)
    expected = pd.Series(range(len(values))).groupby(labelled, sort=False).indices
    assert list(found) == list(expected)  # keys in order of first appearance
    assert {k: v.tolist() for k, v in found.items()} == {k: v.tolist() for k, v in expected.items()}


@given(labels)
def test_last_of_each_is_groupby_tail(values):
    groups, _ = pd.factorize(pd.array(values, dtype="string"))
    frame = pd.DataFrame({"g": pd.array(values, dtype="string")})
    assert arrays.last_of_each(groups).tolist() == frame.groupby("g", sort=False).tail(1).index.tolist()
