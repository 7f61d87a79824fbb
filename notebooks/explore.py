# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (aiinvest)
#     language: python
#     name: aiinvest
# ---

# %% [markdown]
# # Exploring the AI investment data
#
# This notebook is for finding your way around the curated data: what tables there
# are, how to filter them, where every figure comes from, and how to draw the report's
# charts yourself. Run it with the project's kernel, **Python (aiinvest)** (`make lab`
# starts JupyterLab with it); the package `aiinvest` is imported from `src/`, and edits
# to it are picked up without restarting the kernel (the kernel turns autoreload on
# itself: no `%load_ext autoreload` needed).
#
# Amounts are US dollars. A figure described as "exceeding" or "at least" is a lower
# bound: its `amount_qualifier` is `at_least`, never a point value.
#
# The tables hold amounts as numbers (`1250000000.0`), to sum, compare and plot.
# To read them, `explore.formatted(frame)` returns a copy with every `*_usd` column
# written as the report writes it (`$1.25B`, `at least $10B`; `unit="millions"` for
# `$1,250M`); the frame itself keeps its numbers.

# %%
import pandas as pd

from aiinvest.analysis.reconcile import reconcile
from aiinvest.data.load import load_tables
from aiinvest.report import explore
from aiinvest.report.charts.figures import report_charts
from aiinvest.report.charts.plotly_render import to_plotly
from aiinvest.report.params import resolve
from aiinvest.report.text import View

pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## 1. Load the curated tables
#
# `load_tables()` validates the data package (schemas, keys, hashes, verbatim quotes)
# and returns one typed DataFrame per table. `data/README.md` documents every column.

# %%
tables = load_tables()
{name: len(frame) for name, frame in tables.items()}

# %%
investments = tables["investments"]
investments[["amount_usd", "amount_qualifier"]].dtypes  # numbers, for analysis

# %%
columns = ["investment_id", "source_id", "investor_id", "investee_id", "amount_usd", "framing", "wording"]
explore.formatted(investments)[columns]  # the same rows, amounts as the report writes them

# %% [markdown]
# ## 2. Reconcile as of a date
#
# `reconcile(tables, as_of)` is the one computation a report makes: it keeps only the
# sources published on or before `as_of`, and reads every claim against what was known
# at its own date. Change `as_of` to see the story as it stood on another day.

# %%
params = resolve({"company": "Anthropic", "unit": "billions"}, tables)
rec = reconcile(tables, params.as_of)
rec.as_of

# %% [markdown]
# ## 3. Every claim in one table, and filters
#
# `explore.claims()` puts every claim (investments, valuations, funding totals, events,
# statements) in one long table; `explore.filter_claims()` narrows it by company,
# investor, source or date.

# %%
all_claims = explore.claims(rec)
explore.formatted(all_claims).head()

# %%
# Everything Amazon put into Anthropic, according to the sources known at the date
amazon = explore.filter_claims(all_claims, company="anthropic", investor="amazon")
print(f"{len(amazon)} claims; the largest is ${amazon['amount_usd'].max():,.0f}")  # the numbers are still there
explore.formatted(amazon)

# %%
# Claims dated in 2024 (dates may be inferred: see date_inferred); either end may be None
explore.filter_claims(all_claims, between=("2024-01-01", "2024-12-31"))[["claim_id", "table", "date", "date_inferred"]]

# %%
# Only what the newest source says
newest = rec.sources["source_id"].iloc[-1]
explore.formatted(explore.filter_claims(all_claims, source=newest))[["claim_id", "table", "amount_usd", "quote"]]

# %% [markdown]
# ## 4. Where does a figure come from?
#
# Every claim carries the verbatim quote it was taken from; `explore.quote_for()` shows
# it with its article, publication date and how the reconciliation reads it.

# %%
for claim_id in rec.interpretations["claim_id"]:
    print(explore.quote_for(rec, claim_id))

# %% [markdown]
# ## 5. The reconciled figures
#
# Each tranche counted once; each claim read against the tranches known at its own
# date (`reason` says how); running totals and funding as step series over time; every
# disagreement as a record with a reason code.

# %%
explore.formatted(rec.tranches)[["investor_id", "fact_id", "amount_usd", "cumulative_usd", "date", "known_date"]]

# %%
explore.formatted(rec.interpretations)[["claim_id", "amount_usd", "framing", "wording", "describes", "reason"]]

# %%
explore.formatted(rec.investor_totals)

# %%
explore.formatted(rec.funding)

# %%
explore.formatted(rec.disagreements)

# %% [markdown]
# ## 6. Draw the report's charts interactively
#
# The report's charts are specified once (`aiinvest.report.charts`) and drawn by plotly
# here and in the HTML report, by matplotlib in the PDF. Change the parameters to see
# another subject (an investor such as Amazon gets the investments-made view), date or unit.

# %%
names = dict(zip(rec.companies["company_id"], rec.companies["name"], strict=True))
charts = report_charts(View(rec, params.company_id, params.unit, names))
[chart.id for chart in charts]

# %%
for chart in charts:
    to_plotly(chart).show()
