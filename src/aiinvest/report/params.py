"""Report parameters: their defaults, and validation before any work is done.

papermill only warns about an unknown parameter; this project refuses it, and every
other bad value, with a message that names the parameter and what was expected.
"""

from __future__ import annotations

import difflib
import reprlib
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..data.dates import iso_date
from ..data.problems import utf8_problem
from ..exitcodes import CommandError, ExitStatus
from .formatting import UNITS

if TYPE_CHECKING:  # pandas is imported only where data is handled: checking names stays fast
    import pandas as pd

    from ..data.registry import Tables


PAGE_SIZES = ("A4", "Letter")
VIEWS = ("subject", "race")  # a report on one company, or the race overview (every investor and developer)
RACE_ID = "race"  # the overview's folder under the output folder, and its figures.json company_id
RACE_NAME = "The whole race"  # the overview's subject, as figures.json, the citation and the log lines name it
_SHOWN = reprlib.Repr()  # a value in a message, cut short: a value may be megabytes
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict = 2, 60, 60, 4, 4


@dataclass(frozen=True)
class ReportParams:
    """The report's parameters as a user gives them (mirrors the notebook's parameters cell)."""

    company: str = "Anthropic"
    as_of: str = ""
    unit: str = "billions"
    title: str = ""  # empty: made from the subject and its role ("The AI investment race: Anthropic's funding")
    page_size: str = "A4"
    data_dir: str = ""
    previous: str = ""  # figures.json of the previous report: the build sets it
    version: str = ""  # the build's short input fingerprint: the build sets it (empty: an interactive run)
    view: str = ""  # subject (empty: the same) or race: the overview of every investor and developer


@dataclass(frozen=True)
class ResolvedParams:
    """Validated parameters, with the company resolved and the as-of date filled in."""

    company_id: str
    company_name: str
    as_of: pd.Timestamp
    unit: str
    title: str  # empty: the report makes it from the subject and its role
    page_size: str
    previous: str = ""
    version: str = ""


class ParameterError(CommandError, ValueError):
    """One or more parameters are invalid; the message lists each."""

    exit_status = ExitStatus.USAGE

    def __init__(self, problems: list[str], origin: str = "parameters"):
        self.problems = problems
        super().__init__(f"invalid {origin}:\n" + "\n".join(f"  {p}" for p in problems))


def read_params_file(path: Path) -> dict:
    """Parameters from a YAML file: a mapping of name to value, each name once, without anchors or aliases."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParameterError([f"{path}: no such parameter file"]) from None
    except IsADirectoryError:
        raise ParameterError([f"{path}: expected a parameter file (it is a folder)"]) from None
    except OSError as error:
        raise ParameterError([f"{path}: expected a readable parameter file ({error.strerror})"]) from None
    if problem := utf8_problem(data, str(path)):
        raise ParameterError([f"{problem}; save the parameter file as UTF-8"])
    try:
        loaded = yaml.load(data.decode("utf-8"), Loader=_ParamsLoader)  # a SafeLoader, stricter
    except yaml.YAMLError as error:
        raise ParameterError([_yaml_problem(path, error)]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError([f"{path}: expected a mapping of parameter names to values"])
    return loaded


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses, in a form a parameter file may not take; `problem` says what was expected."""


