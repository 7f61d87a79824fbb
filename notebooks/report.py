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

# %% tags=["parameters", "remove-cell"]
company: str = "Anthropic"  # subject company, by name or id: any company the sources mention
as_of: str = ""  # as-of date YYYY-MM-DD; empty means the latest source date
unit: str = "billions"  # display unit for amounts: billions or millions
title: str = ""  # report title; empty: made from the subject and its role
page_size: str = "A4"  # PDF page size: A4 or Letter
data_dir: str = ""  # data folder; empty means the project's data/
previous: str = ""  # figures.json of the previous report, for "Changes since"; the build sets it
version: str = ""  # short input fingerprint, for the dateline and the citation; the build sets it
view: str = ""  # subject (empty: the same); the race overview has its own notebook, race.ipynb

# %% tags=["remove-cell"]
from aiinvest.report import prepare

report = prepare(
    company=company,
    as_of=as_of,
    unit=unit,
    title=title,
    page_size=page_size,
    data_dir=data_dir,
    previous=previous,
    version=version,
    view=view,
)

# %% tags=["remove-input"]
report.header()

# %% tags=["remove-input"]
report.changes()

# %% tags=["remove-input"]
report.figures()

# %% [markdown]
# ## Where the sources disagree
#
# The sources disagree where they give different amounts or dates for the same fact, or where a wording is
# contradicted by the arithmetic. Each claim is compared with what was known at its own date; each entry says
# which reading the report uses, and why.
#
# The evidence for each is in [the appendix](#appendix).

# %% tags=["remove-input"]
report.discrepancies()

# %% [markdown]
# ## What the sources cannot tell
#
# What a reader might assume but the sources do not establish.

# %% tags=["remove-input"]
report.cannot_tell()

# %% tags=["remove-input"]
report.appendix()

# %% tags=["remove-input"]
report.how_to_cite()
