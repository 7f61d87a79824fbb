"""Command-line interface of the aiinvest package."""

# Each command imports its stage when it runs: `aiinvest --help`, and a build that finds its report up to
# date, load none of pandas, jsonschema, papermill or the drafting code (tests/test_cli_imports.py).

import argparse
import functools
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .config import DATA_DIR, NOTEBOOKS_DIR, PARAMS_DIR, REPORTS_DIR, display
from .data.problems import DataValidationError
from .exitcodes import CommandError, ExitStatus, epilog

if TYPE_CHECKING:
    from .pipeline import BuildRequest, BuildResult

REFERENCE_WIDTH = 100  # the README's command reference is wrapped at this width, whatever the terminal's


class UsageError(CommandError):
    """The command line asks for something the command cannot do."""

    exit_status = ExitStatus.USAGE


class InvalidChange(CommandError):
    """The change a command would make leaves the data invalid; every file was left as it was."""

    exit_status = ExitStatus.DATA


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (an expected failure prints `error: <message>`)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_status


class _Parser(argparse.ArgumentParser):
    """argparse, exiting with the usage status of sysexits (64) rather than 2 on a bad command line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands: dict[str, argparse.ArgumentParser] = {}  # the subcommands' parsers, by name

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitStatus.USAGE, f"{self.prog}: error: {message}\n")


def build_parser(width: int | None = None) -> _Parser:
    """The command line's parser; its help is `width` columns wide (default: the terminal's width)."""
    formatter = functools.partial(argparse.HelpFormatter, width=width)
    parser = _Parser(prog="aiinvest", description=__doc__, formatter_class=formatter)
    parser.add_argument("--data-dir", type=Path, help="data folder, for every command (default: the project's data/)")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: Callable, help: str, description: str | None = None) -> argparse.ArgumentParser:
        """A command, with its exit statuses as the epilog of its help."""
        parsed = sub.add_parser(
            name, help=help, description=description, epilog=epilog(name), formatter_class=formatter
        )
        parsed.set_defaults(run=run)
        parser.commands[name] = parsed
        return parsed

    command("validate", _validate, "validate the curated data package")
    command("rehash", _rehash, "record each curated CSV's SHA-256 after a reviewed edit")
    _build_options(
        command(
            "build",
            _build,
            "build the report (HTML, PDF, executed notebook, figures, manifest)",
            "Build reports atomically into OUTPUT/<company>/<as-of date>/, with OUTPUT/<company>/latest "
            "pointing at the newest, and OUTPUT/index.html listing every report in OUTPUT.",
        )
    )
    notebooks = command(
        "notebooks", _notebooks, "check that committed notebooks match their jupytext pairs (outputs: nbstripout)"
    )
    notebooks.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    command("install-kernel", _install_kernel, "register this environment's Jupyter kernel 'aiinvest'")
    docs = command("docs", _docs, "regenerate data/README.md from the descriptor")
    docs.add_argument("--check", action="store_true", help="only check that it is up to date")
    diff = command(
        "diff",
        _diff,
        "compare two reports' figures (report folders or figures.json files)",
        "Print what changed from OLD to NEW: sources, figures (old -> new, with the claims behind), "
        "disagreements opened or resolved.",
    )
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--format", choices=("table", "markdown", "json"), default="table", help="(default: table)")
    _register_options(command("register-article", _register, "copy an article into data/raw/ and add its sources row"))
    _draft_options(
        command(
            "draft",
            _draft,
            "draft claim rows from a registered article into a review file; --accept appends the accepted ones",
            "Draft: read the article of ARTICLE_ID and write a review file (default drafts/ARTICLE_ID.csv beside "
            "the data folder), one candidate row per dollar amount and figureless statement, with a 'why' column "
            "and an empty 'decision' column (accept, edit or drop). --accept FILE appends the accepted rows with "
            "the next free ids, re-records the hashes and validates; on any problem nothing changes.",
        )
    )
    return parser


def _build_options(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "params_files",
        nargs="*",
        type=Path,
        metavar="PARAMS.yaml",
        help="parameter files (default: params/anthropic.yaml); several build in parallel",
    )
    build.add_argument(
        "-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="override one parameter (repeatable)"
    )
    build.add_argument(
        "--formats",
        type=_formats,
        default="html,pdf",
        help="comma-separated formats: html, pdf (default: %(default)s)",
    )
    build.add_argument(
        "-o", "--output-dir", type=Path, default=REPORTS_DIR, help="output folder (default: the project's reports/)"
    )
    build.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    build.add_argument(
        "--dry-run",
        action="store_true",
        help="validate, reconcile and print what would change against the published report; render and publish "
        "nothing (not the index either)",
    )
    build.add_argument(
        "-j", "--jobs", type=_whole_number, help="parameter files built at once (default: the number of cores)"
    )
    build.add_argument(
        "--cell-timeout",
        type=_whole_seconds,
        default=600,
        metavar="SECONDS",
        help="time limit per notebook cell (default: %(default)s)",
    )
    build.add_argument(
        "--lock-timeout",
        type=_seconds,
        default=1800,
        metavar="SECONDS",
        help="how long to wait for another build of the same report (default: %(default)s)",
    )
    build.add_argument(
        "--validation-timeout",
        type=_seconds,
        default=600,
        metavar="SECONDS",
        help="time limit for validating the data, which runs beside the notebook (default: %(default)s)",
    )
    build.add_argument("--notebook", type=Path, help=argparse.SUPPRESS)  # default: the report notebook


def _register_options(register: argparse.ArgumentParser) -> None:
    register.add_argument("article", type=Path, help="the article as a UTF-8 text file")
    register.add_argument(
        "--published",
        type=date.fromisoformat,
        required=True,
        metavar="YYYY-MM-DD",
        help="publication date (first day of the month or year for coarser precision)",
    )
    register.add_argument("--precision", choices=["day", "month", "year"], required=True)
    register.add_argument("--inferred", action="store_true", help="the date is inferred, not stated")
    register.add_argument("--date-note", help="where the date is stated, or how it was inferred")
    register.add_argument("--id", dest="source_id", help="source id (default: the next art-NNN)")
    register.add_argument("--title", help="headline (default: the article's first sentence)")
    register.add_argument("--publisher", default="")
    register.add_argument("--url", default="")


def _draft_options(draft: argparse.ArgumentParser) -> None:
    draft.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", help="source id of a registered article")
    draft.add_argument("--accept", type=Path, metavar="FILE", help="append the rows of a review file marked accept")
    draft.add_argument("-o", "--output", type=Path, help="review file to write (default: drafts/ARTICLE_ID.csv)")
    draft.add_argument("--force", action="store_true", help="overwrite an existing review file")


def reference(width: int = REFERENCE_WIDTH) -> str:
    """The README's command reference: the help of `aiinvest` and of every command, in Markdown."""
    parser = build_parser(width)
    sections = [("aiinvest", parser), *((f"aiinvest {name}", sub) for name, sub in parser.commands.items())]
    return "\n".join(f"### `{title}`\n\n```text\n{_stripped(sub.format_help())}```\n" for title, sub in sections)


