"""Render data/README.md from the data package descriptor (one source of truth)."""

from pathlib import Path

import jinja2

from ..analysis.reconcile import reconcile
from ..config import TEMPLATES_DIR
from ..data.load import load_tables
from ..data.schema import read_descriptor
from .formatting import plural
from .rows import rows
from .text import READINGS, View, publisher_sentence


def allowed_values(field: dict) -> str:
    """Allowed values of a field as Markdown: enum, bounds or pattern."""
    c = field.get("constraints", {})
    if "enum" in c:
        return ", ".join(f"`{v}`" for v in c["enum"])
    parts = []
    if "exclusiveMinimum" in c:
        parts.append(f"> {c['exclusiveMinimum']:g}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']:g}")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`".replace("|", "\\|"))
    if field["type"] == "boolean":
        parts.append("`true`, `false`")
    return ", ".join(parts)


def render_data_readme(data_dir: Path) -> str:
    """The text of data/README.md for the package below data_dir."""
    descriptor = read_descriptor(data_dir)
    tables = load_tables(data_dir)
    rec = reconcile(tables, tables["sources"]["published_date"].max())
    view = View(rec, "", "billions", {})
    cells = rec.sources.astype(object).where(rec.sources.notna(), "")
    sources = [
        {
            **row,
            "published_date": row["published_date"].date().isoformat(),
            "published_date_inferred": str(row["published_date_inferred"]).lower(),
        }
        for row in cells.to_dict("records")
    ]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    template = env.get_template("data_readme.md.j2")
    return template.render(
        resources=descriptor["resources"],
        sources=sources,
        allowed=allowed_values,
        n_sources=plural(len(sources), "news article"),
        n_claims=plural(len(rec.claims), "curated claim"),
        publishers=publisher_sentence(view),
        framing_examples=framing_examples(rec),
    )


def framing_examples(rec) -> list[dict]:
    """One investment claim per way the analysis reads claims, with its quote."""
    reads = rec.interpretations.drop_duplicates("reason")
    quotes = rec.claims.set_index("claim_id")["quote"]
    return [
        {
            "claim_id": r.claim_id,
            "source_id": r.source_id,
            "amount": f"{r.amount_usd:,.0f}",
            "framing": r.framing,
            "wording": r.wording,
            "reading": f"{READINGS[r.reason]} (`{r.reason}`)",
            "quote": quotes[r.claim_id],
        }
        for r in rows(reads)
    ]
