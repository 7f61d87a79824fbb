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
# to it are picked up without restarting the kernel (autoreload).
#
# Amounts are US dollars. A figure described as "exceeding" or "at least" is a lower
# bound: its `amount_qualifier` is `at_least`, never a point value.

# %%
# %load_ext autoreload
# %autoreload 2
import pandas as pd

from aiinvest import explore, reconcile
from aiinvest.charts.figures import report_charts
from aiinvest.charts.plotly_render import to_plotly
from aiinvest.load import load_tables
from aiinvest.params import resolve, tables_as_of

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
tables["investments"][["investment_id", "source_id", "investor_id", "investee_id", "amount_usd", "round", "framing"]]

# %% [markdown]
# ## 2. Every claim in one table, and filters
#
# `explore.claims()` puts investments, valuations, funding totals and events in one long
# table; `explore.filter_claims()` narrows it by company, investor, source or date.

# %%
all_claims = explore.claims(tables)
all_claims.head()

# %%
# Everything Amazon put into Anthropic, according to either article
explore.filter_claims(all_claims, company="anthropic", investor="amazon")

# %%
# Claims dated in 2024 (dates may be inferred: see date_inferred)
explore.filter_claims(all_claims, start="2024-01-01", end="2024-12-31")[["claim_id", "table", "date", "date_inferred"]]

# %%
# Only what the dated article (art-001) says
explore.filter_claims(all_claims, source="art-001")[["claim_id", "table", "amount_usd", "quote"]]

# %% [markdown]
# ## 3. Where does a figure come from?
#
# Every claim carries the verbatim quote it was taken from; `explore.quote_for()` shows
# it with its article and publication date.

# %%
print(explore.quote_for(tables, "inv-05"))
print(explore.quote_for(tables, "tot-01"))

# %% [markdown]
# ## 4. The reconciled figures
#
# The articles describe the same money differently. `aiinvest.reconcile` counts each
# tranche once, reads a claim tied to no tranche by arithmetic, and lists the
# disagreements with explanations.

# %%
reconcile.tranches(tables["investments"])[["investor_id", "round", "amount_usd", "cumulative_usd", "source_ids"]]

# %%
reconcile.interpret_claims(tables["investments"])[["investment_id", "amount_usd", "framing", "describes"]]

# %%
reconcile.discrepancies(tables)

# %% [markdown]
# ## 5. Draw the report's charts interactively
#
# The report's charts are specified once (`aiinvest.charts`) and drawn by plotly here
# and in the HTML report, by matplotlib in the PDF. Change the parameters to see another
# subject, date or unit.

# %%
params = resolve({"company": "Anthropic", "unit": "billions"}, tables)
charts = report_charts(tables_as_of(tables, params.as_of), params)
[chart.id for chart in charts]

# %%
to_plotly(charts[0])

# %%
to_plotly(charts[1])

# %%
to_plotly(charts[2])

# %%
to_plotly(charts[3])
