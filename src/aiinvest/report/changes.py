"""What changed between two reports' figures.json: sources, figures (old -> new, and the claims behind), disagreements.

In words, without ids: sources by their readers' names, figures marked new, changed, no longer reported or
confirmed by more sources, claims by their quotes (figures.json version 2 carries both names and quotes; a
version 1 file is compared by the newer file's names). Used by the report's "Changes since the previous report"
section, by the build's summary on the terminal, by `aiinvest build --dry-run`, and by `aiinvest diff`.
"""

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..exitcodes import CommandError, ExitStatus
from .formatting import join_words, plural, shorten

if TYPE_CHECKING:
    import jsonschema

SCHEMA = Path(__file__).with_name("figures.schema.json")
FIGURES_FILE = "figures.json"  # beside every report


class FiguresError(CommandError, ValueError):
    """A figures.json that is missing, unreadable or not what the schema describes."""

    exit_status = ExitStatus.DATA


COLUMNS = ("What", "Before", "Now", "Why")  # the changes table, in the report, the terminal and Markdown
QUOTE_CHARS = 90  # a claim's quote in the table is cut to this many characters
UNKNOWN_SOURCE = "a source no longer in the data"  # a source (or claim) that neither figures.json describes
NO_CHANGE = "no change"  # Changes.counted() when nothing changed


