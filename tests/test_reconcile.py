"""The report's canonical figures, derived from the claims."""

import pandas as pd
import pytest

from aiinvest import reconcile
from aiinvest.formatting import format_usd
from aiinvest.load import load_tables


@pytest.fixture(scope="module")
def tables():
    return load_tables()


def test_amazon_total_is_the_sum_of_distinct_tranches(tables):
    inv = tables["investments"]
    totals = reconcile.investor_totals(inv).set_index("investor_id")
    amazon_claims = inv[inv["investor_id"] == "amazon"]["amount_usd"].sum()
    assert amazon_claims == 13.25e9  # naive sum of every claim that mentions Amazon
    assert totals.loc["amazon", "amount_usd"] == 4e9
    assert totals.loc["amazon", "method"] == "sum of 2 distinct tranches: $1.25B + $2.75B"
    assert totals.loc["google", "amount_usd"] == 2e9


def test_tranches_are_distinct_and_dated(tables):
    parts = reconcile.tranches(tables["investments"])
    assert list(parts["round"]) == ["tranche_1", "tranche_2"]
    assert list(parts["amount_usd"]) == [1.25e9, 2.75e9]
    assert list(parts["cumulative_usd"]) == [1.25e9, 4e9]
    assert parts.loc[0, "source_ids"] == "art-000, art-001"
    assert parts.loc[0, "announced_date"] == pd.Timestamp("2023-09-01")
    assert bool(parts.loc[0, "announced_date_inferred"])


def test_latest_infusion_of_4b_is_recognised_as_cumulative(tables):
    claims = reconcile.interpret_claims(tables["investments"]).set_index("investment_id")
    assert claims.loc["inv-05", "framing"] == "latest"
    assert claims.loc["inv-05", "describes"] == "cumulative"
    assert claims.loc["inv-04", "describes"] == "cumulative"
    assert claims.loc["inv-02", "describes"] == "tranche_2"


def test_a_claim_matching_no_tranche_is_unexplained(tables):
    inv = tables["investments"].copy()
    inv.loc[inv["investment_id"] == "inv-05", "amount_usd"] = 5e9
    claims = reconcile.interpret_claims(inv).set_index("investment_id")
    assert claims.loc["inv-05", "describes"] == "unexplained"
    table = reconcile.discrepancies({**tables, "investments": inv})
    assert "art-001 reports $5B, which matches no tranche and not their sum." in list(table["explanation"])


def test_funding_named_against_lower_bound(tables):
    funding = reconcile.funding_breakdown(tables, "anthropic")
    assert list(funding.by_investor["name"]) == ["Amazon", "Google"]
    assert funding.named_usd == 6e9
    assert (funding.total_usd, funding.total_qualifier) == (10e9, "at_least")
    assert (funding.unattributed_usd, funding.unattributed_qualifier) == (4e9, "at_least")


def test_raised_against_valuation(tables):
    comparison = reconcile.valuation_comparison(tables, "anthropic")
    assert comparison.valuation_usd == 18.4e9
    assert comparison.raised_usd == 10e9
    assert comparison.raised_qualifier == "at_least"
    assert comparison.ratio == pytest.approx(10 / 18.4)
    assert reconcile.valuation_comparison(tables, "google") is None


def test_discrepancies_explain_each_disagreement(tables):
    table = reconcile.discrepancies(tables).set_index("fact_id")
    assert set(table.index) == {"amazon-anthropic-4b", "claude-3-release", "aws-primary-cloud"}
    assert table.loc["amazon-anthropic-4b", "explanation"] == (
        "art-001 calls $4B the latest infusion, but $4B equals the sum of the distinct tranches "
        "($1.25B + $2.75B), so it is Amazon's cumulative total. art-000 reports the latest "
        "tranche itself as $2.75B."
    )
    assert (
        "art-000 dates it to March 2024; art-001 dates it to September 2023"
        in (table.loc["claude-3-release", "explanation"])
    )
    assert "art-001 gives no date" in table.loc["aws-primary-cloud", "explanation"]


def test_amount_disagreement_between_sources_is_reported(tables):
    inv = tables["investments"].copy()
    inv.loc[inv["investment_id"] == "inv-03", "amount_usd"] = 1.5e9
    table = reconcile.discrepancies({**tables, "investments": inv})
    row = table[table["fact_id"] == "amazon-anthropic-tranche-1"].iloc[0]
    assert row["explanation"] == "The sources give different amounts: art-000 says $1.25B; art-001 says $1.5B."


def test_fact_coverage_statuses(tables):
    cover = reconcile.fact_coverage(tables).set_index("fact_id")["status"]
    assert cover["amazon-anthropic-tranche-1"] == "agree"
    assert cover["amazon-anthropic-4b"] == "disagree"
    assert cover["anthropic-valuation"] == "single source"


def test_figures_for_prose_are_text_from_data(tables):
    funding = reconcile.funding_breakdown(tables, "anthropic")
    comparison = reconcile.valuation_comparison(tables, "anthropic")
    assert {
        "named_usd": format_usd(funding.named_usd),
        "total": format_usd(funding.total_usd, qualifier=funding.total_qualifier),
        "unattributed": format_usd(funding.unattributed_usd, qualifier=funding.unattributed_qualifier),
        "valuation": format_usd(comparison.valuation_usd),
        "ratio": comparison.ratio_text,
    } == {
        "named_usd": "$6B",
        "total": "at least $10B",
        "unattributed": "at least $4B",
        "valuation": "$18.4B",
        "ratio": "at least 54%",
    }


def test_lead_investor_tranches(tables):
    lead = reconcile.lead_investor_tranches(tables["investments"], "anthropic")
    assert list(lead["investor_id"]) == ["amazon", "amazon"]
    assert list(lead["round"]) == ["tranche_1", "tranche_2"]
    assert reconcile.lead_investor_tranches(tables["investments"], "google").empty


def test_joined_by_keeps_row_order_or_sorts_unique_values_per_group():
    frame = pd.DataFrame(
        {"a": ["x", "y", "x", "x", "y"], "b": ["1", "1", "1", "1", "2"], "v": ["c", "b", "a", "c", "d"]}
    )
    in_order = reconcile.joined_by(frame, ["a", "b"], "v", unique_sorted=False, separator=" + ")
    assert in_order.to_dict() == {("x", "1"): "c + a + c", ("y", "1"): "b", ("y", "2"): "d"}
    unique = reconcile.joined_by(frame, ["a"], "v", unique_sorted=True)
    assert unique.to_dict() == {"x": "a, c", "y": "b, d"}
    assert unique.index.name == "a"


def test_joined_by_an_empty_frame_is_empty():
    frame = pd.DataFrame({"a": pd.Series([], dtype="string"), "v": pd.Series([], dtype="string")})
    assert reconcile.joined_by(frame, ["a"], "v", unique_sorted=True).empty
    assert reconcile.joined_by(frame, ["a"], "v", unique_sorted=False).empty


def test_usd_texts_formats_each_amount():
    amounts = pd.Series([1.25e9, 2.75e9, 1.25e9, None])
    assert reconcile.usd_texts(amounts).tolist()[:3] == ["$1.25B", "$2.75B", "$1.25B"]
    assert pd.isna(reconcile.usd_texts(amounts).iloc[3])
    assert reconcile.usd_texts(pd.Series([], dtype=float)).dtype == object
