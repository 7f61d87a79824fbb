"""The timeline's items from the reconciliation: tranches, funding figures, valuations and events, over time.

Each item keeps its fact: an item no source dates is listed as "not shown" only when no other source
dates the same fact (otherwise the dated reading is drawn, and the undated one adds nothing to draw).
"""

import pandas as pd

from ..formatting import format_date, plural
from ..rows import rows
from ..text import View
from .spec import INVESTOR_COLOURS, Chart
from .timeline import Timeline, period_end, timeline_chart_spec

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
MAX_MARKERS = 30  # above this, the timeline draws one marker per lane and quarter (and stays within a page)
STATUS_COLOURS = {"confirmed": INVESTOR_COLOURS[4], "rumoured": INVESTOR_COLOURS[5]}  # a timeline's marks
MAX_LISTED = 5  # undated items named in the timeline caption
ITEM_COLUMNS = ["kind", "fact_id", "date", "precision", "inferred", "label", "status", "source_ids"]


def _tranche_items(view: View) -> pd.DataFrame:
    parts = view.rec.tranches
    subject = view.subject_id
    parts = parts[(parts["investee_id"] == subject) | (parts["investor_id"] == subject)]
    other = parts["investor_id"].where(parts["investee_id"] == subject, parts["investee_id"])
    both = view.is_investee and view.is_investor  # money both ways: say which way each went
    into = ["" if not both or i == subject else "Into " for i in parts["investee_id"]]
    return pd.DataFrame(
        {
            "kind": "investment",
            "fact_id": parts["fact_id"],
            "date": parts["date"],
            "precision": parts["date_precision"],
            "inferred": parts["date_inferred"],
            "label": [
                f"{to}{view.name(o)} {view.usd(a)}" for to, o, a in zip(into, other, parts["amount_usd"], strict=True)
            ],
            "status": "confirmed",
            "source_ids": parts["source_ids"],
        }
    )


