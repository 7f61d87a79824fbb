"""The report's charts, specified from the reconciled data (aggregated before plotting)."""

import pandas as pd

from .. import reconcile
from ..formatting import UNITS, format_date, format_usd
from ..params import ResolvedParams
from .spec import INVESTOR_COLOURS, LOWER_BOUND_COLOUR, SKY_BLUE, Chart, RefLine, Trace

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
    "investment_context": "Other",
}
LANE_ORDER = ("Investment", "Funding and valuation", "Product", "Partnership", "Rumour", "Other")
TOP_INVESTORS = 5  # the funding chart names this many investors and groups the rest
MAX_MARKERS = 30  # above this, the timeline draws one marker per lane and quarter
MAX_LISTED = 5  # undated items named in the timeline caption


def _sources_note(source_ids) -> str:
    ids = sorted({s.strip() for ids in source_ids for s in str(ids).split(",") if s.strip()})
    return "Sources: " + ", ".join(ids) + " (see the appendix)."


def _scale(params: ResolvedParams) -> tuple[float, str]:
    divisor, _ = UNITS[params.unit]
    return divisor, f"US$ {params.unit}"


def report_charts(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> list[Chart]:
    """Every chart the report shows for the subject company, in order."""
    charts = [
        tranche_chart(tables, params),
        funding_chart(tables, params),
        valuation_chart(tables, params),
        timeline_chart(tables, params),
    ]
    return [chart for chart in charts if chart is not None]


def tranche_chart(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> Chart | None:
    """The subject's investor with the most tranches: each tranche and the running total."""
    parts = reconcile.lead_investor_tranches(tables["investments"], params.company_id)
    if parts.empty:
        return None
    investor = parts["investor_id"].iloc[0]
    names = tables["companies"].set_index("company_id")["name"]
    divisor, axis = _scale(params)
    labels = tuple(
        f"Tranche {i + 1}\n{format_date(r.announced_date, r.announced_date_precision, r.announced_date_inferred)}"
        for i, r in enumerate(parts.itertuples())
    )
    amounts = tuple(parts["amount_usd"] / divisor)
    running = tuple(parts["cumulative_usd"] / divisor)
    name = names.get(investor, investor)
    return Chart(
        id="tranches",
        title=f"{name}'s investment in {params.company_name}, by tranche",
        caption=(
            f"Bars: each distinct tranche; line: {name}'s cumulative total "
            f"({format_usd(parts['cumulative_usd'].iloc[-1], params.unit)}). Each tranche is counted "
            "once however many articles repeat it. " + _sources_note(parts["source_ids"])
        ),
        x_title="",
        y_title=axis,
        categories=labels,
        traces=(
            Trace(
                "Tranche",
                "bar",
                labels,
                amounts,
                INVESTOR_COLOURS[0],
                labels=tuple(format_usd(a, params.unit) for a in parts["amount_usd"]),
                hover=tuple(f"claims {c}" for c in parts["claim_ids"]),
            ),
            Trace(
                "Cumulative",
                "line",
                labels,
                running,
                INVESTOR_COLOURS[1],
                labels=("", *(f"total {format_usd(a, params.unit)}" for a in parts["cumulative_usd"][1:])),
            ),
        ),
    )


def funding_chart(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> Chart | None:
    """The subject's funding by named investor, with the unattributed rest as a lower bound."""
    funding = reconcile.funding_breakdown(tables, params.company_id)
    if funding.by_investor.empty and funding.total_usd is None:
        return None
    divisor, axis = _scale(params)
    row = ("Funding",)
    traces, start = [], 0.0
    investors = funding.by_investor.head(TOP_INVESTORS)
    for i, inv in enumerate(investors.itertuples()):
        value = inv.amount_usd / divisor
        traces.append(
            Trace(
                inv.name,
                "bar",
                (value,),
                row,
                INVESTOR_COLOURS[i % len(INVESTOR_COLOURS)],
                labels=(f"{inv.name} {format_usd(inv.amount_usd, params.unit)}",),
                base=(start,),
                hover=(inv.method,),
            )
        )
        start += value
    rest = funding.by_investor.iloc[TOP_INVESTORS:]
    if len(rest):
        amount = float(rest["amount_usd"].sum())
        traces.append(
            Trace(
                f"Other named investors ({len(rest)})",
                "bar",
                (amount / divisor,),
                row,
                SKY_BLUE,
                labels=(f"{len(rest)} others {format_usd(amount, params.unit)}",),
                base=(start,),
            )
        )
        start += amount / divisor
    lines = ()
    sources = list(funding.by_investor["source_ids"])
    caption = f"Named investors total {format_usd(funding.named_usd, params.unit)}."
    if funding.total_usd is not None and funding.unattributed_usd:
        bound = funding.total_qualifier == "at_least"
        rest = format_usd(funding.unattributed_usd, params.unit, funding.unattributed_qualifier)
        traces.append(
            Trace(
                "Not attributed by the sources" + (" (a lower bound)" if bound else ""),
                "bar",
                (funding.unattributed_usd / divisor,),
                row,
                LOWER_BOUND_COLOUR,
                labels=(f"unnamed: {rest}",),
                base=(start,),
                hatch=bound,
            )
        )
        total = format_usd(funding.total_usd, params.unit, funding.total_qualifier)
        lines = (RefLine(funding.total_usd / divisor, f"reported total: {total}"),)
        sources.append(funding.total_source_id)
        caption += (
            f" The sources report total funding of {total}; the hatched part is what no source "
            f"attributes ({rest})" + (", and the true total may be higher." if bound else ".")
        )
    return Chart(
        id="funding",
        title=f"Who funds {params.company_name}",
        caption=f"{caption} {_sources_note(sources)}",
        x_title=axis,
        y_title="",
        traces=tuple(traces),
        horizontal=True,
        categories=row,
        lines=lines,
        value_max=max(start, (funding.total_usd or 0) / divisor) * 1.25,
    )


def valuation_chart(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> Chart | None:
    """Funding raised against the reported valuation."""
    comparison = reconcile.valuation_comparison(tables, params.company_id)
    if comparison is None:
        return None
    divisor, axis = _scale(params)
    bound = comparison.raised_qualifier == "at_least"
    raised = format_usd(comparison.raised_usd, params.unit, comparison.raised_qualifier)
    valuation = format_usd(comparison.valuation_usd, params.unit)
    ratio = comparison.ratio_text
    rows = ("Funding raised", "Valuation")
    return Chart(
        id="valuation",
        title=f"{params.company_name}: funding raised against its valuation",
        caption=(
            f"Funding raised ({raised}) is {ratio} of the valuation reported at {valuation} "
            f"as of {format_date(comparison.valuation_as_of, 'day')}."
            + (" Hatched: a lower bound." if bound else "")
            + " "
            + _sources_note([comparison.valuation_source_id, *tables["funding_totals"]["source_id"]])
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
        value_max=comparison.valuation_usd / divisor * 1.2,
    )


def timeline_items(tables: dict[str, pd.DataFrame], company_id: str) -> pd.DataFrame:
    """Dated and undated items for the timeline: tranches, funding figures and events."""
    names = tables["companies"].set_index("company_id")["name"]
    rows = []
    parts = reconcile.tranches(tables["investments"])
    parts = parts[parts["investee_id"] == company_id]
    for t in parts.assign(
        label=parts["investor_id"].map(names) + " " + reconcile.usd_texts(parts["amount_usd"])
    ).itertuples():
        rows.append(
            (
                "investment",
                t.announced_date,
                t.announced_date_precision,
                t.announced_date_inferred,
                t.label,
                "confirmed",
                t.source_ids,
            )
        )
    claims = reconcile.interpret_claims(tables["investments"])
    loose = claims[(claims["investee_id"] == company_id) & (claims["describes"] == reconcile.UNSPECIFIED)]
    for c in loose.itertuples():
        rows.append(
            (
                "investment",
                c.announced_date,
                c.announced_date_precision,
                c.announced_date_inferred,
                f"{names.get(c.investor_id)} {format_usd(c.amount_usd)}",
                "confirmed",
                c.source_id,
            )
        )
    for v in tables["valuations"][tables["valuations"]["company_id"] == company_id].itertuples():
        rows.append(
            (
                "funding",
                v.as_of_date,
                v.as_of_date_precision,
                v.as_of_date_inferred,
                f"Valuation {format_usd(v.valuation_usd)}",
                "confirmed",
                v.source_id,
            )
        )
    for f in tables["funding_totals"][tables["funding_totals"]["company_id"] == company_id].itertuples():
        rows.append(
            (
                "funding",
                f.as_of_date,
                f.as_of_date_precision,
                f.as_of_date_inferred,
                f"Total funding {format_usd(f.total_usd, qualifier=f.amount_qualifier)}",
                "confirmed",
                f.source_id,
            )
        )
    parties = tables["event_parties"]
    involved = set(parties[parties["company_id"] == company_id]["event_id"])
    for e in tables["events"][tables["events"]["event_id"].isin(involved)].itertuples():
        rows.append((e.kind, e.date, e.date_precision, e.date_inferred, e.label, e.status, e.source_id))
    frame = pd.DataFrame(rows, columns=["kind", "date", "precision", "inferred", "label", "status", "source_ids"])
    frame["lane"] = frame["kind"].map(TIMELINE_LANES).fillna("Other")
    return frame.sort_values(["date", "lane"], na_position="last").reset_index(drop=True)


def timeline_chart(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> Chart | None:
    """Investments, funding figures, launches, partnerships and the rumour, over time."""
    items = timeline_items(tables, params.company_id)
    dated = items.dropna(subset=["date"])
    if dated.empty:
        return None
    lanes = tuple(lane for lane in LANE_ORDER if lane in set(dated["lane"]))
    aggregated = len(dated) > MAX_MARKERS
    if aggregated:
        dated = _by_quarter(dated)
    traces = []
    for status, symbol in (("confirmed", "circle"), ("rumoured", "diamond")):
        part = dated[dated["status"] == status]
        if part.empty:
            continue
        traces.append(
            Trace(
                "Rumoured" if status == "rumoured" else "Reported",
                "markers",
                tuple(part["date"]),
                tuple(part["lane"]),
                INVESTOR_COLOURS[5 if status == "rumoured" else 4],
                labels=() if aggregated else tuple(f"{r.label} ({r.source_ids})" for r in part.itertuples()),
                hover=tuple(
                    f"{r.label} ({r.source_ids}; {format_date(r.date, r.precision, r.inferred)})"
                    for r in part.itertuples()
                ),
                hollow=tuple(bool(i) for i in part["inferred"]),
                symbols=(symbol,) * len(part),
            )
        )
    undated = items[items["date"].isna()]
    caption = (
        f"{len(items)} items, too many to draw one by one: each marker stands for a lane's items in one "
        "quarter (their count shows on hover in the HTML report). "
        if aggregated
        else ""
    ) + (
        "Filled markers: dates the sources state; hollow markers: dates inferred from the text "
        "(month precision is drawn at the start of the month). Where two sources date the same "
        "event differently, both are shown."
    )
    if len(undated):
        listed = "; ".join(undated["label"].head(MAX_LISTED))
        more = f" and {len(undated) - MAX_LISTED} more" if len(undated) > MAX_LISTED else ""
        caption += f" Not shown, as no source dates them: {listed}{more}."
    return Chart(
        id="timeline",
        title=f"{params.company_name}: timeline of reported events",
        caption=f"{caption} {_sources_note(items['source_ids'])}",
        x_title="",
        y_title="",
        traces=tuple(traces),
        x_kind="date",
        categories=lanes,
    )


def _by_quarter(items: pd.DataFrame) -> pd.DataFrame:
    """One row per lane, status and quarter: the count as label, hollow only if every date is inferred."""
    items = items.assign(quarter=items["date"].dt.to_period("Q").dt.start_time)
    grouped = items.groupby(["lane", "status", "quarter"], sort=True).agg(
        count=("label", "size"), inferred=("inferred", "all"), sources=("source_ids", "nunique")
    )
    grouped = grouped.reset_index()
    return pd.DataFrame(
        {
            "kind": grouped["lane"],
            "date": grouped["quarter"],
            "precision": "quarter",
            "inferred": grouped["inferred"],
            "label": [f"{n} items" if n > 1 else "1 item" for n in grouped["count"]],
            "status": grouped["status"],
            "source_ids": [f"{n} sources" for n in grouped["sources"]],
            "lane": grouped["lane"],
        }
    )
