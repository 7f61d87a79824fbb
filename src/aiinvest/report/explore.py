"""Helpers for exploring the curated data interactively (see notebooks/explore.ipynb).

They read the one reconciliation a report uses (`aiinvest.analysis.reconcile.reconcile`), so
what an analyst sees here is what the report shows as of the same date.
"""

import pandas as pd

from ..analysis.reconcile import Reconciliation
from .formatting import format_date, format_usd

# Tables of amounts hold "$4B": shown in JupyterLab, pandas would let MathJax typeset "$...$" as
# mathematics. Importing these helpers turns that off (pandas marks its tables tex2jax_ignore).
pd.set_option("display.html.use_mathjax", False)


def claims(rec: Reconciliation) -> pd.DataFrame:
    """Every claim known at the reconciliation's date in one long table, one row per claim."""
    return rec.claims


def filter_claims(
    frame: pd.DataFrame,
    *,
    company: str | None = None,
    investor: str | None = None,
    source: str | None = None,
    between: tuple[str | None, str | None] = (None, None),
) -> pd.DataFrame:
    """Claims about a company, by an investor, from a source, dated within `between` (start, end; either open)."""
    keep = pd.Series(True, index=frame.index)
    if company:
        keep &= frame["company_id"] == company
    if investor:
        keep &= frame["counterparty_id"] == investor
    if source:
        keep &= frame["source_id"] == source
    start, end = between
    if start:
        keep &= frame["date"] >= pd.Timestamp(start)
    if end:
        keep &= frame["date"] <= pd.Timestamp(end)
    return frame[keep.fillna(False)]


def formatted(frame: pd.DataFrame, unit: str = "billions") -> pd.DataFrame:
    """A copy for reading, amounts written as the report writes them ('$1.25B', 'at least $10B'); the frame keeps
    its numbers. Every `*_usd` column is an amount; `X_qualifier` qualifies `X_usd`, and a `qualifier` or
    `amount_qualifier` column the frame's first amount."""
    amounts = [c for c in frame.columns if c.endswith("_usd")]
    shown = frame.copy()
    for column in amounts:
        qualifier = f"{column.removesuffix('_usd')}_qualifier"
        if qualifier not in frame.columns and column == amounts[0]:
            qualifier = next((q for q in ("qualifier", "amount_qualifier") if q in frame.columns), "")
        qualifiers = frame[qualifier] if qualifier in frame.columns else pd.Series("exact", index=frame.index)
        shown[column] = [
            "" if pd.isna(amount) else format_usd(amount, unit, "exact" if pd.isna(q) else q)
            for amount, q in zip(frame[column], qualifiers, strict=True)
        ]
    return shown


def quote_for(rec: Reconciliation, claim_id: str, unit: str = "billions") -> str:
    """The verbatim source quote behind one claim, with its source, when it became known and how it reads."""
    row = rec.claims.set_index("claim_id").loc[claim_id].to_dict()
    source = rec.sources.set_index("source_id").loc[row["source_id"]].to_dict()
    amount = (
        "" if pd.isna(row["amount_usd"]) else format_usd(row["amount_usd"], unit, qualifier=row["qualifier"]) + ", "
    )
    when = format_date(row["date"], row["date_precision"], bool(row["date_inferred"]))
    published = format_date(
        source["published_date"], source["published_date_precision"], source["published_date_inferred"]
    )
    reads = rec.interpretations.set_index("claim_id")
    read = reads.loc[claim_id].to_dict() if claim_id in reads.index else None
    reading = f"\n  read as: {read['describes']} ({read['reason']})" if read else ""
    return (
        f'{claim_id} ({amount}{when}): "{row["quote"]}"\n'
        f"  source {row['source_id']}, {source['file']}, published {published}{reading}"
    )
