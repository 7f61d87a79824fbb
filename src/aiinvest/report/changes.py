"""What changed between two reports' figures.json: sources, figures (old -> new, and the claims behind), disagreements.

Used by the report's "Changes since the previous report" section, by the build's summary on the
terminal, by `aiinvest build --dry-run`, and by `aiinvest diff`.
"""

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..exitcodes import CommandError, ExitStatus
from .formatting import plural

if TYPE_CHECKING:
    import jsonschema

SCHEMA = Path(__file__).with_name("figures.schema.json")
FIGURES_FILE = "figures.json"  # beside every report


class FiguresError(CommandError, ValueError):
    """A figures.json that is missing, unreadable or not what the schema describes."""

    exit_status = ExitStatus.DATA


@dataclass(frozen=True)
class FigureChange:
    """One figure whose value or qualifier changed, appeared or went away."""

    id: str
    label: str
    old: str  # as the report showed it; "" when the figure is new
    new: str  # "" when the figure is gone
    claims_added: list[str] = field(default_factory=list)
    claims_removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Changes:
    """Everything that differs between two reports of the same subject."""

    old_as_of: str
    new_as_of: str
    sources_added: list[str]
    sources_removed: list[str]
    figures: list[FigureChange]
    disagreements_opened: list[dict]
    disagreements_resolved: list[dict]

    @property
    def empty(self) -> bool:
        """True when nothing a reader would notice changed."""
        return not (
            self.sources_added
            or self.sources_removed
            or self.figures
            or self.disagreements_opened
            or self.disagreements_resolved
        )

    def summary(self) -> str:
        """One line: what changed, counted."""
        if self.empty:
            return f"no change since the report as of {self.old_as_of}"
        parts = []
        if self.sources_added:
            parts.append(f"{plural(len(self.sources_added), 'new source')} ({', '.join(self.sources_added)})")
        if self.sources_removed:
            parts.append(f"{plural(len(self.sources_removed), 'source')} no longer used")
        if self.figures:
            parts.append(plural(len(self.figures), "figure") + " changed")
        if self.disagreements_opened:
            parts.append(plural(len(self.disagreements_opened), "disagreement") + " opened")
        if self.disagreements_resolved:
            parts.append(plural(len(self.disagreements_resolved), "disagreement") + " resolved")
        return f"since the report as of {self.old_as_of}: " + "; ".join(parts)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(what, which, old, new) for a table."""
        rows = [("source", s, "", "used") for s in self.sources_added]
        rows += [("source", s, "used", "") for s in self.sources_removed]
        for f in self.figures:
            why = f"claims +{', '.join(f.claims_added)}" if f.claims_added else ""
            if f.claims_removed:
                why = (why + "; " if why else "") + f"claims -{', '.join(f.claims_removed)}"
            rows.append(("figure", f"{f.label}" + (f" ({why})" if why else ""), f.old, f.new))
        rows += [("disagreement", d["topic"], "", "opened") for d in self.disagreements_opened]
        rows += [("disagreement", d["topic"], "open", "resolved") for d in self.disagreements_resolved]
        return rows

    def record(self) -> dict:
        """JSON-ready data, with the summary."""
        return {**asdict(self), "summary": self.summary(), "changed": not self.empty}


@cache
def schema() -> "jsonschema.protocols.Validator":
    """A validator for figures.json, read once."""
    import jsonschema  # imported here: 0.3 s, which a build found up to date never needs

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def read_figures(path: Path) -> dict:
    """A figures.json (or the one in a report folder), checked against its schema; each figure's id once."""
    path = Path(path)
    if path.is_dir():
        path = path / FIGURES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        problems = sorted(schema().iter_errors(data), key=lambda e: list(e.absolute_path))
        message = problems[0].message if problems else ""  # jsonschema shows the value: it may be deep or large
    except RecursionError:
        raise FiguresError(f"{path}: expected a readable figures.json (nested too deeply to read)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FiguresError(f"{path}: expected a readable figures.json ({error})") from None
    if problems:
        where = "/".join(map(str, problems[0].absolute_path)) or "the top level"
        shown = message if len(message) <= 200 else message[:197] + "..."
        raise FiguresError(f"{path}: at {where}: expected {shown} (see figures.schema.json)")
    if repeated := _repeated_id(data):
        raise FiguresError(f"{path}: at {repeated}")
    return data


def _repeated_id(data: dict) -> str:
    """Where a figure's or disagreement's id is given a second time, and what was expected; "" when none is."""
    for kind in ("figures", "disagreements"):
        first: dict[str, int] = {}
        for index, item in enumerate(data[kind]):
            if item["id"] in first:
                return f"{kind}/{index}/id: expected a unique id ({item['id']!r} is also {kind}/{first[item['id']]})"
            first[item["id"]] = index
    return ""


def compare(old: dict, new: dict) -> Changes:
    """The changes from one report's figures to another's."""
    before = {f["id"]: f for f in old["figures"]}
    after = {f["id"]: f for f in new["figures"]}
    figures = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        if a and b and (a["value"], a["qualifier"], a["display"]) == (b["value"], b["qualifier"], b["display"]):
            continue
        claims_a, claims_b = set(a["claim_ids"] if a else ()), set(b["claim_ids"] if b else ())
        either: dict = b or a or {}  # every key comes from one of the two
        figures.append(
            FigureChange(
                id=key,
                label=either["label"],
                old=a["display"] if a else "",
                new=b["display"] if b else "",
                claims_added=sorted(claims_b - claims_a),
                claims_removed=sorted(claims_a - claims_b),
            )
        )
    was = {d["id"]: d for d in old["disagreements"]}
    now = {d["id"]: d for d in new["disagreements"]}
    return Changes(
        old_as_of=old["as_of"],
        new_as_of=new["as_of"],
        sources_added=sorted(set(new["sources"]) - set(old["sources"])),
        sources_removed=sorted(set(old["sources"]) - set(new["sources"])),
        figures=figures,
        disagreements_opened=[d for k, d in now.items() if k not in was],
        disagreements_resolved=[d for k, d in was.items() if k not in now],
    )


def to_markdown(changes: Changes) -> str:
    """The summary and a Markdown table."""
    lines = [changes.summary()[0].upper() + changes.summary()[1:] + ".", ""]
    if not changes.empty:
        lines += ["| what | which | old | new |", "| --- | --- | --- | --- |"]
        lines += [f"| {w} | {c.replace('|', '/')} | {o} | {n} |" for w, c, o, n in changes.rows()]
    return "\n".join(lines) + "\n"


def to_text(changes: Changes) -> str:
    """The summary and an aligned plain-text table, for a terminal."""
    lines = [changes.summary()]
    rows = changes.rows()
    if rows:
        header = ("what", "which", "old", "new")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        lines += [
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]
        ]
    return "\n".join(lines) + "\n"


def to_json(changes: Changes) -> str:
    """The changes as JSON."""
    return json.dumps(changes.record(), indent=2, ensure_ascii=False) + "\n"