def _stripped(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.strip("\n").splitlines())


def _whole_number(text: str) -> int:
    """--jobs."""
    return int(_positive(text, int, "a whole number, at least 1"))


def _whole_seconds(text: str) -> int:
    """--cell-timeout: nbclient counts whole seconds."""
    return int(_positive(text, int, "a whole number of seconds, at least 1"))


def _seconds(text: str) -> float:
    """--lock-timeout, --validation-timeout."""
    return _positive(text, float, "a number of seconds greater than 0")


def _formats(text: str) -> tuple[str, ...]:
    """--formats: one or more known formats, comma-separated; else a usage error (exit status 64)."""
    from .pipeline.run import FORMATS  # light: the pipeline's run object, without its stages' libraries

    given = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in given if f not in FORMATS]
    if not given or unknown:
        raise argparse.ArgumentTypeError(
            f"expected one or more of {', '.join(FORMATS)}, comma-separated, not {text!r}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    return given


def _positive(text: str, kind: type[int] | type[float], expected: str) -> float:
    """An option's value as `kind`, finite and greater than 0; else a usage error (exit status 64)."""
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
    return value


def _data_dir(args: argparse.Namespace) -> Path:
    """The data folder: --data-dir, else the project's."""
    return args.data_dir or DATA_DIR


@contextmanager
def _refusing_invalid_data(doing: str) -> Iterator[None]:
    """Report data that `doing` would make invalid (the data stage changed nothing) as a refused change."""
    try:
        yield
    except DataValidationError as error:
        raise InvalidChange(f"{doing} would make the data invalid; nothing was changed.\n{error}") from error


def _validate(args: argparse.Namespace) -> int:
    from .data.transaction import reading  # the data stage: `aiinvest --help` loads none of it
    from .data.validate import validate_package  # jsonschema and the validator: 0.3 s

    with reading(_data_dir(args)):  # rolls back a change a killed command left
        problems = validate_package(_data_dir(args))
    if problems:
        print(f"{len(problems)} problem(s) in the curated data:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return ExitStatus.DATA
    print("data package valid: schemas, keys, hashes and quotes all check out")
    return ExitStatus.OK


def _rehash(args: argparse.Namespace) -> int:
    from .data.schema import rehash  # jsonschema: 0.3 s

    changed = rehash(_data_dir(args))  # an unusable descriptor or file raises, changing nothing
    print(f"updated hashes: {', '.join(changed)}" if changed else "hashes already up to date")
    return _validate(args)


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build_many, configure_logging, preview  # the pipeline and PyYAML: 0.05 s

    progress = sys.stderr.isatty()
    configure_logging(progress)
    requests = _build_requests(args, progress)
    results = [preview(r) for r in requests] if args.dry_run else build_many(requests, args.jobs or os.cpu_count() or 1)
    for request, result in zip(requests, results, strict=True):
        _print_result(request.label, result)
    for index in sorted({r.index for r in results if r.index is not None}):
        print(f"index of all reports: {display(index)}")
    return max((r.status for r in results), default=ExitStatus.OK)


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    """The -p NAME=VALUE overrides, with the global --data-dir, which no -p data_dir= may contradict."""
    overrides = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-p {item!r}: expected NAME=VALUE")
        overrides[name.strip()] = value
    if args.data_dir is not None:
        given = overrides.setdefault("data_dir", str(args.data_dir))
        if Path(given or DATA_DIR).resolve() != args.data_dir.resolve():
            raise UsageError(f"--data-dir {args.data_dir} and -p data_dir={given} name different folders")
    return overrides


def _build_requests(args: argparse.Namespace, progress: bool) -> list["BuildRequest"]:
    """One request per parameter file (default: params/anthropic.yaml), with the overrides."""
    from .pipeline import BuildRequest  # as in _build
    from .pipeline.manifest import notebook_for  # as in _build
    from .report.params import merged, read_params_file, subject_label  # PyYAML: 0.02 s

    files = args.params_files or [PARAMS_DIR / "anthropic.yaml"]
    overrides = _overrides(args)
    given = [merged(read_params_file(path), overrides) for path in files]
    return [
        BuildRequest(
            params=params,
            label=subject_label(params),
            formats=args.formats,
            output_dir=args.output_dir,
            force=args.force,
            cell_timeout=args.cell_timeout,
            lock_timeout=args.lock_timeout,
            validation_timeout=args.validation_timeout,
            notebook=args.notebook or notebook_for(params),
            progress=progress and len(files) == 1,
        )
        for params in given
    ]


def _print_result(label: str, result: "BuildResult") -> None:
    """A build's outcome: its outputs and what changed, or `error: <label>: <message>` on standard error."""
    if result.status != ExitStatus.OK:
        print(f"error: {label}: {result.message}", file=sys.stderr)
        return
    print(f"{label}: {result.message}")
    for kind, path in result.outputs.items():
        print(f"  {kind:9} {display(path)}")
    if result.changes:
        print(result.changes, end="")


def _diff(args: argparse.Namespace) -> int:
    from .report.changes import FIGURES_FILE, compare, read_figures, to_json, to_markdown, to_text  # the report stage

    for path in (args.old, args.new):
        if not (path.is_file() or (path / FIGURES_FILE).is_file()):
            raise UsageError(f"{path}: expected a report folder holding figures.json, or a figures.json")
    changes = compare(read_figures(args.old), read_figures(args.new))
    print({"table": to_text, "markdown": to_markdown, "json": to_json}[args.format](changes), end="")
    return ExitStatus.OK if changes.empty else ExitStatus.CHANGED


def _notebooks(args: argparse.Namespace) -> int:
    from .nbhygiene import check_pair  # jupytext, 0.7 s

    paths = args.paths or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    problems = [problem for path in paths for problem in check_pair(path)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return ExitStatus.DATA if problems else ExitStatus.OK


def _install_kernel(args: argparse.Namespace) -> int:
    from .kernel import install_kernel  # ipykernel, 0.3 s

    print(f"installed kernel 'aiinvest' in {install_kernel()}")
    return ExitStatus.OK


def _docs(args: argparse.Namespace) -> int:
    from .data.transaction import changing, reading  # as in _validate
    from .report.datadoc import render_data_readme  # pandas and the analysis, 0.6 s

    target = _data_dir(args) / "README.md"
    if args.check:
        with reading(_data_dir(args)):
            text = render_data_readme(_data_dir(args))
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run 'make docs'", file=sys.stderr)
            return ExitStatus.DATA
        return ExitStatus.OK
    with changing(_data_dir(args)) as transaction:  # written as one transaction, from the data it reads
        transaction.write(target, render_data_readme(_data_dir(args)).encode("utf-8"))
        transaction.commit()
    print(f"wrote {target}")
    return ExitStatus.OK


def _register(args: argparse.Namespace) -> int:
    from .curate.register import Registration, register_article  # the curation tools and jsonschema: 0.5 s

    fields = ("published", "precision", "inferred", "date_note", "source_id", "title", "publisher", "url")
    with _refusing_invalid_data("registering"):
        row = register_article(args.article, _data_dir(args), Registration(**{f: getattr(args, f) for f in fields}))
    print(f"registered {row['source_id']}: {row['file']} (sha256 {row['sha256']})")
    return ExitStatus.OK


def _draft(args: argparse.Namespace) -> int:
    from .curate.draft import accept_review, accept_summary, draft_article, draft_summary  # as in _register

    if (args.article_id is None) == (args.accept is None) or (args.accept and (args.output or args.force)):
        raise UsageError("draft takes ARTICLE_ID [-o FILE] [--force], or --accept FILE")
    with _refusing_invalid_data("accepting"):
        if args.accept:
            print(accept_summary(accept_review(_data_dir(args), args.accept)))
        else:
            from .data.transaction import reading  # as in _validate

            with reading(_data_dir(args)):  # the data as one state
                drafted = draft_article(_data_dir(args), args.article_id, args.output, force=args.force)
            print(draft_summary(*drafted))
    return ExitStatus.OK


def run() -> None:
    """The `aiinvest` command: an interruption is one line and its status, never a traceback."""
    try:
        status = main()
    except KeyboardInterrupt:  # SIGINT, and SIGTERM while the data changes (after the rollback)
        status = ExitStatus.INTERRUPTED
        print(f"error: {status.meaning}: {status.detail}", file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    run()
