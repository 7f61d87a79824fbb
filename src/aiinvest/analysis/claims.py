"""The claims in one long table (every registered claim table, with when each claim became known), and its views."""

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..data.registry import ClaimTable, Tables
from . import arrays
from .arrays import Column
from .asof import publication_dates


class ClaimColumns(NamedTuple):
    """The long claims table's columns, in order."""

    claim_id: Column
    table: Column  # the claim table it comes from
    kind: Column  # that table's kind of claim (the registry's)
    fact_id: Column  # categorical: grouped on at scale, hashed once, then codes
    source_id: Column
    known_date: Column  # when it became known: its source's publication date
    company_id: Column  # its subject
    counterparty_id: Column  # an investment's investor
    amount_usd: Column  # NaN: no amount
    qualifier: Column
    date: Column  # the date it describes (NaT: none stated)
    date_precision: Column
    date_inferred: Column
    effective_date: Column  # its date, else when it became known
    quote: Column


CLAIM_COLUMNS = list(ClaimColumns._fields)


def long_claims(tables: Tables) -> pd.DataFrame:
    """Every claim of every registered claim table in one frame, with when it became known."""
    parts = [_table_claims(tables, t) for t in tables.claims]
    if not parts:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    joined = ClaimColumns._make(
        None if values[0] is None else arrays.concat(list(values)) for values in zip(*parts, strict=True)
    )
    known = publication_dates(tables, joined.source_id)
    claims = joined._replace(
        table=pd.array(joined.table, dtype="str"),
        kind=pd.array(joined.kind, dtype="str"),
        fact_id=pd.Categorical(joined.fact_id),
        known_date=known,
        effective_date=arrays.fill_dates(joined.date, known),
    )
    return pd.DataFrame(claims._asdict(), copy=False)


def _table_claims(tables: Tables, t: ClaimTable) -> ClaimColumns:
    """One claim table's columns in the long table's terms; known_date and effective_date None (set once joined)."""
    frame = tables[t.name]
    n = len(frame)
    missing = pd.array([pd.NA] * n, dtype="string")
    company = frame[t.company].array if t.company else missing
    if t.parties:
        company = _subjects(tables[t.parties], t.id, frame[t.id])
    return ClaimColumns(
        claim_id=frame[t.id].array,
        table=np.full(n, t.name, dtype=object),
        kind=np.full(n, t.kind, dtype=object),
        fact_id=frame["fact_id"].array,
        source_id=frame["source_id"].array,
        known_date=None,
        company_id=company,
        counterparty_id=frame[t.counterparty].array if t.counterparty else missing,
        amount_usd=frame[t.amount].to_numpy(dtype=float, na_value=np.nan) if t.amount else np.full(n, np.nan),
        qualifier=frame[t.qualifier].array if t.qualifier else missing,
        date=frame[t.date].to_numpy(),
        date_precision=frame[t.precision].array,
        date_inferred=frame[t.inferred].to_numpy(dtype=bool),
        effective_date=None,
        quote=frame["quote"].array,
    )


def _subjects(parties: pd.DataFrame, id_column: str, ids: pd.Series):
    """Each claim's subject: the first company its parties name with role subject (NA when none)."""
    keys = parties[id_column].to_numpy(dtype=object)
    companies = parties["company_id"].to_numpy(dtype=object)
    subject = (parties["role"].to_numpy(dtype=object, na_value="") == "subject") & ~pd.isna(keys) & ~pd.isna(companies)
    keys, companies = keys[subject], companies[subject]
    key_codes, uniques = pd.factorize(keys)
    _, first = np.unique(key_codes, return_index=True)
    position = pd.Index(uniques).get_indexer(pd.Index(ids.to_numpy(dtype=object)))
    none = np.array([pd.NA], dtype=object)
    return pd.array(np.append(companies[first], none)[position], dtype="string")


def investment_claims(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """The investment claims of the long table, with investor, investee, framing and wording."""
    inv = tables["investments"]
    own = arrays.take(claims, arrays.rows(claims["table"], "investments"))
    own["investor_id"] = pd.Categorical(inv["investor_id"])
    own["investee_id"] = pd.Categorical(inv["investee_id"])
    own["framing"] = inv["framing"].to_numpy()
    own["wording"] = inv["wording"].to_numpy()
    own["status"] = inv["status"].to_numpy()  # announced or committed
    return own


def valuations(claims: pd.DataFrame, tables: Tables | None = None) -> pd.DataFrame:
    """Valuation claims by company, date, then when they became known; the amount is valuation_usd, with its basis."""
    rows = arrays.rows(claims["kind"], "valuation")
    company = arrays.sort_codes(claims["company_id"].array.take(rows))
    order = np.lexsort((claims["known_date"].to_numpy()[rows], claims["date"].to_numpy()[rows], company))
    found = arrays.take(claims, rows[order])
    found.columns = ["valuation_usd" if c == "amount_usd" else c for c in found.columns]
    found["basis"] = _bases(found["claim_id"], tables)
    return found


def _bases(claim_ids: pd.Series, tables: Tables | None) -> np.ndarray:
    """Each valuation claim's basis (reported, announced, estimated) from the valuations table; None if unknown."""
    none = np.array([None], dtype=object)
    if tables is None or "valuations" not in tables:
        return np.full(len(claim_ids), None, dtype=object)
    table = tables["valuations"]
    ids = pd.Index(table[tables.claim_table("valuations").id].to_numpy(dtype=object))
    position = ids.get_indexer(claim_ids.to_numpy(dtype=object))
    return np.append(table["basis"].to_numpy(dtype=object), none)[position]


def statements(tables: Tables, claims: pd.DataFrame) -> pd.DataFrame:
    """Statement claims with their topic and kind."""
    own = arrays.take(claims, arrays.rows(claims["kind"], "statement"))
    table = tables["statements"]
    own["topic"] = table["topic"].to_numpy()
    own["statement_kind"] = table["kind"].to_numpy()
    return own
