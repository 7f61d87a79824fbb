"""The report's charts, specified from the reconciliation (aggregated before plotting).

An investee subject gets the funding view (tranches of its lead investor, funding by investor,
funding against valuation, timeline); an investor subject gets the investments-made view
(its tranches adding up to its total, its total in each company, timeline); a company that does both gets
both views; one without any figure gets the timeline of its dated events (none when it has none). Each chart's title is
a sentence stating its finding with its key figure; its subtitle gives the unit and the date.
Every company keeps one colour in every chart of a report (`entity_colours`); a lower bound is grey and hatched
(white or black text keeps 4.5:1 on grey and its hatch, which no company colour does on its hatch).
"""

from dataclasses import replace

import pandas as pd

from ..formatting import MONTHS, UNITS, counted, format_date, plural
from ..rows import rows
from ..text import View, lead_investor, named_qualifier, ratio_text
from .chronology import MAX_MARKERS, timeline_chart, timeline_items
from .spec import INVESTOR_COLOURS, LOWER_BOUND_COLOUR, SKY_BLUE, Chart, RefLine, Trace

TOP_INVESTORS = 5  # the funding chart names this many investors and groups the rest

__all__ = ["MAX_MARKERS", "entity_colours", "report_charts", "timeline_chart", "timeline_items"]


def _axis(view: View) -> tuple[float, str]:
    return UNITS[view.unit][0], f"US$ {view.unit}"


def _subtitle(view: View, when: str | None = None) -> str:
    """'US$ billions · as of 27 March 2024': the unit and the date the chart's figures are measured on."""
    return f"US$ {view.unit} · as of {when or view.as_of}"


def _sources(view: View, source_ids) -> tuple[tuple[str, str], ...]:
    """The sources behind a chart, by id and reader's name, in publication order."""
    wanted = {str(s) for ids in source_ids for s in ids if s == s and s is not None}
    return tuple((sid, name) for sid, name in view.source_names.items() if sid in wanted)


def entity_colours(view: View) -> dict[str, str]:
    """One colour per company that puts in or receives money, the same in every chart and in every subject's report.

    Colours follow the order of the companies table (later companies are appended to it), not the subject.
    """
    rec = view.rec
    money = {view.subject_id, *rec.tranches["investor_id"], *rec.tranches["investee_id"]}
    money |= set(rec.interpretations["investor_id"]) | set(rec.interpretations["investee_id"])
    ordered = [c for c in rec.companies["company_id"] if c in money]
    return {company: INVESTOR_COLOURS[i % len(INVESTOR_COLOURS)] for i, company in enumerate(ordered)}


def report_charts(view: View) -> list[Chart]:
    """Every chart the report shows for the subject company, in order."""
    colours = entity_colours(view)
    charts = []
    if view.is_investee:
        charts += [tranche_chart(view, colours), funding_chart(view, colours), valuation_chart(view, colours)]
    if view.is_investor:  # a company that also invests gets both views, its funding first
        charts += [investments_made_chart(view, colours), portfolio_chart(view, colours)]
    charts.append(timeline_chart(view))  # a subject without figures: its dated events, if any
    return [chart for chart in charts if chart is not None]


def _when(row) -> str:
    return format_date(row.date, row.date_precision, row.date_inferred) if not pd.isna(row.date) else "undated"


def _short_when(row) -> str:
    """'Sep 2023', '27 Mar 2024', '2023' or 'undated': a tranche's date short enough to sit on its bar."""
    if pd.isna(row.date):
        return "undated"
    date = pd.Timestamp(row.date)
    month = MONTHS.split()[date.month - 1][:3]
    return {"day": f"{date.day} {month} {date.year}", "month": f"{month} {date.year}"}.get(
        row.date_precision, str(date.year)
    )


def _segments(view: View, parts: pd.DataFrame, colour_of, category: str) -> tuple[list[Trace], float]:
    """The tranches as segments of one bar, in date order, each starting where the previous ends."""
    divisor, _ = _axis(view)
    traces, start = [], 0.0
    for number, row in enumerate(rows(parts), start=1):
        traces.append(
            Trace(
                f"Tranche {number}, {_when(row)}",
                "bar",
                (row.amount_usd / divisor,),
                (category,),
                colour_of(row),
                labels=(f"{_short_when(row)}\n{view.usd(row.amount_usd)}",),
                hover=(
                    f"Tranche {number}: {view.usd(row.amount_usd)}, {_when(row)}\n"
                    f"{view.sources_in_words(row.source_ids)}\nclaims {', '.join(row.claim_ids)}",
                ),
                base=(start,),
                show_in_legend=False,
            )
        )
        start += row.amount_usd / divisor
    return traces, start


