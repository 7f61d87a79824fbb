"""The report's content: everything the notebook shows, computed from the data.

The notebook stays thin: it calls `prepare(...)` with its parameters and then one method
per section. Every number in the prose comes from here, never from typed text.
"""

import base64
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from . import reconcile
from .charts.figures import report_charts
from .charts.spec import Chart
from .formatting import format_date, format_usd, plural
from .load import load_tables
from .params import ResolvedParams, resolve, tables_as_of
from .paths import DATA_DIR, TEMPLATES_DIR

MAX_TABLE_ROWS = 30  # tables in the report stay readable (and its size bounded) at any data size
TOP_INVESTORS = 5
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "report"),
    autoescape=True,  # text from the CSV files is shown as text, never as markup
    undefined=jinja2.StrictUndefined,
)


def render(template: str, **context) -> str:
    """Render one HTML fragment template."""
    return _ENV.get_template(template).render(**context)


@dataclass
class Report:
    """The data, parameters and charts of one report run."""

    params: ResolvedParams
    tables: dict[str, pd.DataFrame]
    charts: dict[str, Chart]
    figure_numbers: dict[str, int] = field(default_factory=dict)

    @cached_property
    def disputes(self) -> pd.DataFrame:
        """Discrepancies between the sources, computed once per report."""
        return reconcile.discrepancies(self.tables)

    def _html(self, text: str):
        from IPython.display import HTML

        return HTML(text)

    def header(self):
        """Title, as-of date, summary and key figures."""
        p = self.params
        n_claims = sum(len(self.tables[t]) for t in reconcile.CLAIM_TABLES)
        return self._html(
            render(
                "header.html.j2",
                title=p.title,
                company=p.company_name,
                as_of=format_date(p.as_of, "day"),
                unit=p.unit,
                n_sources=len(self.tables["sources"]),
                n_claims=n_claims,
                summary=summary(self.tables, p, len(self.disputes)),
                key_figures=key_figures(self.tables, p),
            )
        )

    def chart(self, chart_id: str) -> None:
        """Display one chart (interactive and print renderings) with its numbered caption."""
        from IPython.display import display

        chart = self.charts.get(chart_id)
        if chart is None:
            display(self._html(f"<p class='caption'>No data for this chart as of {self.params.as_of.date()}.</p>"))
            return
        number = self.figure_numbers.setdefault(chart_id, len(self.figure_numbers) + 1)
        display(chart_bundle(chart), raw=True, metadata={"aiinvest": {"chart": chart.id}})
        display(self._html(render("caption.html.j2", number=number, caption=chart.caption)))

    def facts(self):
        """Every curated claim with its source and quote."""
        total = sum(len(self.tables[t]) for t in reconcile.CLAIM_TABLES)
        rows = facts_table(self.tables, self.params, limit=MAX_TABLE_ROWS)
        return self._table(rows, "facts", "One row per claim; claims about the same fact share a fact id.", total)

    def discrepancies(self):
        """Where the sources disagree, with explanations."""
        rows = self.disputes.rename(columns={"topic": "Topic", "source_ids": "Sources", "explanation": "Explanation"})[
            ["Topic", "Sources", "Explanation"]
        ]
        if rows.empty:
            return self._html("<p>The sources do not disagree on any fact in the data.</p>")
        return self._table(rows, "discrepancies", None)

    def coverage(self):
        """Which source reports which fact."""
        coverage = reconcile.fact_coverage(self.tables, set(self.disputes["fact_id"]))
        order = coverage["status"].map({"disagree": 0, "agree": 1, "single source": 2})
        coverage = coverage.iloc[order.argsort(kind="stable")]
        rows = coverage.rename(
            columns={
                "fact_id": "Fact",
                "source_ids": "Reported by",
                "claims": "Claims",
                "status": "Status",
            }
        )[["Fact", "Reported by", "Claims", "Status"]]
        return self._table(rows, "coverage", None)

    def sources(self):
        """The articles with dates, precision and SHA-256."""
        s = self.tables["sources"]
        rows = pd.DataFrame(
            {
                "Source": s["source_id"],
                "Title (first sentence)": s["title"],
                "Published": [
                    format_date(d, p, i)
                    for d, p, i in zip(
                        s["published_date"], s["published_date_precision"], s["published_date_inferred"], strict=True
                    )
                ],
                "How the date is known": s["date_note"],
                "File and SHA-256": [f"data/raw/{f} · sha256 {h}" for f, h in zip(s["file"], s["sha256"], strict=True)],
            }
        )
        return self._table(rows, "sources", None)

    def _table(self, rows: pd.DataFrame, css_class: str, intro: str | None, total: int | None = None):
        total = len(rows) if total is None else total
        if total > MAX_TABLE_ROWS:
            note = f"Showing the first {MAX_TABLE_ROWS} of {total} rows; all are in data/curated/."
            intro = f"{intro} {note}" if intro else note
            rows = rows.head(MAX_TABLE_ROWS)
        records = rows.astype(object).where(rows.notna(), "").to_dict("records")
        numeric = {"Amount", "Claims"}
        html = render(
            "table.html.j2", columns=list(rows.columns), rows=records, css_class=css_class, numeric=numeric, intro=intro
        )
        return self._html(html)


