"""The race overview's words, tables and figures: every investor and every AI developer side by side.

Numbers from `analysis.race` (the reconciliation's own queries); each pair's figures are made by the
functions that make a subject report's (`key_figures`), so both show the same amounts under the same ids.
"""

from dataclasses import replace

import pandas as pd

from ..analysis.race import Developer, Pair, Race
from ..analysis.race import race as race_at
from . import key_figures as kf
from . import text
from .charts.chronology import STATUS_COLOURS, named_sources, subtitle, timeline_marks
from .charts.figures import entity_colours
from .charts.spec import INVESTOR_COLOURS, LOWER_BOUND_COLOUR, Chart, Trace
from .charts.timeline import Timeline, timeline_chart_spec
from .formatting import UNITS, format_date, join_words, plural
from .params import RACE_ID, RACE_NAME
from .rows import rows

RACE_TITLE = "The AI investment race: every investor and AI developer, side by side"
NOT_REPORTED = "amount not reported"
TIE_WORDS = {
    "cloud_partnership": "cloud partnership",
    "consulting_partnership": "consulting partnership",
    "rumoured_collaboration": "rumoured collaboration",
    "backing": "backing without a figure",
}
EVENT_WORDS = {"tranche": "{0} invests {amount} in {1}", "valuation": "{0} valued at {amount}"}


def race_view(rec, unit: str, names: dict[str, str]) -> text.View:
    """A view without a subject: the words' helpers (names, amounts, sources' names) for the whole race."""
    return text.View(rec, RACE_ID, unit, {**names, RACE_ID: RACE_NAME})


def race_figures(view: text.View, race: Race) -> list[kf.Figure]:
    """Every pair's tranches and total, then every developer's funding and valuation, as a subject report has them."""
    found: dict[str, kf.Figure] = {}
    for pair in (p for p in race.pairs if p.amount_known):
        for tranche in rows(pair.tranches):
            figure = kf._tranche(view, pair.investor_id, pair.investee_id, tranche)
            found.setdefault(figure.id, figure)
        figure = kf._total(view, pair.investor_id, pair.investee_id, pair, pair.source_ids)
        found.setdefault(figure.id, figure)
    for developer in race.developers:
        own = text.View(view.rec, developer.company_id, view.unit, view.names)
        for figure in kf._investee_figures(own) if own.is_investee else []:
            label = figure.label if own.subject in figure.label else f"{own.subject}: {figure.label}"
            found.setdefault(figure.id, replace(figure, label=label))
    return list(found.values())


def race_document(view: text.View, figures: list[kf.Figure]) -> dict:
    """figures.json of the overview: the subject report's layout, the whole race as its subject."""
    document = kf.figures_document(view, figures)
    document["company_id"], document["company_name"] = RACE_ID, RACE_NAME
    for claim in document["claims"].values():
        claim["about_subject"] = True  # every claim is about the race
    return document


def race_document_as_of(rec, unit: str, names: dict[str, str]) -> dict:
    """figures.json of the overview as of the reconciliation's date, without drawing anything (`build --dry-run`)."""
    view = race_view(rec, unit, names)
    return race_document(view, race_figures(view, race_at(rec)))


def amount(view: text.View, pair: Pair) -> str:
    """A pair's amount as the subject reports show it, or 'amount not reported' (never $0)."""
    return view.usd(pair.total_usd, pair.qualifier) if pair.total_usd is not None else NOT_REPORTED


def pair_detail(view: text.View, pair: Pair) -> str:
    """How a pair's amount is known: its tranches, or a running total, or a relation without an amount."""
    if not pair.amount_known:
        return "The sources report the investment without an amount."
    parts = pair.tranches
    if parts.empty:
        return "A running total the sources report; they itemise no tranche."
    listed = text.tranche_list(view, parts)
    if pair.basis == "tranches":
        return f"The sum of {plural(len(parts), 'tranche')}: {listed}." if len(parts) > 1 else f"One tranche: {listed}."
    return f"A running total the sources report; they itemise {plural(len(parts), 'tranche')}: {listed}."


