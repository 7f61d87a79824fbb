"""The report stage: words, tables, charts, templates and exporters, all from one reconciliation.

`prepare` is imported on first use, so that importing `aiinvest.report.formatting` (as the
parameter check does) stays fast.
"""


def __getattr__(name: str):
    if name in {"Report", "prepare"}:
        from . import document  # imported here: pandas, plotly and matplotlib, 1.5 s, unneeded by the build

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Report", "prepare"]