class Row(NamedTuple):
    """One row of the changes table in words, and the evidence it rests on (for links and tooltips, not shown)."""

    what: str
    before: str
    now: str
    why: str
    evidence: str = ""  # a "source" or "claim" row (its appendix row: source-<id>, claim-<id>), or a "figure"'s claims
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureChange:
    """One figure whose value or qualifier changed, appeared, went away, or gained or lost a source."""

    id: str
    label: str
    old: str  # as the report showed it; "" when the figure is new
    new: str  # "" when the figure is gone
    claims_added: list[str] = field(default_factory=list)
    claims_removed: list[str] = field(default_factory=list)
    sources_before: list[str] = field(default_factory=list)
    sources_now: list[str] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        """True when the figure rests on every source it rested on, and more."""
        return bool(self.old and self.new) and set(self.sources_now) > set(self.sources_before)


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
    disagreements_widened: list[dict] = field(default_factory=list)  # still open, between other sources now
    claims_added: list[str] = field(default_factory=list)  # every claim new since then (version 2 files)
    claims_removed: list[str] = field(default_factory=list)
    source_details: dict[str, dict] = field(default_factory=dict)  # id -> name, published (both reports')
    claims: dict[str, dict] = field(default_factory=dict)  # id -> source_id, says (both reports')

    @property
    def empty(self) -> bool:
        """True when nothing a reader would notice changed."""
        return not (
            self.sources_added
            or self.sources_removed
            or self.figures
            or self.claims_added
            or self.claims_removed
            or self.disagreements_opened
            or self.disagreements_resolved
            or self.disagreements_widened
        )

    def name(self, source_id: str) -> str:
        """A source's readers' name ('Article of 15 June 2024'), never its id."""
        return self.source_details.get(source_id, {}).get("name") or UNKNOWN_SOURCE

    def said(self, claim_ids) -> str:
        """What claims say, and where: '“Google has put …” and “…” (Article of 15 June 2024)', by source."""
        by_source: dict[str, list[str]] = {}
        for claim_id in claim_ids:
            claim = self.claims.get(claim_id)
            source = self.name(claim["source_id"]) if claim else UNKNOWN_SOURCE
            by_source.setdefault(source, []).append(f"“{shorten(claim['says'], QUOTE_CHARS)}”" if claim else "a claim")
        return "; ".join(f"{join_words(quotes)} ({source})" for source, quotes in by_source.items())

    def summary(self) -> str:
        """One line: what changed, counted, the new sources by name."""
        if self.empty:
            return f"no change since the report as of {self.old_as_of}"
        return f"since the report as of {self.old_as_of}: " + self.counted()

    def counted(self) -> str:
        """What changed, counted, without the date: '1 new source (Article of 15 June 2024); 1 figure changed'."""
        if self.empty:
            return NO_CHANGE
        parts = []
        if self.sources_added:
            added = self.sources_added  # one is named here; several (whose names hold commas) in the table's rows
            parts.append(f"1 new source ({self.name(added[0])})" if len(added) == 1 else f"{len(added)} new sources")
        if self.sources_removed:
            parts.append(f"{plural(len(self.sources_removed), 'source')} no longer used")
        counts = Counter(_figure_kind(f) for f in self.figures)
        parts += [plural(counts[kind], "figure", "figures") + f" {kind}" for kind in FIGURE_KINDS if counts[kind]]
        if self.disagreements_opened:
            parts.append(plural(len(self.disagreements_opened), "disagreement") + " opened")
        if self.disagreements_resolved:
            parts.append(plural(len(self.disagreements_resolved), "disagreement") + " resolved")
        if self.disagreements_widened:
            parts.append(plural(len(self.disagreements_widened), "disagreement") + " now between other sources")
        return "; ".join(parts)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(what, before, now, why) in words, for a table: sources, figures, other claims, disagreements."""
        return [row[:4] for row in self.entries()]

    def entries(self) -> list[Row]:
        """The table's rows with the evidence each rests on."""
        rows = [
            Row(f"Source: {self.name(s)}", "not used", "used", self._why_added(s), "source", (s,))
            for s in self.sources_added
        ]
        rows += [
            Row(f"Source: {self.name(s)}", "used", "no longer used", self._why_gone(s), "source", (s,))
            for s in self.sources_removed
        ]
        quoted: set[str] = set()  # each claim is quoted once, in the first figure's row that it changes
        rows += [self._figure_row(f, quoted) for f in self.figures]
        return rows + self._claim_rows() + self._disagreement_rows()

    def _claim_rows(self) -> list[Row]:
        """The claims added or removed that no figure's row names: the claim, then where it comes from."""
        behind = {c for f in self.figures for c in f.claims_added + f.claims_removed}
        added = [(c, "new", "reported") for c in self.claims_added if c not in behind]
        gone = [(c, "reported", "no longer reported") for c in self.claims_removed if c not in behind]
        return [
            Row(self._claim(c)[0], before, now, self._claim(c)[1], "claim", (c,)) for c, before, now in added + gone
        ]

    def _claim(self, claim_id: str) -> tuple[str, str]:
        """A claim's row heading, 'Claim: “…”', and where it comes from, 'from Article of 15 June 2024'."""
        claim = self.claims.get(claim_id)
        if claim is None:
            return "Claim: a claim no longer in the data", ""
        return f"Claim: “{shorten(claim['says'], QUOTE_CHARS)}”", f"from {self.name(claim['source_id'])}"

    def _disagreement_rows(self) -> list[Row]:
        """Disagreements opened (between which sources), resolved, or still open between other sources."""
        kinds = [
            *(("none", "open", "between", d) for d in self.disagreements_opened),
            *(("open", "resolved", "was between", d) for d in self.disagreements_resolved),
            *(("open", "still open", "now between", d) for d in self.disagreements_widened),
        ]
        return [
            Row(
                f"Disagreement: {d['topic']}",
                before,
                now,
                f"{between} {join_words(map(self.name, d['source_ids']))}",
                "source",
                tuple(d["source_ids"]),
            )
            for before, now, between, d in kinds
        ]

    def _why_added(self, source_id: str) -> str:
        published = self.source_details.get(source_id, {}).get("published")
        if published and published > self.old_as_of:
            return "published after the previous report's date"
        return "added to the data since the previous report"

    def _why_gone(self, source_id: str) -> str:
        published = self.source_details.get(source_id, {}).get("published")
        if published and published > self.new_as_of:
            return "published after this report's date"
        return "no longer in the data"

    def _figure_row(self, figure: FigureChange, quoted: set[str]) -> Row:
        """One figure's row: its label, old and new value ('new', 'no longer reported'), and why: the claims added
        or no longer counted, each quoted once (in the first row it changes), and its sources when they grew."""
        why = [
            *self._claims_in(figure.claims_added, "added", quoted),
            *self._claims_in(figure.claims_removed, "no longer counted", quoted),
        ]
        if figure.confirmed:
            verb = "confirmed" if figure.old == figure.new else "reported"
            why.append(f"now {verb} by {plural(len(figure.sources_now), 'source')}")
        now = figure.new or "no longer reported"
        if figure.old and figure.old == figure.new:
            now += " (unchanged)"
        ids = (*figure.claims_added, *figure.claims_removed)
        return Row(figure.label, figure.old or "new", now, "; ".join(why), "figure", ids)

    def _claims_in(self, claim_ids: list[str], how: str, quoted: set[str]) -> list[str]:
        """'added: “…” (source)', and how many of them a row above quotes; `quoted` learns these claims."""
        fresh = [c for c in claim_ids if f"{how}:{c}" not in quoted]
        quoted.update(f"{how}:{c}" for c in claim_ids)
        said = [f"{how}: {self.said(fresh)}"] if fresh else []
        if above := len(claim_ids) - len(fresh):
            said.append(f"{how}{' too' if fresh else ''}: {plural(above, 'claim')} quoted above")
        return said

    def record(self) -> dict:
        """JSON-ready data: the changes by id, the summary and the table in words (not every claim's quote)."""
        data = {k: v for k, v in asdict(self).items() if k != "claims"}
        said = {c: self.claims[c] for c in self._claims_named() if c in self.claims}
        rows = [
            dict(zip((*(c.lower() for c in COLUMNS), "ids"), (*row[:4], list(row.ids)), strict=True))
            for row in self.entries()
        ]
        return {**data, "claims": said, "summary": self.summary(), "changed": not self.empty, "rows": rows}

    def _claims_named(self) -> list[str]:
        """Every claim the changes name, once."""
        named = [c for f in self.figures for c in (*f.claims_added, *f.claims_removed)]
        return list(dict.fromkeys([*named, *self.claims_added, *self.claims_removed]))


