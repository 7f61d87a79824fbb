"""`analysis.claims`: every registered claim table in one long table, its columns declared once."""

from fixtures import SEED_DIR

from aiinvest.analysis.claims import CLAIM_COLUMNS, ClaimColumns, long_claims
from aiinvest.data.load import load_tables


def test_the_long_table_has_the_declared_columns_and_one_row_per_claim():
    tables = load_tables(SEED_DIR, validate=False)
    claims = long_claims(tables)
    assert list(claims.columns) == CLAIM_COLUMNS == list(ClaimColumns._fields)
    assert len(claims) == sum(len(tables[t.name]) for t in tables.claims)
    assert claims["fact_id"].dtype == "category"
    dated = claims["date"].notna()
    assert (claims["effective_date"][dated] == claims["date"][dated]).all()
    assert (claims["effective_date"][~dated] == claims["known_date"][~dated]).all()  # undated: when it became known


def test_no_claim_table_gives_an_empty_table_with_the_declared_columns():
    tables = load_tables(SEED_DIR, validate=False)
    empty = long_claims(tables.__class__(dict(tables), ()))
    assert list(empty.columns) == CLAIM_COLUMNS and empty.empty
