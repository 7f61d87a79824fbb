"""The report's charts, specified from the reconciliation (aggregated before plotting).

An investee subject gets the funding view (tranches of its lead investor, funding by investor,
funding against valuation, timeline); an investor subject gets the investments-made view
(its tranches with its running total, its total in each company, timeline).
"""

import pandas as pd

from ..formatting import UNITS, format_date, format_ids, plural
from ..rows import rows
from ..text import View, lead_investor, ratio_text
from .spec import INVESTOR_COLOURS, LOWER_BOUND_COLOUR, SKY_BLUE, Chart, RefLine, Trace
from .timeline import Timeline, timeline_chart_spec

TIMELINE_LANES = {
    "investment": "Investment",
    "funding": "Funding and valuation",
    "product_launch": "Product",
    "cloud_partnership": "Partnership",
    "consulting_partnership": "Partnership",
    "rumoured_collaboration": "Rumour",
    "backing": "Other",
    "founding": "Other",
    "statement": "Other",
}
LANE_ORDER = ("Investment", "Funding and valuation", "Product", "Partnership", "Rumour", "Other")
TOP_INVESTORS = 5  # the funding chart names this many investors and groups the rest
MAX_MARKERS = 30  # above this, the timeline draws one marker per lane and quarter (and stays within a page)
MAX_LISTED = 5  # undated items named in the timeline caption


def _sources_note(source_ids) -> str:
    return f"Sources: {format_ids(s for ids in source_ids for s in ids)} (listed under Sources and method)."


def _axis(view: View) -> tuple[float, str]:
    return UNITS[view.unit][0], f"US$ {view.unit}"


def report_charts(view: View) -> list[Chart]:
    """Every chart the report shows for the subject company, in order."""
    if view.is_investee:
        charts = [tranche_chart(view), funding_chart(view), valuation_chart(view), timeline_chart(view)]
    else:
        charts = [investments_made_chart(view), portfolio_chart(view), timeline_chart(view)]
    return [chart for chart in charts if chart is not None]


def _tranche_traces(view: View, parts: pd.DataFrame, labels: tuple[str, ...]) -> tuple[Trace, Trace]:
    divisor, _ = _axis(view)
    running = parts["amount_usd"].cumsum()
    return (
        Trace(
            "Tranche",
            "bar",
            labels,
            tuple(parts["amount_usd"] / divisor),
            INVESTOR_COLOURS[0],
            labels=tuple(view.usd(a) for a in parts["amount_usd"]),
            hover=tuple(f"claims {', '.join(c)}" for c in parts["claim_ids"]),
        ),
        Trace(
            "Running total",
            "line",
            labels,
            tuple(running / divisor),
            INVESTOR_COLOURS[1],
            labels=("", *(f"total {view.usd(a)}" for a in running.iloc[1:])),
        ),
    )


def _tranche_label(number: int, row) -> str:
    when = format_date(row.date, row.date_precision, row.date_inferred) if not pd.isna(row.date) else "undated"
    return f"Tranche {number}\n{when}"


def tranche_chart(view: View) -> Chart | None:
    """The subject's investor with the most tranches: each tranche and the running total."""
    lead = lead_investor(view)
    if lead is None:
        return None
    parts = view.rec.tranches_of(lead, view.subject_id)
    _, axis = _axis(view)
    labels = tuple(_tranche_label(i + 1, r) for i, r in enumerate(rows(parts)))
    name = view.name(lead)
    return Chart(
        id="tranches",
        title=f"{name}'s investment in {view.subject}, by tranche",
        caption=(
            f"Bars: each distinct tranche known on {view.as_of}; line: the running sum of {name}'s tranches "
            f"({view.usd(parts['amount_usd'].sum())}). Each tranche is counted once however many articles "
            "repeat it. " + _sources_note(parts["source_ids"])
        ),
        x_title="",
        y_title=axis,
        categories=labels,
        traces=_tranche_traces(view, parts, labels),
    )


def investments_made_chart(view: View) -> Chart | None:
    """An investor subject: each of its tranches (into any company) and its running total."""
    parts = view.rec.tranches_of(view.subject_id).sort_values(["effective_date", "fact_id"], kind="stable")
    if parts.empty:
        return None
    _, axis = _axis(view)
    labels = tuple(
        f"{view.name(r.investee_id)}\n{_tranche_label(i + 1, r).split(chr(10))[1]}" for i, r in enumerate(rows(parts))
    )
    return Chart(
        id="investments",
        title=f"{view.subject}'s investments, by tranche",
        caption=(
            f"Bars: each distinct tranche {view.subject} made, known on {view.as_of}; line: its running total "
            f"across companies ({view.usd(parts['amount_usd'].sum())}). " + _sources_note(parts["source_ids"])
        ),
        x_title="",
        y_title=axis,
        categories=labels,
        traces=_tranche_traces(view, parts.reset_index(drop=True), labels),
    )


