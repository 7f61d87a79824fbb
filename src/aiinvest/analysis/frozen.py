"""A read-only bundle of data frames: every access returns a copy-on-write view."""

import pandas as pd


class Frames:
    """Named frames fixed at construction. Reading one gives a shallow copy: under pandas'
    copy-on-write, editing that copy never changes the original, so the bundle is immutable.
    """

    FRAMES: tuple[str, ...] = ()

    def __init__(self, as_of: pd.Timestamp, **frames: pd.DataFrame):
        missing = set(self.FRAMES) - set(frames)
        unknown = set(frames) - set(self.FRAMES)
        if missing or unknown:
            raise TypeError(f"frames missing {sorted(missing)}, unknown {sorted(unknown)}")
        object.__setattr__(self, "_frames", {name: frames[name].copy(deep=False) for name in self.FRAMES})
        object.__setattr__(self, "as_of", pd.Timestamp(as_of))

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = object.__getattribute__(self, "_frames")
        if name in frames:
            return frames[name].copy(deep=False)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self):
        return [*super().__dir__(), *self.FRAMES]