FIGURE_KINDS = ("new", "changed", "confirmed by more sources", "no longer reported")


def _figure_kind(figure: FigureChange) -> str:
    """How a figure changed, for the summary: new, changed, confirmed (same value, more sources), gone."""
    if not figure.old:
        return "new"
    if not figure.new:
        return "no longer reported"
    return "confirmed by more sources" if figure.old == figure.new else "changed"


@cache
def schema() -> "jsonschema.protocols.Validator":
    """A validator for figures.json, read once."""
    import jsonschema  # imported here: 0.3 s, which a build found up to date never needs

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


FAST_CHECK_CHARS = 1_000_000  # a figures.json larger than this is checked by fastjsonschema first


def _schema_errors(data, size: int) -> list:
    """jsonschema's errors, in order of place. A large document that fastjsonschema finds valid has none: it is
    never more lenient (tests/report/test_figures_file.py) and 15 times as fast (10^5 claims: 50 s -> 3.4 s);
    a small one is not given to it, whose compiling (0.1 s) would cost more than it saves."""
    if size > FAST_CHECK_CHARS and fast_valid(data):
        return []
    return sorted(schema().iter_errors(data), key=lambda e: list(e.absolute_path))


def fast_valid(data) -> bool:
    """Whether fastjsonschema finds the document valid against figures.schema.json."""
    import fastjsonschema  # imported here, as jsonschema

    try:
        _fast_schema()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@cache
def _fast_schema():
    """figures.schema.json compiled by fastjsonschema, as draft 7 (it knows no later draft; the schema uses
    draft 7's keywords only), without its relative $id (which it would try to fetch)."""
    import fastjsonschema  # imported here: only a large figures.json is given to it

    definition = {k: v for k, v in json.loads(SCHEMA.read_text(encoding="utf-8")).items() if k != "$id"}
    return fastjsonschema.compile({**definition, "$schema": "http://json-schema.org/draft-07/schema#"})


def figures_text(document: dict) -> str:
    """figures.json's text: what the report's last cell records in the notebook, and the build writes as it is.

    Recorded as one string, not as nested data: papermill saves the notebook after every cell, and one
    string is written in a fraction of a second where 10^5 claims as nested data took about 9 s a save.
    """
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"  # as the notebook had it


