"""Reconcile the claims as of a date: one pure function, one immutable, numeric result.

Every claim is bitemporal: it describes a date (its own date, or its source's publication
date when it states none) and it became known on its source's publication date. The rules:

* Only sources published on or before the as-of date count (`asof.tables_as_of`).
* A tranche is one fact (claims sharing a `fact_id` with framing `tranche`); it is counted
  once, however many claims repeat it (`tranches`). An investor's running total in a company is the sum
  of its distinct tranches, or a reported running total plus the tranches dated after it,
  whichever is larger: a step series over time (`series`).
* A claim of `unknown` framing is read by arithmetic against the tranches *known at the
  claim's own date* (published no later than its source, dated no later than the claim),
  never against later news (`reading`).
* A funding total is carried forward: at any date it is at least the last reported total
  plus the tranches announced after it, and never less than what the named investors put in.
  A lower bound stays a lower bound (`series`).

Nothing here formats text: the result (`result.Reconciliation`) holds ids, amounts in US dollars, dates and codes.
"""

import pandas as pd

from ..data.registry import Tables
from .asof import tables_as_of
from .claims import investment_claims, long_claims, statements, valuations
from .coverage import fact_coverage
from .disagreements import find_dated_once, find_disagreements
from .positions import FundingPosition, ValuationComparison
from .reading import interpret
from .result import Reconciliation
from .series import funding_series, investor_series
from .tranches import distinct_tranches

__all__ = ["FundingPosition", "Reconciliation", "ValuationComparison", "reconcile"]

# Speed: each step works on numpy arrays, row positions and integer codes, and builds its frame once.
# On frames of many text columns every pandas filter, sort, merge or groupby costs about a millisecond
# however few the rows, and the as-of views run this many times per build; numpy stays vectorised at scale.


def reconcile(tables: Tables, as_of: pd.Timestamp) -> Reconciliation:
    """Reconcile every claim published on or before `as_of`: the one computation a build makes."""
    known = tables_as_of(tables, pd.Timestamp(as_of))
    claims = long_claims(known)
    investments = investment_claims(known, claims)
    tranches = distinct_tranches(investments)
    interpretations = interpret(investments, tranches)
    investor_totals = investor_series(tranches, interpretations)
    disagreements = find_disagreements(claims, interpretations)
    return Reconciliation(
        as_of=pd.Timestamp(as_of),
        sources=known["sources"],
        claims=claims,
        tranches=tranches,
        interpretations=interpretations,
        investor_totals=investor_totals,
        funding=funding_series(claims, tranches, investor_totals),
        valuations=valuations(claims, known),
        statements=statements(known, claims),
        events=known["events"],
        event_parties=known["event_parties"],
        companies=known["companies"],
        disagreements=disagreements,
        dated_once=find_dated_once(claims),
        coverage=fact_coverage(claims, set(disagreements["fact_id"])),
    )
