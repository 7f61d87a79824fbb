"""Charts: one specification each (data, labels, colours, order), two renderers."""

from .spec import Chart, RefLine, Trace

__all__ = ["Chart", "RefLine", "Trace"]
