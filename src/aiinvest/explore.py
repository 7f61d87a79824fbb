"""Helpers for exploring the curated data interactively (see notebooks/explore.ipynb)."""

import pandas as pd

from .formatting import format_date, format_usd

CLAIM_COLUMNS = [
    "claim_id",
    "table",
    "fact_id",
    "source_id",
    "company_id",
    "counterparty_id",
    "amount_usd",
    "amount_qualifier",
    "date",
    "date_precision",
    "date_inferred",
    "quote",
]


def claims(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every quantified or dated claim in one long table, one row per claim."""
    inv = tables["investments"]
    parts = [
        pd.DataFrame(
            {
                "claim_id": inv["investment_id"],
                "table": "investments",
                "fact_id": inv["fact_id"],
                "source_id": inv["source_id"],
                "company_id": inv["investee_id"],
                "counterparty_id": inv["investor_id"],
                "amount_usd": inv["amount_usd"],
                "amount_qualifier": inv["amount_qualifier"],
                "date": inv["announced_date"],
                "date_precision": inv["announced_date_precision"],
                "date_inferred": inv["announced_date_inferred"],
                "quote": inv["quote"],
            }
        ),
    ]
    for table, id_col, amount in (
        ("valuations", "valuation_id", "valuation_usd"),
        ("funding_totals", "total_id", "total_usd"),
    ):
        t = tables[table]
        parts.append(
            pd.DataFrame(
                {
                    "claim_id": t[id_col],
                    "table": table,
                    "fact_id": t["fact_id"],
                    "source_id": t["source_id"],
                    "company_id": t["company_id"],
                    "counterparty_id": pd.NA,
                    "amount_usd": t[amount],
                    "amount_qualifier": t["amount_qualifier"],
                    "date": t["as_of_date"],
                    "date_precision": t["as_of_date_precision"],
                    "date_inferred": t["as_of_date_inferred"],
                    "quote": t["quote"],
                }
            )
        )
    ev = tables["events"]
    subjects = tables["event_parties"].groupby("event_id")["company_id"].first()
    parts.append(
        pd.DataFrame(
            {
                "claim_id": ev["event_id"],
                "table": "events",
                "fact_id": ev["fact_id"],
                "source_id": ev["source_id"],
                "company_id": ev["event_id"].map(subjects),
                "counterparty_id": pd.NA,
                "amount_usd": pd.NA,
                "amount_qualifier": pd.NA,
                "date": ev["date"],
                "date_precision": ev["date_precision"],
                "date_inferred": ev["date_inferred"],
                "quote": ev["quote"],
            }
        )
    )
    frame = pd.concat([p.astype({"amount_usd": "Float64"}) for p in parts], ignore_index=True)
    return frame[CLAIM_COLUMNS]


def filter_claims(
    frame: pd.DataFrame,
    *,
    company: str | None = None,
    investor: str | None = None,
    source: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """Claims about a company, by an investor, from a source, dated within [start, end]."""
    keep = pd.Series(True, index=frame.index)
    if company:
        keep &= frame["company_id"] == company
    if investor:
        keep &= frame["counterparty_id"] == investor
    if source:
        keep &= frame["source_id"] == source
    if start:
        keep &= frame["date"] >= pd.Timestamp(start)
    if end:
        keep &= frame["date"] <= pd.Timestamp(end)
    return frame[keep.fillna(False)]


def quote_for(tables: dict[str, pd.DataFrame], claim_id: str) -> str:
    """The verbatim source quote behind one claim, with its source and how it reads."""
    row = claims(tables).set_index("claim_id").loc[claim_id]
    source = tables["sources"].set_index("source_id").loc[row["source_id"]]
    amount = (
        "" if pd.isna(row["amount_usd"]) else format_usd(row["amount_usd"], qualifier=row["amount_qualifier"]) + ", "
    )
    when = format_date(row["date"], row["date_precision"], bool(row["date_inferred"]))
    published = format_date(
        source["published_date"], source["published_date_precision"], source["published_date_inferred"]
    )
    return (
        f'{claim_id} ({amount}{when}): "{row["quote"]}"\n'
        f"  source {row['source_id']}, {source['file']}, published {published}"
    )
