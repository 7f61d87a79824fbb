"""What the result's queries answer: a company's funding at a date, and funding against a valuation."""

from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from .arrays import Column


class InvestorColumns(NamedTuple):
    """FundingPosition.by_investor's columns: each named investor's running total, largest first (then by id)."""

    investor_id: Column
    total_usd: Column
    qualifier: Column
    basis: Column  # reported (a running total carried forward) or tranches (their sum)
    source_ids: Column  # tuple: the sources of the tranches and running totals behind the total


@dataclass(frozen=True, kw_only=True)
class FundingPosition:
    """A company's funding at one date: named investors against the carried-forward reported total."""

    company_id: str
    date: pd.Timestamp
    by_investor: pd.DataFrame  # InvestorColumns
    named_usd: float
    total_usd: float | None  # None when no source reports a total
    total_qualifier: str | None
    reported_usd: float | None  # the last reported total the figure is carried from
    reported_claim_id: str | None
    reported_date: pd.Timestamp | None
    added_usd: float  # tranches dated after the reported total, added to it
    unattributed_usd: float | None
    source_ids: tuple[str, ...]  # every source behind the position: named investors and the total
    total_source_ids: tuple[str, ...] = ()  # the reported total's source and those of the tranches added to it


@dataclass(frozen=True, kw_only=True)
class ValuationComparison:
    """Funding raised at a valuation's date, set against that valuation."""

    company_id: str
    valuation_usd: float
    valuation_qualifier: str
    valuation_date: pd.Timestamp
    valuation_claim_id: str
    valuation_source_id: str
    raised: FundingPosition

    @property
    def raised_usd(self) -> float:
        """Funding raised as of the valuation's date."""
        return self.raised.total_usd if self.raised.total_usd is not None else self.raised.named_usd

    @property
    def raised_qualifier(self) -> str:
        """exact, or at_least when the funding figure is a lower bound."""
        qualifier = self.raised.total_qualifier
        return qualifier if self.raised.total_usd is not None and qualifier is not None else "at_least"

    @property
    def ratio(self) -> float:
        """Raised / valuation; a lower bound when raised_qualifier is at_least."""
        return self.raised_usd / self.valuation_usd