def portfolio_chart(view: View) -> Chart | None:
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
            INVESTOR_COLOURS[i % len(INVESTOR_COLOURS)],
            labels=(view.usd(row.total_usd, row.qualifier),),
            show_in_legend=False,
        )
        for i, (name, row) in enumerate(zip(names, rows(own), strict=True))
    )
    sources = [view.rec.sources_behind(i, view.rec.as_of).get(view.subject_id, ()) for i in own["investee_id"]]
    return Chart(
        id="portfolio",
        title=f"{view.subject}'s investment in each company",
        caption=(
            f"{view.subject}'s running total in each company as of {view.as_of}: the sum of its distinct "
            "tranches, or a reported running total where that is larger. " + _sources_note(sources)
        ),
        x_title=axis,
        y_title="",
        categories=names,
        horizontal=True,
        traces=traces,
        value_max=float(own["total_usd"].max()) / divisor * 1.25,
    )


def funding_chart(view: View) -> Chart | None:
    """The subject's funding by named investor, with the unattributed rest as a lower bound."""
    funding = view.funding
    if funding.by_investor.empty and funding.total_usd is None:
        return None
    divisor, axis = _axis(view)
    row = ("Funding",)
    traces, start = [], 0.0
    for i, inv in enumerate(rows(funding.by_investor.head(TOP_INVESTORS))):
        name = view.name(inv.investor_id)
        traces.append(
            Trace(
                name,
                "bar",
                (inv.total_usd / divisor,),
                row,
                INVESTOR_COLOURS[i % len(INVESTOR_COLOURS)],
                labels=(f"{name} {view.usd(inv.total_usd, inv.qualifier)}",),
                base=(start,),
            )
        )
        start += inv.total_usd / divisor
    rest = funding.by_investor.iloc[TOP_INVESTORS:]
    if len(rest):
        amount = float(rest["total_usd"].sum())
        traces.append(
            Trace(
                f"Other named investors ({len(rest)})",
                "bar",
                (amount / divisor,),
                row,
                SKY_BLUE,
                labels=(f"{plural(len(rest), 'other')} {view.usd(amount)}",),
                base=(start,),
            )
        )
        start += amount / divisor
    lines: tuple[RefLine, ...] = ()
    caption = (
        f"As of {view.as_of}, named investors total {view.usd(funding.named_usd)}."
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
                labels=(f"unnamed: {unnamed}",),
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
        title=f"Who funds {view.subject}",
        caption=f"{caption} {_sources_note([funding.source_ids])}",
        x_title=axis,
        y_title="",
        traces=tuple(traces),
        horizontal=True,
        categories=row,
        lines=lines,
        value_max=max(start, (funding.total_usd or 0) / divisor) * 1.25,
    )


def valuation_chart(view: View) -> Chart | None:
    """Funding raised at the latest valuation's date, against that valuation."""
    comparison = view.comparison
    if comparison is None:
        return None
    divisor, axis = _axis(view)
    bound = comparison.raised_qualifier == "at_least"
    raised = view.usd(comparison.raised_usd, comparison.raised_qualifier)
    valuation = view.usd(comparison.valuation_usd, comparison.valuation_qualifier)
    ratio = ratio_text(comparison)
    rows = ("Funding raised", "Valuation")
    when = view.claim_date(comparison.valuation_claim_id)
    return Chart(
        id="valuation",
        title=f"{view.subject}: funding raised against its valuation",
        caption=(
            f"As of {when}, funding raised ({raised})"
            + (f" is {ratio} of the valuation" if ratio else " sets no bound on its share of the valuation")
            + f", reported then as {valuation}."
            + (" Hatched: a lower bound." if bound else "")
            + " "
            + _sources_note([(comparison.valuation_source_id,), comparison.raised.source_ids])
        ),
        x_title=axis,
        y_title="",
        categories=rows,
        horizontal=True,
        traces=(
            Trace(
                "Funding raised" + (" (lower bound)" if bound else ""),
                "bar",
                (comparison.raised_usd / divisor,),
                (rows[0],),
                LOWER_BOUND_COLOUR if bound else INVESTOR_COLOURS[2],
                labels=(raised,),
                hatch=bound,
            ),
            Trace(
                "Valuation (reported)",
                "bar",
                (comparison.valuation_usd / divisor,),
                (rows[1],),
                INVESTOR_COLOURS[1],
                labels=(valuation,),
            ),
        ),
        value_max=max(comparison.valuation_usd, comparison.raised_usd) / divisor * 1.2,
    )


ITEM_COLUMNS = ["kind", "date", "precision", "inferred", "label", "status", "source_ids"]