def investor_rows(view: text.View, race: Race) -> pd.DataFrame:
    """One row per investor and company it backs: amounts first, by investor then by amount."""
    ordered = sorted(race.pairs, key=lambda p: (view.name(p.investor_id), p.total_usd is None, -(p.total_usd or 0)))
    return pd.DataFrame(
        {
            "Investor": [view.name(p.investor_id) for p in ordered],
            "Invests in": [view.name(p.investee_id) for p in ordered],
            "Amount": [amount(view, p) for p in ordered],
            "How it is known": [pair_detail(view, p) for p in ordered],
            "source_ids": [p.source_ids for p in ordered],
        }
    )


def funding_words(view: text.View, developer: Developer) -> str:
    """A developer's funding raised: the reported total (a bound stays a bound), else what named investors put in."""
    f = developer.funding
    if f.total_usd is not None:
        return view.usd(f.total_usd, f.total_qualifier)
    if f.named_usd > 0:
        return f"{view.usd(f.named_usd)} from named investors; no total reported"
    return "not reported"


def valuation_words(view: text.View, developer: Developer) -> str:
    """'about $86B (15 January 2024)', or 'not reported'."""
    v = developer.valuation
    if v is None:
        return "not reported"
    when = text.dated(v["date"], v["date_precision"], v["date_inferred"])
    return f"{view.usd(v['valuation_usd'], v['qualifier'])} ({when})"


def investors_words(view: text.View, race: Race, developer: Developer) -> str:
    """The developer's named investors, those without an amount marked."""
    known = {(p.investor_id, p.investee_id): p.amount_known for p in race.pairs}
    named = [
        view.name(i) + ("" if known.get((i, developer.company_id)) else f" ({NOT_REPORTED})")
        for i in developer.investor_ids
    ]
    return join_words(named) or "none named"


def developer_sources(race: Race, developer: Developer) -> tuple[str, ...]:
    """Every source behind a developer's row: its funding, its valuation, and its investors' relations."""
    valuation = () if developer.valuation is None else (str(developer.valuation["source_id"]),)
    pairs = (s for p in race.pairs if p.investee_id == developer.company_id for s in p.source_ids)
    return tuple(sorted({*developer.funding.source_ids, *valuation, *pairs}))


def developer_rows(view: text.View, race: Race) -> pd.DataFrame:
    """One row per AI developer: funding raised, latest valuation, named investors."""
    ordered = sorted(race.developers, key=lambda d: (-_raised(d), view.name(d.company_id)))
    return pd.DataFrame(
        {
            "AI developer": [view.name(d.company_id) for d in ordered],
            "Funding raised": [funding_words(view, d) for d in ordered],
            "Latest valuation": [valuation_words(view, d) for d in ordered],
            "Named investors": [investors_words(view, race, d) for d in ordered],
            "source_ids": [developer_sources(race, d) for d in ordered],
        }
    )


def _raised(developer: Developer) -> float:
    f = developer.funding
    return f.total_usd if f.total_usd is not None else f.named_usd


def tie_rows(view: text.View, race: Race) -> pd.DataFrame:
    """One row per tie: what, its kind in words, who, when, and its sources."""
    t = race.ties
    return pd.DataFrame(
        {
            "Tie": [str(r.description) for r in rows(t)],
            "Kind": [_kind(str(k), str(s)) for k, s in zip(t["kind"], t["status"], strict=True)],
            "Companies": [join_words(view.name(c) for c in ids) for ids in t["company_ids"]],
            "When": [_when(r) for r in rows(t)],
            "source_ids": list(t["source_ids"]),
        }
    )


def _kind(kind: str, status: str) -> str:
    """A tie's kind in words; 'rumoured' added where the kind does not say it."""
    words = TIE_WORDS.get(kind, kind.replace("_", " "))
    return f"{words} (rumoured)" if status == "rumoured" and "rumoured" not in words else words


def _when(row) -> str:
    return "not dated" if pd.isna(row.date) else text.dated(row.date, row.date_precision, row.date_inferred)


def timeline_rows(view: text.View, race: Race) -> pd.DataFrame:
    """The race's dated events across companies, oldest first."""
    t = race.timeline
    return pd.DataFrame(
        {
            "When": [text.dated(r.date, r.date_precision, r.date_inferred) for r in rows(t)],
            "What": [_event(view, r) for r in rows(t)],
            "source_ids": list(t["source_ids"]),
        }
    )


