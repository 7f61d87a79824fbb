"""The report stage: words, tables, charts, templates and exporters, all from one reconciliation.

`prepare` is imported on first use, so that importing `aiinvest.report.formatting` (as the
parameter check does) stays fast.
"""


def __getattr__(name: str):
    if name in {"Report", "prepare"}:
        from . import document  # imported here: pandas, plotly and matplotlib, 1.5 s, unneeded by the build

        return getattr(document, name)
    if name == "prepare_race":
        from . import race_report  # as above

        return race_report.prepare_race
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Report", "prepare", "prepare_race"]