def reported_totals(view: View, investor_id: str, investee_id: str) -> pd.DataFrame:
    """The running totals the sources report for one investor in one company (claims read as cumulative)."""
    reads = view.rec.interpretations
    pair = (reads["investor_id"] == investor_id) & (reads["investee_id"] == investee_id)
    return reads[pair & (reads["describes"] == "cumulative")].sort_values(["known_date", "claim_id"], kind="stable")


def _total_line(view: View, parts: pd.DataFrame, reported: pd.DataFrame) -> tuple[RefLine, float, tuple]:
    """The total the tranches add up to: the latest reported running total (naming its source), or their sum."""
    divisor, _ = _axis(view)
    if reported.empty:
        amount = float(parts["amount_usd"].sum())
        return RefLine(amount / divisor, f"total: {view.usd(amount)}"), amount, ()
    latest = reported[reported["known_date"] == reported["known_date"].max()]
    amount = float(latest["amount_usd"].iloc[-1])
    same = latest[latest["amount_usd"] == amount]
    named = view.sources_in_words(same["source_id"])
    label = f"total {view.usd(amount, same['qualifier'].iloc[-1])}, as reported by\n{named}"
    return RefLine(amount / divisor, label), amount, (tuple(same["source_id"]),)


def tranche_chart(view: View, colours: dict[str, str]) -> Chart | None:
    """The subject's investor with the most tranches: its tranches stacked into the total a source reports."""
    lead = lead_investor(view)
    if lead is None:
        return None
    parts = view.rec.tranches_of(lead, view.subject_id)
    divisor, axis = _axis(view)
    name = view.name(lead)
    colour = colours.get(lead, INVESTOR_COLOURS[0])
    traces, end = _segments(view, parts, lambda _: colour, name)
    line, amount, reported_ids = _total_line(view, parts, reported_totals(view, lead, view.subject_id))
    summed = float(parts["amount_usd"].sum())
    n = counted(len(parts), "tranche")
    title = (
        f"{name}'s {view.usd(summed)} came in {n}"
        if abs(amount - summed) < 0.5
        else f"{name}'s {view.usd(amount)}: the sources itemise {view.usd(summed)} of it, in {n}"
    )
    listed = "; ".join(f"tranche {i}: {view.usd(r.amount_usd)}, {_when(r)}" for i, r in enumerate(rows(parts), 1))
    reporters = view.sources_in_words(reported_ids[0]) if reported_ids else ""
    return Chart(
        id="tranches",
        title=title,
        subtitle=_subtitle(view),
        caption=(
            f"Each distinct tranche of {name}'s investment in {view.subject} known on {view.as_of}, counted once "
            f"however many articles repeat it, in date order ({listed}). The dashed line marks "
            + (f"the running total of {view.usd(amount)} that {reporters} reports." if reported_ids else "their sum.")
        ),
        sources=_sources(view, [*parts["source_ids"], *reported_ids]),
        x_title=axis,
        y_title="",
        categories=(name,),
        horizontal=True,
        traces=tuple(traces),
        lines=(line,),
        value_max=max(end, amount / divisor) * 1.3,
    )


def investments_made_chart(view: View, colours: dict[str, str]) -> Chart | None:
    """An investor subject: its tranches (into any company) stacked into its total, each in its company's colour."""
    parts = view.rec.tranches_of(view.subject_id).sort_values(["effective_date", "fact_id"], kind="stable")
    if parts.empty:
        return None
    _, axis = _axis(view)
    traces, end = _segments(view, parts, lambda r: colours.get(r.investee_id, INVESTOR_COLOURS[0]), view.subject)
    traces = [
        replace(t, name=f"{t.name}, in {view.name(r.investee_id)}") for t, r in zip(traces, rows(parts), strict=True)
    ]
    total = float(parts["amount_usd"].sum())
    companies = parts["investee_id"].nunique()
    into = view.name(parts["investee_id"].iloc[0]) if companies == 1 else counted(companies, "company", "companies")
    return Chart(
        id="investments",
        title=f"{view.subject}'s {view.usd(total)} in {into} came in {counted(len(parts), 'tranche')}",
        subtitle=_subtitle(view),
        caption=(
            f"Each distinct tranche {view.subject} made, known on {view.as_of}, in date order and in the colour of "
            f"the company it went to; together they make {view.usd(total)}."
        ),
        sources=_sources(view, parts["source_ids"]),
        x_title=axis,
        y_title="",
        categories=(view.subject,),
        horizontal=True,
        traces=tuple(traces),
        lines=(RefLine(end, f"total: {view.usd(total)}"),),
        value_max=end * 1.3,
    )


