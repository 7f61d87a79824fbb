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
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters", "remove-cell"]
company: str = "Anthropic"  # subject company, by name or id; it must have quantified data
as_of: str = ""  # as-of date YYYY-MM-DD; empty means the latest source date
unit: str = "billions"  # display unit for amounts: billions or millions
title: str = "The AI investment race"  # report title
page_size: str = "A4"  # PDF page size: A4 or Letter
data_dir: str = ""  # data folder; empty means the project's data/

# %% tags=["remove-cell"]
from aiinvest.report import prepare

report = prepare(
    company=company, as_of=as_of, unit=unit, title=title, page_size=page_size, data_dir=data_dir
)

# %% tags=["remove-input"]
report.header()

# %% [markdown]
# ## Investment by tranche
#
# An investor's total is the sum of its distinct tranches: a tranche that both articles
# mention is counted once.

# %% tags=["remove-input"]
report.chart("tranches")

# %% [markdown]
# ## Who funds the company
#
# Named investors against the total funding the sources report. Where the total is a
# lower bound ("exceeding"), the part no source attributes is a lower bound too, and is
# drawn hatched.

# %% tags=["remove-input"]
report.chart("funding")

# %% [markdown]
# ## Funding raised against the valuation

# %% tags=["remove-input"]
report.chart("valuation")

# %% [markdown]
# ## Timeline

# %% tags=["remove-input"]
report.chart("timeline")

# %% [markdown]
# ## Where the sources disagree
#
# Each disagreement is found by the reconciliation rules (see the method below), not
# typed by hand.

# %% tags=["remove-input"]
report.discrepancies()

# %% [markdown]
# ### Which source reports which fact

# %% tags=["remove-input"]
report.coverage()

# %% [markdown]
# ## The curated facts

# %% tags=["remove-input"]
report.facts()

# %% [markdown]
# ## Sources and method
#
# **Sources.** Two news articles, stored byte-for-byte; their SHA-256 is checked on every
# build. Neither names a publisher or an address.

# %% tags=["remove-input"]
report.sources()

# %% [markdown]
# **Method.** Every figure is a claim curated from one article, with a verbatim quote
# checked against the stored text. Claims about the same fact share a fact id, so
# agreement and disagreement between the articles can be shown. An investor's total is
# the sum of its distinct tranches, never the sum of every mention; a claim tied to no
# tranche is read by arithmetic (equal to the sum of the tranches: a cumulative total).
# A total described as "exceeding" a figure is a lower bound, and so is anything derived
# from it. Dates the text implies but does not state are marked "(inferred)". The data
# and the reconciliation rules are in the project repository (`data/README.md`).
