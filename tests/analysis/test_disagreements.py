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


def test_a_date_one_source_omits_is_not_a_disagreement():
    rec = reconcile(load_tables(SEED_DIR, validate=False), pd.Timestamp("2024-03-27"))
    assert "aws-primary-cloud" not in set(rec.disagreements["fact_id"])  # art-000 dates it, art-001 does not
    once = rec.dated_once
    assert list(once.columns) == DISAGREEMENT_COLUMNS
    assert once[["code", "fact_id"]].values.tolist() == [[codes.DATED_BY_ONE_SOURCE, "aws-primary-cloud"]]
    assert once.iloc[0]["source_ids"] == ("art-000", "art-001")


def test_no_disagreement_gives_an_empty_table_with_the_declared_columns():
    found = reconcile(load_tables(SEED_DIR, validate=False), pd.Timestamp("2024-01-01")).disagreements
    assert found.empty and list(found.columns) == DISAGREEMENT_COLUMNS
    once = reconcile(load_tables(SEED_DIR, validate=False), pd.Timestamp("2024-01-01")).dated_once
    assert once.empty and list(once.columns) == DISAGREEMENT_COLUMNS


def test_dates_are_periods_at_their_precision(data_dir, edit_csv):
    """27 March 2024 lies within March 2024: no disagreement. The year 2023 does not contain March 2024: one."""
    claude = "ev-02,claude-3-release,art-001,2023-09-01,month"
    edit_csv("events", lambda t: t.replace(claude, "ev-02,claude-3-release,art-001,2024-03-27,day"))
    rec = reconcile(load_tables(data_dir), pd.Timestamp("2024-03-27"))
    assert "claude-3-release" not in set(rec.disagreements["fact_id"])
    assert "claude-3-release" not in set(rec.dated_once["fact_id"])  # both sources date it, and agree
    edit_csv(
        "events",
        lambda t: t.replace(
            "ev-02,claude-3-release,art-001,2024-03-27,day", "ev-02,claude-3-release,art-001,2023-01-01,year"
        ),
    )
    rec = reconcile(load_tables(data_dir), pd.Timestamp("2024-03-27"))
    assert "claude-3-release" in set(rec.disagreements.loc[rec.disagreements["code"] == codes.DATES_DIFFER, "fact_id"])