def portfolio_chart(view: View, colours: dict[str, str]) -> Chart | None:
    """An investor subject: its running total in each company, as of the report date."""
    totals = view.rec.totals_at()
    own = totals[totals["investor_id"] == view.subject_id].sort_values("total_usd", ascending=False)
    if own.empty:
        return None
    divisor, axis = _axis(view)
    names = tuple(view.name(i) for i in own["investee_id"])
    traces = tuple(
        Trace(
            name,
            "bar",
            (row.total_usd / divisor,),
            (name,),
            LOWER_BOUND_COLOUR if row.qualifier == "at_least" else colours.get(row.investee_id, INVESTOR_COLOURS[0]),
            labels=(view.usd(row.total_usd, row.qualifier),),
            hatch=row.qualifier == "at_least",
            show_in_legend=False,
        )
        for name, row in zip(names, rows(own), strict=True)
    )
    sources = [view.rec.sources_behind(i, view.rec.as_of).get(view.subject_id, ()) for i in own["investee_id"]]
    first = own.iloc[0]
    title = (
        f"{view.subject} has put {view.usd(first['total_usd'], first['qualifier'])} into {names[0]}"
        if len(own) == 1
        else f"{view.subject} has put {view.usd(own['total_usd'].sum())} into "
        f"{counted(len(own), 'company', 'companies')}, most into {names[0]}"
    )
    return Chart(
        id="portfolio",
        title=title,
        subtitle=_subtitle(view),
        caption=(
            f"{view.subject}'s running total in each company as of {view.as_of}: the sum of its distinct "
            "tranches, or a reported running total where that is larger."
        ),
        sources=_sources(view, sources),
        x_title=axis,
        y_title="",
        categories=names,
        horizontal=True,
        traces=traces,
        value_max=float(own["total_usd"].max()) / divisor * 1.25,
    )


def _investor_segments(view: View, colours: dict[str, str], row: tuple[str]) -> tuple[list[Trace], float]:
    """The named investors as segments of the funding bar, the smaller ones grouped as 'others'."""
    divisor, _ = _axis(view)
    funding = view.funding
    traces, start = [], 0.0
    for inv in rows(funding.by_investor.head(TOP_INVESTORS)):
        name = view.name(inv.investor_id)
        value = view.usd(inv.total_usd, inv.qualifier)
        traces.append(
            Trace(
                name,
                "bar",
                (inv.total_usd / divisor,),
                row,
                LOWER_BOUND_COLOUR
                if inv.qualifier == "at_least"
                else colours.get(inv.investor_id, INVESTOR_COLOURS[0]),
                labels=(f"{name}\n{value}",),
                hover=(f"{name}: {value}",),
                base=(start,),
                hatch=inv.qualifier == "at_least",
            )
        )
        start += inv.total_usd / divisor
    rest = funding.by_investor.iloc[TOP_INVESTORS:]
    if len(rest):
        amount = view.usd(float(rest["total_usd"].sum()))
        traces.append(
            Trace(
                f"Other named investors ({len(rest)})",
                "bar",
                (float(rest["total_usd"].sum()) / divisor,),
                row,
                SKY_BLUE,
                labels=(f"{plural(len(rest), 'other')}\n{amount}",),
                hover=(f"{plural(len(rest), 'other named investor')}: {amount}",),
                base=(start,),
            )
        )
        start += float(rest["total_usd"].sum()) / divisor
    return traces, start


def _funding_title(view: View) -> str:
    funding = view.funding
    named = view.usd(funding.named_usd, named_qualifier(funding))
    if funding.total_usd is None:
        return f"Named investors have put {named} into {view.subject}"
    total = view.usd(funding.total_usd, funding.total_qualifier)
    if not len(funding.by_investor):
        return f"{view.subject}'s funding is {total}, and no source names an investor"
    if not funding.unattributed_usd:
        return f"Named investors account for all of {view.subject}'s {total}"
    return f"Named investors account for {named} of {view.subject}'s {total}"


