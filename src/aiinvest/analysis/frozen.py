"""Read-only results: a frozen dataclass whose data frames are read as copies."""

import dataclasses
import typing
from typing import Any, ClassVar, Protocol, TypeVar, overload

import pandas as pd


class FramesDataclass(Protocol):
    """A dataclass naming its frames."""

    FRAMES: ClassVar[tuple[str, ...]]
    __dataclass_fields__: ClassVar[dict[str, Any]]


T = TypeVar("T", bound=FramesDataclass)


class _Frame:
    """A frame field: kept as a shallow copy, read as one. Under pandas' copy-on-write, editing a copy
    never changes the original, so the result stays immutable."""

    def __init__(self, name: str):
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> "_Frame": ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> pd.DataFrame: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> "pd.DataFrame | _Frame":
        if obj is None:
            return self
        frame: pd.DataFrame = vars(obj)[self.name]
        return frame.copy(deep=False)

    def __set__(self, obj: object, value: pd.DataFrame) -> None:
        vars(obj)[self.name] = value.copy(deep=False)  # only the dataclass's __init__ gets here: it is frozen


def frames_read_as_copies(cls: type[T]) -> type[T]:
    """On a frozen dataclass: every field typed pd.DataFrame is read as a shallow copy; FRAMES names them in order."""
    hints = typing.get_type_hints(cls)
    names = tuple(field.name for field in dataclasses.fields(cls) if hints[field.name] is pd.DataFrame)
    for name in names:
        setattr(cls, name, _Frame(name))
    cls.FRAMES = names
    return cls
