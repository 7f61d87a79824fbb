"""`analysis.frozen`: a frozen dataclass whose frames are declared fields, read as copies."""

import dataclasses
from typing import ClassVar

import pandas as pd
import pytest

from aiinvest.analysis.frozen import frames_read_as_copies


@frames_read_as_copies
@dataclasses.dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Bundle:
    FRAMES: ClassVar[tuple[str, ...]] = ()

    label: str
    second: pd.DataFrame
    first: pd.DataFrame


def bundle() -> Bundle:
    return Bundle(label="x", second=pd.DataFrame({"a": [1, 2]}), first=pd.DataFrame({"b": ["p"]}))


def test_frames_are_named_in_declaration_order_and_other_fields_left_alone():
    assert Bundle.FRAMES == ("second", "first")
    assert bundle().label == "x"


def test_reading_a_frame_gives_a_copy_whose_edits_stay_local():
    b = bundle()
    frame = b.second
    frame.loc[0, "a"] = 99
    frame["c"] = 0
    assert frame is not b.second
    pd.testing.assert_frame_equal(b.second, pd.DataFrame({"a": [1, 2]}))


def test_the_frame_given_is_copied_too():
    given = pd.DataFrame({"a": [1, 2]})
    b = Bundle(label="x", second=given, first=pd.DataFrame())
    given.loc[0, "a"] = 99
    assert b.second["a"].tolist() == [1, 2]


def test_every_frame_is_required_and_nothing_can_be_set_or_deleted():
    with pytest.raises(TypeError, match="first"):
        Bundle(label="x", second=pd.DataFrame())  # type: ignore[call-arg]  # the missing frame is the point
    b = bundle()
    for name in ("second", "label", "new"):
        with pytest.raises(AttributeError):
            setattr(b, name, pd.DataFrame())
    with pytest.raises(AttributeError):
        del b.first
