"""`analysis.disagreements`: every record, whichever rule finds it, has the declared columns."""

import pandas as pd
from fixtures import SEED_DIR

from aiinvest.analysis import codes
from aiinvest.analysis.disagreements import DISAGREEMENT_COLUMNS, DisagreementColumns
from aiinvest.analysis.reconcile import reconcile
from aiinvest.data.load import load_tables


def test_claim_and_fact_records_share_the_declared_columns():
    found = reconcile(load_tables(SEED_DIR, validate=False), pd.Timestamp("2024-03-27")).disagreements
    assert list(found.columns) == DISAGREEMENT_COLUMNS == list(DisagreementColumns._fields)
    assert set(found["code"]) == {codes.WORDING_SAYS_TRANCHE, codes.DATES_DIFFER}  # a claim's, and a fact's
    wording = found[found["code"] == codes.WORDING_SAYS_TRANCHE].iloc[0]
    assert (wording["table"], wording["claim_ids"]) == ("investments", ("inv-05",))
    assert set(wording["related_source_ids"]) <= set(wording["source_ids"])
    dates = found[found["code"] == codes.DATES_DIFFER]
    assert all(len(ids) == 2 for ids in dates["claim_ids"]) and dates["related_fact_id"].isna().all()


def test_no_disagreement_gives_an_empty_table_with_the_declared_columns():
    found = reconcile(load_tables(SEED_DIR, validate=False), pd.Timestamp("2024-01-01")).disagreements
    assert found.empty and list(found.columns) == DISAGREEMENT_COLUMNS