def timeline_items(view: View) -> pd.DataFrame:
    """Dated and undated items for the timeline: tranches, funding figures, valuations and events."""
    rec, subject = view.rec, view.subject_id
    parts = rec.tranches
    parts = parts[(parts["investee_id"] == subject) | (parts["investor_id"] == subject)]
    other = parts["investor_id"].where(parts["investee_id"] == subject, parts["investee_id"])
    frames = [
        pd.DataFrame(
            {
                "kind": "investment",
                "date": parts["date"],
                "precision": parts["date_precision"],
                "inferred": parts["date_inferred"],
                "label": [f"{view.name(o)} {view.usd(a)}" for o, a in zip(other, parts["amount_usd"], strict=True)],
                "status": "confirmed",
                "source_ids": parts["source_ids"],
            }
        )
    ]
    claims = rec.claims
    figures = claims[claims["kind"].isin(["valuation", "funding_total"]) & (claims["company_id"] == subject)]
    frames.append(
        pd.DataFrame(
            {
                "kind": "funding",
                "date": figures["date"],
                "precision": figures["date_precision"],
                "inferred": figures["date_inferred"],
                "label": [
                    f"{'Valuation' if k == 'valuation' else 'Total funding'} {view.usd(a, q)}"
                    for k, a, q in zip(figures["kind"], figures["amount_usd"], figures["qualifier"], strict=True)
                ],
                "status": "confirmed",
                "source_ids": [(s,) for s in figures["source_id"]],
            }
        )
    )
    events = claims[claims["kind"] == "event"]
    involved = _events_of(view, subject)
    events = view.claims.loc[events["claim_id"][events["claim_id"].isin(involved)]]
    details = view.rec.events.set_index("event_id").reindex(events.index)
    frames.append(
        pd.DataFrame(
            {
                "kind": details["kind"].to_numpy(),
                "date": events["date"].to_numpy(),
                "precision": events["date_precision"].to_numpy(),
                "inferred": events["date_inferred"].to_numpy(),
                "label": details["label"].to_numpy(),
                "status": details["status"].to_numpy(),
                "source_ids": [(s,) for s in events["source_id"]],
            }
        )
    )
    frame = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    if frame is None:
        return pd.DataFrame(columns=[*ITEM_COLUMNS, "lane"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["lane"] = frame["kind"].map(TIMELINE_LANES).fillna("Other")
    return frame.sort_values(["date", "lane"], na_position="last").reset_index(drop=True)


def _events_of(view: View, company_id: str) -> set[str]:
    parties = view.rec.event_parties
    return set(parties[parties["company_id"] == company_id]["event_id"])


def timeline_chart(view: View) -> Chart | None:
    """Investments, funding figures, launches, partnerships and rumours, over time."""
    items = timeline_items(view)
    dated = items.dropna(subset=["date"])
    if dated.empty:
        return None
    aggregated = len(dated) > MAX_MARKERS
    if aggregated:
        dated = _by_quarter(dated)
    lanes = tuple(lane for lane in LANE_ORDER if lane in set(dated["lane"]))
    undated = items[items["date"].isna()]
    caption = (
        f"{plural(len(items), 'item')}, too many to draw one by one: each marker stands for a lane's items in one "
        "quarter (their count shows on hover in the HTML report). "
        if aggregated
        else ""
    ) + (
        ("" if aggregated else "Numbers on the chart refer to the key below it. ")
        + "Filled markers: dates the sources state; hollow "
        "markers: dates inferred from the text (month precision is drawn at the start of the month); diamonds: "
        "rumours. Where two sources date the same event differently, both are shown."
    )
    if len(undated):
        listed = "; ".join(undated["label"].head(MAX_LISTED))
        more = f" and {len(undated) - MAX_LISTED} more" if len(undated) > MAX_LISTED else ""
        caption += f" Not shown, as no source dates them: {listed}{more}."
    detail = [
        f"{r.label}, {r.date.year} Q{r.date.quarter}"
        if aggregated
        else f"{view.sources_in_words(r.source_ids)}; {format_date(r.date, r.precision, r.inferred)}"
        for r in rows(dated)
    ]
    return timeline_chart_spec(
        dated.assign(detail=detail, inferred=dated["inferred"].astype(bool))[
            ["date", "lane", "label", "status", "inferred", "detail"]
        ],
        Timeline(
            title=f"{view.subject}: timeline of reported events",
            caption=f"{caption} {_sources_note(items['source_ids'])}",
            lanes=lanes,
            colours={"confirmed": INVESTOR_COLOURS[4], "rumoured": INVESTOR_COLOURS[5]},
            numbered=not aggregated,  # a marker per lane and quarter: its count is on hover, a key would list counts
        ),
    )


def _by_quarter(items: pd.DataFrame) -> pd.DataFrame:
    """One row per lane, status and quarter: the count as label, hollow only if every date is inferred."""
    items = items.assign(quarter=items["date"].dt.to_period("Q").dt.start_time)
    grouped = items.groupby(["lane", "status", "quarter"], sort=True).agg(
        count=("label", "size"), inferred=("inferred", "all")
    )
    grouped = grouped.reset_index()
    return pd.DataFrame(
        {
            "kind": grouped["lane"],
            "date": grouped["quarter"],
            "precision": "quarter",
            "inferred": grouped["inferred"],
            "label": [plural(int(n), "item") for n in grouped["count"]],
            "status": grouped["status"],
            "source_ids": [()] * len(grouped),
            "lane": grouped["lane"],
        }
    )