def _figure_items(view: View) -> pd.DataFrame:
    claims = view.rec.claims
    figures = claims[claims["kind"].isin(["valuation", "funding_total"]) & (claims["company_id"] == view.subject_id)]
    return pd.DataFrame(
        {
            "kind": "funding",
            "fact_id": figures["fact_id"],
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


def _event_items(view: View) -> pd.DataFrame:
    claims = view.rec.claims
    events = claims[claims["kind"] == "event"]
    parties = view.rec.event_parties
    involved = set(parties[parties["company_id"] == view.subject_id]["event_id"])
    events = view.claims.loc[events["claim_id"][events["claim_id"].isin(involved)]]
    details = view.rec.events.set_index("event_id").reindex(events.index)
    return pd.DataFrame(
        {
            "kind": details["kind"].to_numpy(),
            "fact_id": events["fact_id"].to_numpy(),
            "date": events["date"].to_numpy(),
            "precision": events["date_precision"].to_numpy(),
            "inferred": events["date_inferred"].to_numpy(),
            "label": details["label"].to_numpy(),
            "status": details["status"].to_numpy(),
            "source_ids": [(s,) for s in events["source_id"]],
        }
    )


def timeline_items(view: View) -> pd.DataFrame:
    """Dated and undated items for the timeline: tranches, funding figures, valuations and events."""
    frames = [f for f in (_tranche_items(view), _figure_items(view), _event_items(view)) if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*ITEM_COLUMNS, "lane"])
    frame = pd.concat(frames, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["lane"] = frame["kind"].map(TIMELINE_LANES).fillna("Other")
    return frame.sort_values(["date", "lane"], na_position="last").reset_index(drop=True)


def not_shown(items: pd.DataFrame) -> pd.DataFrame:
    """The undated items whose fact no source dates: what the timeline cannot draw."""
    dated_facts = set(items.loc[items["date"].notna(), "fact_id"])
    undated = items[items["date"].isna() & ~items["fact_id"].isin(dated_facts)]
    return undated.drop_duplicates(subset=["fact_id"])


def _caption(items: pd.DataFrame, dated: pd.DataFrame, aggregated: bool) -> str:
    caption = (
        f"{plural(len(items), 'item')}, too many to draw one by one: each marker stands for a lane's items in one "
        "quarter (their count shows on hover in the HTML report). "
        if aggregated
        else ""
    )
    marks = []
    if (dated["precision"] == "day").any() and not aggregated:
        marks.append("a marker is a day")
    if (dated["precision"] != "day").any() and not aggregated:
        marks.append("a bar spans the month or year a source gives")
    if dated["inferred"].astype(bool).any():
        marks.append("hollow marks are dates inferred from the text")
    if (dated["status"] == "rumoured").any():
        marks.append("diamonds and their colour mark rumours")
    caption += (marks[0][0].upper() + "; ".join(marks)[1:] + ". ") if marks else ""
    caption += "Where two sources date the same event differently, both are shown."
    missing = not_shown(items)
    if len(missing):
        listed = "; ".join(missing["label"].head(MAX_LISTED))
        more = f" and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
        caption += f" Not shown, as no source dates them: {listed}{more}."
    return caption


def _title(view: View, dated: pd.DataFrame) -> str:
    first, last = dated.iloc[0], dated.iloc[-1]
    start = format_date(first["date"], "month" if first["precision"] == "day" else first["precision"])
    end = format_date(last["date"], "month" if last["precision"] == "day" else last["precision"])
    span = f"in {start}" if start == end else f"from {start} to {end}"
    return f"{plural(len(dated), 'dated event')} for {view.subject}, {span}"


def timeline_chart(view: View) -> Chart | None:
    """Investments, funding figures, launches, partnerships and rumours, over time."""
    items = timeline_items(view)
    dated = items.dropna(subset=["date"])
    if dated.empty:
        return None
    title = _title(view, dated)
    marks, aggregated = timeline_marks(view, dated)
    return timeline_chart_spec(
        marks,
        Timeline(
            title=title,
            subtitle=subtitle(view),
            caption=_caption(items, marks, aggregated),
            lanes=tuple(lane for lane in LANE_ORDER if lane in set(marks["lane"])),
            colours=STATUS_COLOURS,
            numbered=not aggregated,  # a marker per lane and quarter: its count is on hover, a key would list counts
            sources=named_sources(view, items["source_ids"]),
        ),
    )


def timeline_marks(view: View, dated: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The dated items as the timeline draws them (one per lane and quarter when there are more than
    MAX_MARKERS: then True), each with the end of its period and its hover detail (date and sources)."""
    aggregated = len(dated) > MAX_MARKERS
    if aggregated:
        dated = _by_quarter(dated)
    detail = [
        f"{r.label}, {r.date.year} Q{r.date.quarter}"
        if aggregated
        else f"{format_date(r.date, r.precision, r.inferred)}\n{view.sources_in_words(r.source_ids)}"
        for r in rows(dated)
    ]
    marks = dated.assign(
        detail=detail,
        inferred=dated["inferred"].astype(bool),
        end=[period_end(d, p) for d, p in zip(dated["date"], dated["precision"], strict=True)],
    )
    return marks, aggregated


def subtitle(view: View) -> str:
    """A timeline's subtitle: how its dates are read, and the report's date."""
    return f"Dates as the sources give them · as of {view.as_of}"


def named_sources(view: View, source_ids: pd.Series) -> tuple[tuple[str, str], ...]:
    """The sources behind these items, as (id, reader's name), in the report's order of sources."""
    wanted = {str(s) for ids in source_ids for s in ids}
    return tuple((sid, name) for sid, name in view.source_names.items() if sid in wanted)


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
            "fact_id": "",
            "date": grouped["quarter"],
            "precision": "day",  # drawn as a marker at the quarter's start, as the caption says
            "inferred": grouped["inferred"],
            "label": [plural(int(n), "item") for n in grouped["count"]],
            "status": grouped["status"],
            "source_ids": [()] * len(grouped),
            "lane": grouped["lane"],
        }
    )