def funding_chart(view: View, colours: dict[str, str]) -> Chart | None:
    """The subject's funding by named investor, with the unattributed rest as a lower bound."""
    funding = view.funding
    if funding.by_investor.empty and funding.total_usd is None:
        return None
    divisor, axis = _axis(view)
    row = ("Funding",)
    traces, start = _investor_segments(view, colours, row)
    lines: tuple[RefLine, ...] = ()
    named = view.usd(funding.named_usd, named_qualifier(funding))
    caption = (
        f"Each named investor's total as of {view.as_of}, {named} in all."
        if len(funding.by_investor)
        else f"As of {view.as_of}, the sources name no investor."
    )
    if funding.total_usd is not None and funding.unattributed_usd:
        bound = funding.total_qualifier == "at_least"
        unnamed = view.usd(funding.unattributed_usd, funding.total_qualifier)
        traces.append(
            Trace(
                "Not attributed by the sources" + (" (a lower bound)" if bound else ""),
                "bar",
                (funding.unattributed_usd / divisor,),
                row,
                LOWER_BOUND_COLOUR,
                labels=(f"not attributed\n{unnamed}",),
                hover=(f"Not attributed by the sources: {unnamed}",),
                base=(start,),
                hatch=bound,
            )
        )
        total = view.usd(funding.total_usd, funding.total_qualifier)
        lines = (RefLine(funding.total_usd / divisor, f"total: {total}"),)
        caption += (
            f" Total funding on that date is {total} (reported as of {view.claim_date(funding.reported_claim_id)}"
            + (f", plus {view.usd(funding.added_usd)} in later tranches" if funding.added_usd > 0 else "")
            + f"); the hatched part is what no source attributes ({unnamed})"
            + (", and the true total may be higher." if bound else ".")
        )
    return Chart(
        id="funding",
        title=_funding_title(view),
        subtitle=_subtitle(view),
        caption=caption,
        sources=_sources(view, [funding.source_ids]),
        x_title=axis,
        y_title="",
        traces=tuple(traces),
        horizontal=True,
        categories=row,
        lines=lines,
        value_max=max(start, (funding.total_usd or 0) / divisor) * 1.12,
    )


def valuation_chart(view: View, colours: dict[str, str]) -> Chart | None:
    """Funding raised at the latest valuation's date, against that valuation."""
    comparison = view.comparison
    if comparison is None:
        return None
    divisor, axis = _axis(view)
    bound = comparison.raised_qualifier == "at_least"
    raised = view.usd(comparison.raised_usd, comparison.raised_qualifier)
    valuation = view.usd(comparison.valuation_usd, comparison.valuation_qualifier)
    ratio = ratio_text(comparison)
    categories = ("Funding raised", "Valuation")
    when = view.claim_date(comparison.valuation_claim_id)
    colour = colours.get(view.subject_id, INVESTOR_COLOURS[2])
    return Chart(
        id="valuation",
        title=f"{view.subject} has raised {raised} against a "
        + (
            f"reported {valuation} valuation"
            if comparison.valuation_qualifier == "exact"
            else f"valuation reported at {valuation}"
        ),
        subtitle=_subtitle(view, when),
        caption=(
            f"As of {when}, funding raised ({raised})"
            + (f" is {ratio} of the valuation" if ratio else " sets no bound on its share of the valuation")
            + f", reported then as {valuation}; the sources do not state whether it is a valuation before or "
            "after the money raised (its basis), and the share is not an ownership stake."
            + (" Hatched: a lower bound." if bound else "")
        ),
        sources=_sources(view, [(comparison.valuation_source_id,), comparison.raised.source_ids]),
        x_title=axis,
        y_title="",
        categories=categories,
        horizontal=True,
        traces=(
            Trace(
                "Funding raised" + (" (lower bound)" if bound else ""),
                "bar",
                (comparison.raised_usd / divisor,),
                (categories[0],),
                LOWER_BOUND_COLOUR if bound else colour,
                labels=(raised,),
                hover=(f"Funding raised: {raised}",),
                hatch=bound,
            ),
            Trace(
                "Valuation (reported)",
                "bar",
                (comparison.valuation_usd / divisor,),
                (categories[1],),
                colour,
                labels=(valuation,),
                hover=(f"Valuation: {valuation}",),
            ),
        ),
        value_max=max(comparison.valuation_usd, comparison.raised_usd) / divisor * 1.2,
    )