def _event(view: text.View, row) -> str:
    names = [view.name(c) for c in row.company_ids]
    if row.kind in EVENT_WORDS:
        return EVENT_WORDS[row.kind].format(*names, amount=view.usd(row.amount_usd, row.qualifier))
    kind = TIE_WORDS.get(row.kind, str(row.kind).replace("_", " "))
    return f"{kind[0].upper()}{kind[1:]}: {join_words(names)}"


def summary(view: text.View, race: Race) -> list[str]:
    """The finding first: who backs whom with how much, who has raised and is valued most; then disagreements."""
    with_amount = [p for p in race.pairs if p.amount_known]
    investors = {p.investor_id for p in race.pairs}
    developers = {p.investee_id for p in race.pairs}
    if not race.pairs and not race.developers:
        return [f"The sources published by {view.as_of} report no investment.", disagreements(view)]
    found = [
        f"As of {view.as_of}, the sources name {plural(len(investors), 'investor')} backing "
        f"{plural(len(developers), 'company', 'companies')}; they give an amount for {len(with_amount)} of "
        f"{plural(len(race.pairs), 'commitment')}."
    ]
    if with_amount:
        top = max(with_amount, key=lambda p: (p.total_usd, p.investor_id))
        found.append(
            f"The largest known commitment is {view.name(top.investor_id)}'s {amount(view, top)} in "
            f"{view.name(top.investee_id)}."
        )
    found += [s for s in (_valued_most(view, race), _amountless(view, race)) if s]
    return [*found, disagreements(view)]


def disagreements(view: text.View) -> str:
    """How many points the sources disagree on (the race has no subject to count them for)."""
    d = view.rec.disagreements
    if d.empty or len(view.rec.sources) < 2:
        return text.disagreement_sentence(view)
    return f"The sources disagree on {plural(len(d), 'point')}, set out under 'Where the sources disagree'."


def _valued_most(view: text.View, race: Race) -> str | None:
    valued = [(float(v["valuation_usd"]), d.company_id, d) for d in race.developers if (v := d.valuation) is not None]
    if not valued:
        return None
    top = max(valued, key=lambda v: v[:2])[2]
    others = len(valued) - 1
    rest = f", the highest of {plural(len(valued), 'valuation')} reported" if others else ""
    return f"{view.name(top.company_id)} is valued at {valuation_words(view, top)}{rest}."


def _amountless(view: text.View, race: Race) -> str | None:
    said = [f"{view.name(p.investor_id)} in {view.name(p.investee_id)}" for p in race.pairs if not p.amount_known]
    if not said:
        return None
    return f"No source gives an amount for {text.listed(said, 'investment')}."


def cannot_tell(view: text.View, race: Race, figures) -> list[str]:
    """What the sources do not establish about the race, one sentence each."""
    found = [
        _amountless(view, race),
        _no_funding(view, race),
        _unattributed(view, race),
        text.single_source_figures(view, figures),
        text.inferred_dates(view),
    ]
    return [s for s in found if s]


def _no_funding(view: text.View, race: Race) -> str | None:
    names = [view.name(d.company_id) for d in race.developers if _raised(d) == 0 and d.valuation is None]
    if not names:
        return None
    verb = "has" if len(names) == 1 else "have"
    return f"How much {text.listed(names, 'company')} {verb} raised, or is worth: no source says."


def _unattributed(view: text.View, race: Race) -> str | None:
    said = [
        f"{view.usd(d.funding.unattributed_usd or 0, d.funding.total_qualifier)} of {view.name(d.company_id)}'s "
        f"{view.usd(d.funding.total_usd or 0, d.funding.total_qualifier)}"
        for d in race.developers
        if d.funding.total_usd is not None and (d.funding.unattributed_usd or 0) > 0
    ]
    if not said:
        return None
    return f"Who provided the rest: no source names the investors behind {text.listed(said, 'sum')}."


def dated_words(date, precision, inferred) -> str:
    """A date in words at its precision, for a caption."""
    return format_date(date, precision, bool(inferred))


