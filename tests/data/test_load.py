"""Loading returns typed DataFrames and refuses invalid data."""

import pandas as pd
import pytest
from fixtures import SEED_DIR

from aiinvest.data.load import load_tables
from aiinvest.data.registry import REQUIRED_RESOURCES
from aiinvest.data.validate import DataValidationError


def test_tables_are_typed_from_the_schema():
    tables = load_tables(SEED_DIR)
    inv = tables["investments"]
    assert set(tables) == set(REQUIRED_RESOURCES)  # the real data holds exactly the tables the report reads
    assert inv["amount_usd"].dtype == "Float64"
    assert pd.api.types.is_datetime64_any_dtype(inv["announced_date"])
    assert inv["announced_date_inferred"].dtype == "boolean"
    assert inv["investor_id"].dtype == "string"
    assert inv["announced_date"].isna().sum() == (inv["announced_date_precision"].isna()).sum()


def test_only_the_named_columns_are_read_and_they_keep_their_types():
    full = load_tables(SEED_DIR)
    tables = load_tables(SEED_DIR, columns={"investments": ["source_id", "announced_date"]})
    assert list(tables["investments"].columns) == ["source_id", "announced_date"]
    pd.testing.assert_frame_equal(tables["investments"], full["investments"][["source_id", "announced_date"]])
    pd.testing.assert_frame_equal(tables["valuations"], full["valuations"])


def test_missing_values_stay_missing():
    companies = load_tables(SEED_DIR)["companies"].set_index("company_id")
    assert companies.loc["anthropic", "headquarters"] == "San Francisco"
    assert pd.isna(companies.loc["amazon", "headquarters"])


def test_invalid_data_is_refused_on_load(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("18400000000", "-5"))
    with pytest.raises(DataValidationError, match=r"valuations.csv:2: column 'valuation_usd'"):
        load_tables(data_dir)


def test_validated_bytes_are_not_validated_again_but_any_edit_is(data_dir, edit_csv, monkeypatch, tmp_path):
    from aiinvest.data import validate

    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = validate.validate_package
    monkeypatch.setattr(validate, "validate_package", lambda d: calls.append(d) or real(d))
    load_tables(data_dir)
    load_tables(data_dir)
    assert len(calls) == 1
    edit_csv("valuations", lambda t: t.replace("18400000000", "-5"))
    with pytest.raises(DataValidationError):
        load_tables(data_dir)
    with pytest.raises(DataValidationError):  # a failure is never remembered as a pass
        load_tables(data_dir)
    assert len(calls) == 3


def test_a_build_gates_only_the_exact_bytes_it_validates(data_dir, edit_csv, monkeypatch, tmp_path):
    from aiinvest.data import validate

    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))
    edit_csv("valuations", lambda t: t.replace("18400000000", "0"))  # readable, and invalid (not above 0)
    monkeypatch.setenv(validate.GATED_BY_BUILD, validate.package_digest(data_dir))
    load_tables(data_dir)  # the build validating these bytes will refuse to publish; the kernel need not wait
    monkeypatch.setenv(validate.GATED_BY_BUILD, "0" * 64)
    with pytest.raises(DataValidationError):  # any other bytes are validated as always
        load_tables(data_dir)
