"""The reconciliation's result: its frames, read-only, and the queries on them."""

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np
import pandas as pd

from . import arrays
from .frozen import frames_read_as_copies
from .indexes import Rows, Totals, moment
from .positions import FundingPosition, InvestorColumns, ValuationComparison
from .reading import DESCRIBES_CUMULATIVE


@frames_read_as_copies
@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Reconciliation:
    """Everything the sources published by `as_of` say, reconciled. Read-only: reading a frame gives a copy."""

    FRAMES: ClassVar[tuple[str, ...]] = ()  # the frames' names, in this order (set by frames_read_as_copies)

    as_of: pd.Timestamp
    sources: pd.DataFrame  # the sources known at as_of
    claims: pd.DataFrame  # every claim, one row each, in the registry's common columns (claims.ClaimColumns)
    tranches: pd.DataFrame  # one row per distinct tranche
    interpretations: pd.DataFrame  # every investment claim read as known at its own date
    investor_totals: pd.DataFrame  # step series: each investor's running total in each company
    funding: pd.DataFrame  # step series: each company's funding, named and reported
    valuations: pd.DataFrame  # each valuation claim, dated
    statements: pd.DataFrame  # claims without a figure
    events: pd.DataFrame  # the events table's rows known at as_of (kind, label, status, description)
    event_parties: pd.DataFrame  # the companies taking part in those events
    companies: pd.DataFrame  # every company, with its name
    disagreements: pd.DataFrame  # structured, with a reason code (disagreements.DisagreementColumns)
    dated_once: pd.DataFrame  # events one source dates and another does not: not disagreements (same columns)
    coverage: pd.DataFrame  # each fact: its sources and whether they agree

    def tranches_of(self, investor_id: str | None = None, investee_id: str | None = None) -> pd.DataFrame:
        """The distinct tranches, optionally of one investor and/or into one company, in date order."""
        frame = self.tranches
        if investor_id is not None:
            frame = frame[frame["investor_id"] == investor_id]
        if investee_id is not None:
            frame = frame[frame["investee_id"] == investee_id]
        return frame.reset_index(drop=True)

    def totals_at(self, at: pd.Timestamp | None = None) -> pd.DataFrame:
        """Each investor's running total in each company on a date (default: as_of)."""
        totals = self._totals
        dated = np.flatnonzero(totals.dates <= moment(self.as_of if at is None else at))
        return arrays.take(totals.frame, dated[arrays.last_of_each(totals.pair[dated])])

    def sources_behind(self, investee_id: str, at: pd.Timestamp) -> dict[str, tuple[str, ...]]:
        """By investor: the sources of the tranches and running totals behind its total in a company at a date."""
        when = moment(at)
        found: dict[str, set[str]] = {}
        for investor, ids in self._tranches.items(investee_id, when, "investor_id", "source_ids"):
            found.setdefault(investor, set()).update(ids)
        for investor, source in self._cumulative_reads.items(investee_id, when, "investor_id", "source_id"):
            found.setdefault(investor, set()).add(source)
        return {investor: tuple(sorted(ids)) for investor, ids in found.items()}

    def funding_at(self, company_id: str, at: pd.Timestamp | None = None) -> FundingPosition:
        """The company's funding position on a date (default: as_of), everything measured at that date."""
        date = self.as_of if at is None else at  # kept as given
        when = moment(date)
        columns = self._by_investor(company_id, date, when)
        by_investor = pd.DataFrame(columns._asdict(), copy=False)
        usd = columns.total_usd
        named = float(np.where(np.isnan(usd), 0.0, usd).sum())  # as Series.sum adds (NaN skipped), in this order
        sources = tuple(sorted({s for ids in columns.source_ids for s in ids}))
        steps = self._funding(company_id, when)
        last = self._funding.row(steps[-1]) if len(steps) else None
        if last is None or pd.isna(last["reported_usd"]):
            return FundingPosition(
                company_id=company_id,
                date=date,
                by_investor=by_investor,
                named_usd=named,
                total_usd=None,
                total_qualifier=None,
                reported_usd=None,
                reported_claim_id=None,
                reported_date=None,
                added_usd=0.0,
                unattributed_usd=None,
                source_ids=sources,
            )
        carried = float(last["carried_usd"])
        total = max(carried, named)
        added = self._tranches(company_id, when)
        added = added[self._tranches.dates[added] > moment(last["reported_date"])]
        added_sources = (s for ids in self._tranches.column("source_ids", added) for s in ids)
        total_sources = {str(last["reported_source_id"]), *added_sources}
        return FundingPosition(
            company_id=company_id,
            date=date,
            by_investor=by_investor,
            named_usd=named,
            total_usd=total,
            total_qualifier=str(last["reported_qualifier"]) if carried >= named else "at_least",
            reported_usd=float(last["reported_usd"]),
            reported_claim_id=str(last["reported_claim_id"]),
            reported_date=last["reported_date"],
            added_usd=carried - float(last["reported_usd"]),
            unattributed_usd=max(carried - named, 0.0),
            source_ids=tuple(sorted({*sources, str(last["reported_source_id"])})),
            total_source_ids=tuple(sorted(total_sources)),
        )

    def _by_investor(self, company_id: str, at: pd.Timestamp, when: np.datetime64) -> InvestorColumns:
        """The named investors' totals in a company at a date, largest first (then by id)."""
        totals = self._totals
        rows = totals(company_id, when)
        rows = rows[arrays.last_of_each(totals.pair[rows])]
        rows = totals.listing(rows)
        listed = {name: arrays.kept(values.take(rows)) for name, values in totals.listed.items()}
        behind = self.sources_behind(company_id, at)
        investors = totals.column("investor_id", rows)
        return InvestorColumns(**listed, source_ids=[behind.get(i, ()) for i in investors])  # typed as a list

    def latest_valuation(self, company_id: str) -> pd.Series | None:
        """The newest valuation claim of a company (by date, then by when it became known)."""
        rows = self._valuations(company_id)
        return None if not len(rows) else self.valuations.iloc[rows[-1]]

    def valuation_comparison(self, company_id: str) -> ValuationComparison | None:
        """Funding raised as of the latest valuation's date, against that valuation."""
        rows = self._valuations(company_id)
        if not len(rows):
            return None
        latest = self._valuations.row(rows[-1])  # the values latest_valuation's row holds, without building it
        return ValuationComparison(
            company_id=company_id,
            valuation_usd=float(latest["valuation_usd"]),
            valuation_qualifier=str(latest["qualifier"]),
            valuation_date=latest["date"],
            valuation_claim_id=str(latest["claim_id"]),
            valuation_source_id=str(latest["source_id"]),
            raised=self.funding_at(company_id, latest["date"]),
        )

    def roles(self, company_id: str) -> set[str]:
        """'investee' (has investments received, a valuation or a funding total) and/or 'investor'."""
        return {role for role, companies in self._quantified.items() if company_id in companies}

    # The queries' indexes, each built on first use (the frames never change): see `indexes`.

    @cached_property
    def _totals(self) -> Totals:
        return Totals(self.investor_totals)

    @cached_property
    def _tranches(self) -> Rows:
        return Rows(self.tranches, "investee_id", "effective_date", ("investor_id", "source_ids"))

    @cached_property
    def _cumulative_reads(self) -> Rows:
        reads = self.interpretations
        cumulative = arrays.rows(reads["describes"], DESCRIBES_CUMULATIVE)
        return Rows(reads, "investee_id", "effective_date", ("investor_id", "source_id"), cumulative)

    @cached_property
    def _funding(self) -> Rows:
        last = ("carried_usd", "reported_usd", "reported_qualifier", "reported_claim_id", "reported_source_id")
        return Rows(self.funding, "company_id", "date", (*last, "reported_date"))

    @cached_property
    def _valuations(self) -> Rows:
        return Rows(
            self.valuations, "company_id", "date", ("valuation_usd", "qualifier", "date", "claim_id", "source_id")
        )

    @cached_property
    def _quantified(self) -> dict[str, set]:
        """By role, the companies that have a claim with an amount in that role."""
        claims = self.claims
        quantified = claims["amount_usd"].notna().to_numpy()
        roles = {"investee": "company_id", "investor": "counterparty_id"}
        return {role: set(claims[column][quantified].dropna()) for role, column in roles.items()}