def developers_chart(view: text.View, race: Race) -> Chart | None:
    """Funding raised by each developer with a figure, side by side; a lower bound grey and hatched."""
    shown = sorted((d for d in race.developers if _raised(d) > 0), key=lambda d: (-_raised(d), d.company_id))
    if not shown:
        return None
    colours = entity_colours(view)
    divisor, axis = UNITS[view.unit][0], f"US$ {view.unit}"
    names = tuple(view.name(d.company_id) for d in shown)
    traces = tuple(
        _developer_bar(view, d, name, colours.get(d.company_id, INVESTOR_COLOURS[0]), divisor)
        for d, name in zip(shown, names, strict=True)
    )
    top = shown[0]
    title = f"{names[0]} has raised {funding_words(view, top).split(';')[0]}"
    if len(shown) > 1:
        title += f", the most of {plural(len(shown), 'AI developer')} with a figure"
    bound = any(d.funding.total_qualifier == "at_least" for d in shown if d.funding.total_usd is not None)
    return Chart(
        id="developers",
        title=title,
        subtitle=f"US$ {view.unit} · as of {view.as_of}",
        caption=(
            f"Funding raised by each AI developer as of {view.as_of}: the reported total carried forward, or, "
            "where no total is reported, what its named investors put in."
            + (" Hatched: a lower bound." if bound else "")
        ),
        sources=tuple(
            (sid, n) for sid, n in view.source_names.items() if sid in {s for d in shown for s in d.funding.source_ids}
        ),
        x_title=axis,
        y_title="",
        categories=names,
        horizontal=True,
        traces=traces,
        value_max=_raised(top) / divisor * 1.25,
    )


def _developer_bar(view: text.View, developer: Developer, name: str, colour: str, divisor: float) -> Trace:
    f = developer.funding
    bound = f.total_usd is not None and f.total_qualifier == "at_least"
    label = funding_words(view, developer).split(";")[0]
    return Trace(
        name,
        "bar",
        (_raised(developer) / divisor,),
        (name,),
        LOWER_BOUND_COLOUR if bound else colour,
        labels=(label,),
        hover=(f"{name}: {label}",),
        hatch=bound,
        show_in_legend=False,
    )


RACE_LANES = {"tranche": "Investment", "valuation": "Valuation", "rumoured_collaboration": "Rumour"}
RACE_LANE_ORDER = ("Investment", "Valuation", "Partnership", "Rumour")


def timeline_chart(view: text.View, race: Race) -> Chart | None:
    """Investments, valuations and ties across companies over time (dated ones), one lane each."""
    t = race.timeline
    if t.empty:
        return None
    items = pd.DataFrame(
        {
            "date": pd.to_datetime(t["date"]),
            "precision": t["date_precision"].to_numpy(),
            "inferred": t["date_inferred"].astype(bool).to_numpy(),
            "lane": [RACE_LANES.get(k, "Partnership") for k in t["kind"]],
            "label": [_short(view, r) for r in rows(t)],
            "status": ["rumoured" if k == "rumoured_collaboration" else "confirmed" for k in t["kind"]],
            "kind": t["kind"].to_numpy(),
            "fact_id": "",
            "source_ids": list(t["source_ids"]),
        }
    )
    marks, aggregated = timeline_marks(view, items)
    companies = {c for ids in t["company_ids"] for c in ids}
    first, last = t.iloc[0], t.iloc[-1]
    span = f"from {format_date(first['date'], 'month')} to {format_date(last['date'], 'month')}"
    return timeline_chart_spec(
        marks,
        Timeline(
            title=f"{plural(len(t), 'dated event')} across {plural(len(companies), 'company', 'companies')}, {span}",
            subtitle=subtitle(view),
            caption="Investments, valuations and ties by the date they describe; hollow marks are dates inferred "
            "from the text. Undated ones are in the tables.",
            lanes=tuple(lane for lane in RACE_LANE_ORDER if lane in set(marks["lane"])),
            colours=STATUS_COLOURS,
            numbered=not aggregated,
            sources=named_sources(view, t["source_ids"]),
        ),
    )


def _short(view: text.View, row) -> str:
    """A timeline label: 'Microsoft in OpenAI $1B', 'OpenAI about $86B', or the tie's companies."""
    names = [view.name(c) for c in row.company_ids]
    if row.kind == "tranche":
        return f"{names[0]} in {names[1]} {view.usd(row.amount_usd)}"
    if row.kind == "valuation":
        return f"{names[0]} valued {view.usd(row.amount_usd, row.qualifier)}"
    return join_words(names)
