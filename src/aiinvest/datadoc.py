"""Render data/README.md from the data package descriptor (one source of truth)."""

import csv
from pathlib import Path

import jinja2

from .paths import TEMPLATES_DIR, curated_dir
from .schema import read_descriptor, resources


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
    with open(curated_dir(data_dir) / resources(descriptor)["sources"]["path"], encoding="utf-8") as f:
        sources = list(csv.DictReader(f))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    template = env.get_template("data_readme.md.j2")
    return template.render(resources=descriptor["resources"], sources=sources, allowed=allowed_values)