def prepare(**raw_params) -> Report:
    """Load and validate the data, validate the parameters and compute the charts."""
    data_dir = raw_params.get("data_dir")
    tables = load_tables(Path(data_dir) if data_dir else DATA_DIR)
    params = resolve(raw_params, tables)
    current = tables_as_of(tables, params.as_of)
    return Report(params, current, {c.id: c for c in report_charts(current, params)})


def chart_bundle(chart: Chart) -> dict:
    """A display bundle: plotly JSON (JupyterLab), HTML div (report), SVG (print), PNG (slides)."""
    import plotly.io as pio

    from .charts.mpl_render import to_png, to_svg
    from .charts.plotly_render import to_plotly

    fig = to_plotly(chart)
    spec = json.loads(pio.to_json(fig, validate=False))
    div = pio.to_html(
        fig, include_plotlyjs=False, full_html=False, div_id=f"chart-{chart.id}", config=PLOTLY_CONFIG, validate=False
    )
    return {
        PLOTLY_MIMETYPE: {**spec, "config": PLOTLY_CONFIG},
        "text/html": f'<div class="chart" data-chart="{chart.id}">{div}</div>',
        "image/svg+xml": to_svg(chart),
        "image/png": base64.b64encode(to_png(chart)).decode("ascii"),
        "text/plain": f"Chart: {chart.title}",
    }


def summary(tables: dict[str, pd.DataFrame], params: ResolvedParams, disagreements: int) -> list[str]:
    """The summary paragraphs, every number computed."""
    unit, company = params.unit, params.company_name
    names = tables["companies"].set_index("company_id")["name"]
    out = []
    own = reconcile.lead_investor_tranches(tables["investments"], params.company_id)
    if len(own):
        investor = own["investor_id"].iloc[0]
        listed = ", ".join(
            f"{format_usd(r.amount_usd, unit)} "
            f"({format_date(r.announced_date, r.announced_date_precision, r.announced_date_inferred)})"
            for r in own.itertuples()
        )
        out.append(
            f"As of {format_date(params.as_of, 'day')}, the sources put {names[investor]}'s investment in "
            f"{company} at {format_usd(own['amount_usd'].sum(), unit)}, "
            f"the sum of {plural(len(own), 'distinct tranche')}: {listed}."
        )
    funding = reconcile.funding_breakdown(tables, params.company_id)
    if len(funding.by_investor):
        top = funding.by_investor.head(TOP_INVESTORS)
        named = ", ".join(f"{r.name} {format_usd(r.amount_usd, unit)}" for r in top.itertuples())
        if len(funding.by_investor) > TOP_INVESTORS:
            named += f" and {plural(len(funding.by_investor) - TOP_INVESTORS, 'other')}"
        text = f"Named investors account for {format_usd(funding.named_usd, unit)} ({named})."
        if funding.total_usd is not None:
            total = format_usd(funding.total_usd, unit, funding.total_qualifier)
            rest = format_usd(funding.unattributed_usd, unit, funding.unattributed_qualifier)
            if funding.unattributed_usd > 0:
                text += f" The sources report total funding of {total}, which leaves {rest} from investors"
                text += " they do not name."
            else:
                text += f" That already exceeds the total funding the sources report ({total}): none is unattributed."
        out.append(text)
    comparison = reconcile.valuation_comparison(tables, params.company_id)
    if comparison is not None:
        raised = format_usd(comparison.raised_usd, unit, comparison.raised_qualifier)
        ratio = comparison.ratio_text
        out.append(
            f"Funding raised ({raised}) is {ratio} of the valuation reported at "
            f"{format_usd(comparison.valuation_usd, unit)} as of {format_date(comparison.valuation_as_of, 'day')}."
        )
    out.append(
        f"The {len(tables['sources'])} sources disagree on {plural(disagreements, 'point')}, explained in "
        "'Where the sources disagree'."
        if disagreements
        else "The sources do not contradict each other."
    )
    return out


