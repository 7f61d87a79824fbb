"""Exploration helpers, and the exploration notebook executed headless (both on the seed data)."""

import shutil

import pytest
from fixtures import SEED_DIR

from aiinvest.analysis.reconcile import reconcile
from aiinvest.config import ENV_ROOT, NOTEBOOKS_DIR
from aiinvest.data.load import load_tables
from aiinvest.kernel import KERNEL_NAME, install_kernel
from aiinvest.report import explore


@pytest.fixture(scope="module")
def rec():
    tables = load_tables(SEED_DIR)
    return reconcile(tables, tables["sources"]["published_date"].max())


def test_claims_puts_every_claim_in_one_table(rec):
    frame = explore.claims(rec)
    tables = load_tables(SEED_DIR)
    assert len(frame) == sum(len(tables[t.name]) for t in tables.claims)
    assert frame["claim_id"].is_unique
    assert frame.set_index("claim_id").loc["tot-01", "qualifier"] == "at_least"


def test_filters(rec):
    frame = explore.claims(rec)
    amazon = explore.filter_claims(frame, company="anthropic", investor="amazon")
    assert list(amazon["claim_id"]) == ["inv-01", "inv-02", "inv-03", "inv-04", "inv-05"]
    dated = explore.filter_claims(frame, between=("2024-03-02", "2024-12-31"))
    assert set(dated["claim_id"]) == {"inv-04", "inv-05", "val-01", "ev-06", "st-02", "st-03"}
    assert set(explore.filter_claims(frame, between=("2024-03-02", None))["claim_id"]) == set(dated["claim_id"])
    assert set(explore.filter_claims(frame, between=(None, "2023-12-31"))["claim_id"]) == {"inv-01", "ev-02"}
    assert set(explore.filter_claims(frame, source="art-000")["source_id"]) == {"art-000"}


def test_formatted_writes_amounts_as_the_report_does_and_keeps_the_numbers(rec):
    shown = explore.formatted(rec.claims).set_index("claim_id")
    assert shown.loc["inv-01", "amount_usd"] == "$1.25B"
    assert shown.loc["tot-01", "amount_usd"] == "at least $10B"  # its qualifier, as in the report
    assert shown.loc["st-01", "amount_usd"] == ""  # a statement has no amount
    assert rec.claims["amount_usd"].dtype == "float64"  # the reconciliation's frame is unchanged
    totals = explore.formatted(rec.investor_totals, unit="millions")
    assert list(totals["total_usd"]) == ["$1,250M", "$4,000M", "$4,000M", "$2,000M"]
    assert list(totals["change_usd"]) == ["$1,250M", "$2,750M", "$0M", "$2,000M"]
    funding = explore.formatted(rec.funding).iloc[-1]  # reported_usd takes reported_qualifier; the rest are plain
    assert (funding["named_usd"], funding["reported_usd"]) == ("$6B", "at least $10B")
    html = explore.formatted(rec.claims).to_html()
    assert "$18.4B" in html and "e+09" not in html


def test_quote_for_a_figure_says_how_it_was_read(rec):
    text = explore.quote_for(rec, "val-01")
    assert text.startswith(
        'val-01 ($18.4B, 27 March 2024 (inferred)): "With a valuation now reported at $18.4 billion"'
    )
    assert "source art-001, articles/001_ae6a560785f46407.txt, published 27 March 2024" in text
    assert explore.quote_for(rec, "inv-05", unit="millions").endswith("read as: cumulative (equals_sum_of_tranches)")
    assert "$4,000M" in explore.quote_for(rec, "inv-05", unit="millions")


@pytest.mark.slow
def test_exploration_notebook_runs_headless(tmp_path, monkeypatch):
    import papermill  # here: 0.6 s to import, for the one slow test that runs the notebook

    install_kernel()
    # The notebook loads the project's data folder: its kernel gets a project root whose data/ is the seed data.
    shutil.copytree(SEED_DIR, tmp_path / "root" / "data")
    monkeypatch.setenv(ENV_ROOT, str(tmp_path / "root"))
    out = tmp_path / "explore.ipynb"
    nb = papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "explore.ipynb"),
        str(out),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(NOTEBOOKS_DIR),
    )
    plotly = [
        o for c in nb.cells for o in c.get("outputs", []) if "application/vnd.plotly.v1+json" in o.get("data", {})
    ]
    assert len(plotly) == 4  # one per report chart, drawn in a loop
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream")
    assert 'inv-05 ($4B, 27 March 2024 (inferred)): "Amazon\'s latest $4 billion infusion into Anthropic"' in printed
    assert "already loaded" not in printed  # the kernel loads autoreload; the notebook does not again
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]
    assert not errors, errors
    # Money is never typeset as mathematics in JupyterLab: every HTML output holding "$" opts out of MathJax.
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    money = [h for h in html if "$" in h]
    assert money and all("tex2jax_ignore" in h for h in money)