def read_figures(path: Path) -> dict:
    """A figures.json (or the one in a report folder), checked against its schema; each figure's id once."""
    path = Path(path)
    if path.is_dir():
        path = path / FIGURES_FILE
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        problems = _schema_errors(data, len(text))
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
    """The changes from one report's figures to another's (either may be a version 1 file, without names)."""
    was, now = _disagreements(old), _disagreements(new)
    claims_old, claims_new = old.get("claims", {}), new.get("claims", {})
    known = "claims" in old and "claims" in new  # a version 1 file lists no claims
    return Changes(
        old_as_of=old["as_of"],
        new_as_of=new["as_of"],
        sources_added=sorted(set(new["sources"]) - set(old["sources"])),
        sources_removed=sorted(set(old["sources"]) - set(new["sources"])),
        figures=_figure_changes(old["figures"], new["figures"]),
        disagreements_opened=[d for k, d in now.items() if k not in was],
        disagreements_resolved=[d for k, d in was.items() if k not in now],
        disagreements_widened=[d for k, d in now.items() if k in was and d["source_ids"] != was[k]["source_ids"]],
        claims_added=_about_subject(claims_new, claims_old) if known else [],
        claims_removed=_about_subject(claims_old, claims_new) if known else [],
        source_details={**old.get("source_details", {}), **new.get("source_details", {})},
        claims={**claims_old, **claims_new},
    )


def _about_subject(claims: dict[str, dict], other: dict[str, dict]) -> list[str]:
    """The claims about the report's subject that the other report does not know."""
    return sorted(c for c, claim in claims.items() if claim["about_subject"] and c not in other)


def _disagreements(document: dict) -> dict[str, dict]:
    """The disagreements by what they are about (the id without its claims: a new claim joining one is no new one);
    those about the same thing are one, between all their sources."""
    found: dict[str, dict] = {}
    for d in document["disagreements"]:
        key = ":".join(d["id"].split(":")[:2])
        seen = found.setdefault(key, {**d, "source_ids": []})
        seen["source_ids"] = sorted(set(seen["source_ids"]) | set(d["source_ids"]))
    return found


def _figure_changes(old: list[dict], new: list[dict]) -> list[FigureChange]:
    """The figures that appeared, went away, changed, or gained or lost a claim or source."""
    before = {f["id"]: f for f in old}
    after = {f["id"]: f for f in new}
    figures = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        if a and b and _same(a, b):
            continue
        either: dict = b or a or {}  # every key comes from one of the two
        claims_a, claims_b = set(a["claim_ids"] if a else ()), set(b["claim_ids"] if b else ())
        figures.append(
            FigureChange(
                id=key,
                label=either["label"],
                old=a["display"] if a else "",
                new=b["display"] if b else "",
                claims_added=sorted(claims_b - claims_a),
                claims_removed=sorted(claims_a - claims_b),
                sources_before=list(a["source_ids"]) if a else [],
                sources_now=list(b["source_ids"]) if b else [],
            )
        )
    return figures


def _same(a: dict, b: dict) -> bool:
    """True when a reader sees no change in a figure: same value, qualifier, display, claims and sources."""
    keys = ("value", "qualifier", "display")
    same_value = all(a[k] == b[k] for k in keys)
    return same_value and set(a["claim_ids"]) == set(b["claim_ids"]) and set(a["source_ids"]) == set(b["source_ids"])


def to_markdown(changes: Changes) -> str:
    """The summary and a Markdown table."""
    lines = [changes.summary()[0].upper() + changes.summary()[1:] + ".", ""]
    if not changes.empty:
        lines += ["| " + " | ".join(COLUMNS) + " |", "| --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in changes.rows()]
    return "\n".join(lines) + "\n"


def to_text(changes: Changes) -> str:
    """The summary and an aligned plain-text table, for a terminal."""
    lines = [changes.summary()]
    rows = changes.rows()
    if rows:
        widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
        lines += [
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
            for r in [COLUMNS, *rows]
        ]
    return "\n".join(lines) + "\n"


def to_json(changes: Changes) -> str:
    """The changes as JSON."""
    return json.dumps(changes.record(), indent=2, ensure_ascii=False) + "\n"