class _ParamsLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors and aliases (a few bytes can expand to gigabytes) and repeated keys."""

    def compose_node(self, parent, index):
        """Every node, unless it carries an anchor (&name) or is an alias (*name)."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            expected = "no anchors or aliases (&name, *name): give each value in full"
            raise _Refused(problem=expected, problem_mark=event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        """A mapping whose keys are each given once (PyYAML would keep the last silently)."""
        if isinstance(node, yaml.MappingNode):
            _check_unique(node)
        return super().construct_mapping(node, deep)


def _check_unique(node: yaml.MappingNode) -> None:
    """Refuse a mapping that gives a key twice (keys other than plain values: PyYAML refuses them)."""
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if (key.tag, key.value) in seen:
            first = seen[(key.tag, key.value)].start_mark.line + 1
            expected = f"each name once ({_SHOWN.repr(key.value)} is given again, first on line {first})"
            raise _Refused(problem=expected, problem_mark=key.start_mark)
        seen[(key.tag, key.value)] = key


def _yaml_problem(path: Path, error: yaml.YAMLError) -> str:
    """One line: the file, line and column where the YAML went wrong, and what was expected."""
    mark = getattr(error, "problem_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, _Refused):
        return f"{where}: expected {problem}"
    context = getattr(error, "context", None)
    said = " ".join((f"{context}: {problem}" if context else problem).split())
    return f"{where}: expected YAML ({said if len(said) <= 200 else said[:197] + '...'})"


def check_names_and_types(raw: dict) -> list[str]:
    """Problems with parameter names and value types, before looking at any data."""
    declared = {f.name: f for f in fields(ReportParams)}
    problems = []
    for name, value in raw.items():
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1) if isinstance(name, str) else []
            hint = f"; did you mean '{close[0]}'?" if close else ""
            shown = _SHOWN.repr(name) if isinstance(name, str) else f"{_SHOWN.repr(name)} ({type(name).__name__})"
            problems.append(f"{shown}: unknown parameter (known: {', '.join(declared)}){hint}")
        elif not isinstance(value, str) and not (name in {"as_of", "data_dir"} and value is None):
            if name == "as_of" and isinstance(value, date):
                continue  # YAML reads an unquoted 2024-03-27 as a date
            shown = f"{_SHOWN.repr(value)} ({type(value).__name__})"
            expected = "a date written YYYY-MM-DD" if name == "as_of" else "text"
            problems.append(f"'{name}': value {shown}: expected {expected}")
    return problems


# The columns resolve() reads of the large tables; the others it reads whole.
COLUMNS_NEEDED = {"investments": ["investor_id", "investee_id", "source_id"]}


def resolve(raw: dict, tables: Tables) -> ResolvedParams:
    """Validate parameters against the data; raise ParameterError listing every problem."""
    problems = check_names_and_types(raw)
    if problems:
        raise ParameterError(problems)
    given = {k: (v.isoformat() if isinstance(v, date) else ("" if v is None else v)) for k, v in raw.items()}
    params = ReportParams(**given)
    if params.unit not in UNITS:
        problems.append(f"'unit': value {_SHOWN.repr(params.unit)}: expected one of {', '.join(UNITS)}")
    if params.page_size not in PAGE_SIZES:
        problems.append(f"'page_size': value {_SHOWN.repr(params.page_size)}: expected one of {', '.join(PAGE_SIZES)}")
    if params.title and not params.title.strip():
        problems.append(f"'title': value {_SHOWN.repr(params.title)}: expected a title, or nothing")
    problems += _view_problems(params, raw)
    as_of = _resolve_as_of(params.as_of, tables["sources"]["published_date"], problems)
    from ..analysis.asof import tables_as_of  # imported here: pandas, as above

    company: tuple[str, str] | None = (RACE_ID, RACE_NAME)
    if not is_race(raw) and as_of is not None:
        company = _resolve_company(params.company, tables_as_of(tables, as_of), as_of, problems)
    if problems or company is None or as_of is None:  # neither is missing without a problem that says why
        raise ParameterError(problems)
    p = params
    return ResolvedParams(company[0], company[1], as_of, p.unit, p.title.strip(), p.page_size, p.previous, p.version)


def merged(from_file: dict, overrides: dict) -> dict:
    """A parameter file's values with the overrides; the file's title only for the subject the file was written for.

    A title names its subject ("... Anthropic's funding"): when an override changes the company (its name or
    id, compared without case), the file's title is dropped and the report makes one from the new subject.
    """
    params = {**from_file, **overrides}
    if "title" in from_file and "title" not in overrides and "company" in overrides:
        written_for = str(from_file.get("company") or ReportParams.company).strip().casefold()
        if str(overrides["company"]).strip().casefold() != written_for:
            del params["title"]
    return params


def _view_problems(params: ReportParams, raw: dict) -> list[str]:
    """A view that does not exist, or a company named for the race overview (which is about every company)."""
    if params.view and params.view not in VIEWS:
        return [f"'view': value {_SHOWN.repr(params.view)}: expected one of {', '.join(VIEWS)}"]
    if is_race(raw) and str(raw.get("company") or "").strip():
        shown = _SHOWN.repr(params.company)
        return [f"'company': value {shown}: expected none with view race (it shows every company)"]
    return []


def is_race(params: dict) -> bool:
    """Whether the parameters ask for the race overview rather than a report on one company."""
    return str(params.get("view") or "").strip() == "race"


def subject_label(params: dict) -> str:
    """How log lines name a build: its subject as given (and its date, when given), not the parameter file."""
    company = RACE_NAME if is_race(params) else str(params.get("company") or ReportParams.company).strip()
    as_of = params.get("as_of")
    return f"{company} as of {as_of}" if as_of else company


def _resolve_as_of(given: str, published: pd.Series, problems: list[str]) -> pd.Timestamp | None:
    """The report's date: the newest source's publication by default; None (with a problem) if out of range."""
    import pandas as pd  # imported here: 1 s, which checking names and types (every build) never needs

    if not given:
        return published.max()
    day = iso_date(given)
    if day is None:
        problems.append(f"'as_of': value {_SHOWN.repr(given)}: expected a date written YYYY-MM-DD")
        return None
    as_of = pd.Timestamp(day)
    if as_of < published.min():
        first = published.min().date().isoformat()
        problems.append(
            f"'as_of': value {_SHOWN.repr(given)}: expected a date on or after {first}, "
            "the earliest source date (there is no data before it)"
        )
        return None
    if as_of > min(published.max(), pd.Timestamp(date.today())):
        newest = published.max().date().isoformat()
        problems.append(
            f"'as_of': value {_SHOWN.repr(given)}: expected a date on or before {newest}, the newest source's "
            "publication (a later date would claim a knowledge of events the data does not have; leave "
            "as_of empty for a report as of the newest source)"
        )
        return None
    return as_of


def _resolve_company(wanted: str, tables: Tables, as_of: pd.Timestamp, problems: list[str]) -> tuple[str, str] | None:
    """Any company of companies.csv that a source known on the date mentions, by id or name (without case).

    A company with figures gets them; one the sources only mention gets what they say of it.
    """
    companies = tables["companies"]
    match = companies[(companies["company_id"] == wanted) | (companies["name"].str.casefold() == wanted.casefold())]
    if match.empty:
        options = ", ".join(companies["name"])
        problems.append(f"'company': value {_SHOWN.repr(wanted)}: expected a company in the data ({options})")
        return None
    company_id, name = match.iloc[0]["company_id"], match.iloc[0]["name"]
    known = mentioned(tables)
    if company_id not in known:
        day = as_of.date().isoformat()
        options = ", ".join(companies.loc[companies["company_id"].isin(known), "name"])
        problems.append(
            f"'company': value {_SHOWN.repr(wanted)}: expected a company that a source published on or before {day} "
            f"mentions (no source known then mentions {name}; they mention {options})"
        )
        return None
    return company_id, name


def mentioned(tables: Tables) -> set[str]:
    """The companies the known sources mention: in companies.csv (by the row's source), a claim or an event."""
    companies = tables["companies"]
    found = set(companies.loc[companies["source_id"].isin(tables["sources"]["source_id"]), "company_id"])
    found |= set(tables["investments"]["investee_id"]) | set(tables["investments"]["investor_id"])
    found |= set(tables["valuations"]["company_id"]) | set(tables["funding_totals"]["company_id"])
    found |= set(tables["statements"]["company_id"]) | set(tables["statements"]["counterparty_id"].dropna())
    return found | set(tables["event_parties"]["company_id"])