def key_figures(tables: dict[str, pd.DataFrame], params: ResolvedParams) -> list[dict]:
    """Rows of the key-figures table."""
    unit, company = params.unit, params.company_name
    names = tables["companies"].set_index("company_id")["name"]
    rows = []
    for r in reconcile.lead_investor_tranches(tables["investments"], params.company_id).itertuples():
        rows.append(
            {
                "label": f"{names[r.investor_id]} in {company}, {r.round.replace('_', ' ')}",
                "value": format_usd(r.amount_usd, unit),
                "how": f"one tranche, reported by {plural(len(r.source_ids.split(', ')), 'source')}",
                "sources": r.source_ids,
            }
        )
    funding = reconcile.funding_breakdown(tables, params.company_id)
    for r in funding.by_investor.head(TOP_INVESTORS).itertuples():
        rows.append(
            {
                "label": f"{r.name} in {company}, in all",
                "value": format_usd(r.amount_usd, unit),
                "how": r.method,
                "sources": r.source_ids,
            }
        )
    if len(funding.by_investor):
        rows.append(
            {
                "label": "Named investors, in all",
                "value": format_usd(funding.named_usd, unit),
                "how": "sum of the named investors' totals",
                "sources": ", ".join(sorted(set(", ".join(funding.by_investor["source_ids"]).split(", ")))),
            }
        )
    if funding.total_usd is not None:
        rows.append(
            {
                "label": f"{company}'s total funding",
                "value": format_usd(funding.total_usd, unit, funding.total_qualifier),
                "how": "reported; a lower bound" if funding.total_qualifier == "at_least" else "reported",
                "sources": funding.total_source_id,
            }
        )
    if funding.total_usd is not None and funding.unattributed_usd > 0:
        rows.append(
            {
                "label": "From investors the sources do not name",
                "value": format_usd(funding.unattributed_usd, unit, funding.unattributed_qualifier),
                "how": "total funding minus named investors",
                "sources": funding.total_source_id,
            }
        )
    comparison = reconcile.valuation_comparison(tables, params.company_id)
    if comparison is not None:
        rows.append(
            {
                "label": f"{company}'s valuation",
                "value": format_usd(comparison.valuation_usd, unit),
                "how": f"reported as of {format_date(comparison.valuation_as_of, 'day')}",
                "sources": comparison.valuation_source_id,
            }
        )
        rows.append(
            {
                "label": "Funding raised / valuation",
                "value": comparison.ratio_text,
                "how": "total funding divided by the valuation",
                "sources": "",
            }
        )
    return rows


def facts_table(tables: dict[str, pd.DataFrame], params: ResolvedParams, limit: int | None = None) -> pd.DataFrame:
    """Claims as rows (id, fact, what, amount, date, source, quote); with a limit, the subject's largest first."""
    names = tables["companies"].set_index("company_id")["name"]
    subject = params.company_id
    inv, val, tot, ev = (tables[t] for t in ("investments", "valuations", "funding_totals", "events"))
    involved = tables["event_parties"].loc[tables["event_parties"]["company_id"] == subject, "event_id"]

    def part(ids, frame, what, amount, qualifier, date, precision, inferred, is_subject):
        return pd.DataFrame(
            {
                "Claim": ids,
                "Fact": frame["fact_id"],
                "What": what,
                "amount": amount,
                "qualifier": qualifier,
                "date": date,
                "precision": precision,
                "inferred": inferred,
                "Source": frame["source_id"],
                "Quote": frame["quote"],
                "subject": is_subject,
            }
        )

    rumour = np.where(ev["status"] == "rumoured", " (rumoured)", "")
    frame = pd.concat(
        [
            part(
                inv["investment_id"],
                inv,
                inv["investor_id"].map(names) + " invests in " + inv["investee_id"].map(names),
                inv["amount_usd"],
                inv["amount_qualifier"],
                inv["announced_date"],
                inv["announced_date_precision"],
                inv["announced_date_inferred"],
                (inv["investee_id"] == subject) | (inv["investor_id"] == subject),
            ),
            part(
                val["valuation_id"],
                val,
                val["company_id"].map(names) + " valuation (" + val["basis"] + ")",
                val["valuation_usd"],
                val["amount_qualifier"],
                val["as_of_date"],
                val["as_of_date_precision"],
                val["as_of_date_inferred"],
                val["company_id"] == subject,
            ),
            part(
                tot["total_id"],
                tot,
                tot["company_id"].map(names) + " total funding",
                tot["total_usd"],
                tot["amount_qualifier"],
                tot["as_of_date"],
                tot["as_of_date_precision"],
                tot["as_of_date_inferred"],
                tot["company_id"] == subject,
            ),
            part(
                ev["event_id"],
                ev,
                ev["description"] + rumour,
                np.nan,
                None,
                ev["date"],
                ev["date_precision"],
                ev["date_inferred"],
                ev["event_id"].isin(involved),
            ),
        ],
        ignore_index=True,
    )
    if limit is not None and len(frame) > limit:  # only then reorder: a short table keeps the tables' own order
        frame = frame.assign(size=frame["amount"].fillna(0)).sort_values(["subject", "size"], ascending=False)
        frame = frame.head(limit)
    frame["Amount"] = [
        "" if pd.isna(a) else format_usd(a, params.unit, q)
        for a, q in zip(frame["amount"], frame["qualifier"], strict=True)
    ]
    frame["Date"] = [
        format_date(d, p, bool(i)) for d, p, i in zip(frame["date"], frame["precision"], frame["inferred"], strict=True)
    ]
    return frame[["Claim", "Fact", "What", "Amount", "Date", "Source", "Quote"]].reset_index(drop=True)
