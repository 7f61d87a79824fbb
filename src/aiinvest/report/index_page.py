"""The index of all reports (OUTPUT/index.html) in readers' words: one table per subject, newest report first.

The pipeline reads the published folders (pipeline/index.py) and hands each report here as a `Published`;
every word comes from what the builds recorded in their manifests (title, as-of date, build time, what changed).
Links are relative to the index's folder, so the folder works copied, zipped or served as it is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from ..config import TEMPLATES_DIR
from .changes import NO_CHANGE
from .formatting import MONTHS, format_day, plural
from .params import RACE_ID

PRODUCT = "The AI investment race"  # the reports' title prefix (about.TITLE_PREFIX, which loads pandas)
INDEX_TITLE = f"{PRODUCT}: all reports"
FILES = {"html": "Report (HTML)", "pdf": "Print (PDF)", "figures": "Figures (JSON)"}  # each link's words
COLUMNS = ("Data as of", "Built", "Files", "What changed since the report before")
NOT_RECORDED = "Not recorded (built by an earlier version)"
FIRST = "First report on this subject here"


@dataclass(frozen=True)
class Published:
    """One published report, as its folder records it."""

    subject: str  # the subject's folder name (its id): reports are grouped by it
    as_of: str  # ISO date: the folder's name
    title: str  # the report's own title
    built_at: str = ""  # ISO date and time of the build (UTC), "" when not recorded
    changes: dict | None = None  # {"previous_as_of", "summary"}; None: the first report; see `recorded`
    recorded: bool = True  # False: built before builds recorded what changed
    files: dict[str, str] = field(default_factory=dict)  # kind (html, pdf, figures) -> its file name in the folder

    def link(self, kind: str, folder: str = "") -> str:
        """The relative link to one of its files, through its dated folder (or another name, such as `latest`)."""
        return "/".join(quote(part) for part in (self.subject, folder or self.as_of, self.files[kind]))


@dataclass(frozen=True)
class Subject:
    """One subject's reports, newest first, and the link to its latest report."""

    key: str  # an HTML id for its heading
    title: str
    reports: list[Published]
    latest: Published | None  # the report the subject's `latest` name points at


def when_built(stamp: str) -> str:
    """'2 December 2026, 10:12 UTC' from an ISO time; 'not recorded' when missing or unreadable."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return "not recorded"
    clock = f", {moment:%H:%M} UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return f"{moment.day} {MONTHS.split()[moment.month - 1]} {moment.year}{clock}"


def day(iso: str) -> str:
    """'27 March 2024' from '2024-03-27'; the text itself when it is no date."""
    try:
        return format_day(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso


def what_changed(report: Published) -> str:
    """One line: what changed since the report before this one, as the build recorded it."""
    if not report.recorded:
        return NOT_RECORDED
    if not report.changes:
        return FIRST
    previous, summary = report.changes.get("previous_as_of", ""), report.changes.get("summary", "")
    before = "the earlier build of this date" if previous == report.as_of else f"the report as of {day(previous)}"
    if summary == NO_CHANGE:
        return f"No change since {before}"
    return f"Since {before}: {summary}"


def heading(title: str) -> str:
    """A subject's heading: its report's title without the product's name, which the page's title gives."""
    short = title.removeprefix(f"{PRODUCT}: ").strip()
    return short[:1].upper() + short[1:] if short else title


def lead(subjects: list[Subject]) -> str:
    """The sentence under the heading: what this page is, counted."""
    if not subjects:
        return "No report has been published in this folder yet."
    count = plural(sum(len(s.reports) for s in subjects), "report")
    return (
        f"{count} on {plural(len(subjects), 'subject')} published in this folder, newest first for each subject; "
        "each report uses only the sources published by its “data as of” date. Every link is relative: "
        "the folder works offline, copied, zipped or served as it is."
    )


def subjects_of(reports: list[Published], latest: dict[str, str]) -> list[Subject]:
    """The reports grouped by subject, newest first; subjects in the order of their titles."""
    grouped: dict[str, list[Published]] = {}
    for report in reports:
        grouped.setdefault(report.subject, []).append(report)
    subjects = []
    for number, (name, found) in enumerate(sorted(grouped.items())):
        found.sort(key=lambda r: r.as_of, reverse=True)
        newest = next((r for r in found if r.as_of == latest.get(name)), None)
        subject = Subject(f"subject-{number + 1}", heading((newest or found[0]).title), found, newest)
        subjects.append((name != RACE_ID, subject))
    # The race overview first (readers who follow the race start there), then each subject by its title.
    ordered = sorted(subjects, key=lambda pair: (pair[0], pair[1].title.casefold(), pair[1].key))
    return [subject for _, subject in ordered]


def render_index(reports: list[Published], latest: dict[str, str], state: str = "") -> str:
    """The index page: a heading, what it is, then one table per subject (`latest`: subject -> its latest date).

    `state` is written into a comment: the pipeline compares it with the folder's to know the page is current.
    """
    import jinja2  # imported here: only a build that writes the index needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "index"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    subjects = subjects_of(reports, latest)
    return env.get_template("index.html.j2").render(
        title=INDEX_TITLE,
        lead=lead(subjects),
        subjects=subjects,
        columns=COLUMNS,
        files=FILES,
        day=day,
        when_built=when_built,
        what_changed=what_changed,
        state=state,
    )
