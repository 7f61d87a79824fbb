"""Command-line interface of the aiinvest package."""

import argparse
import math
import os
import sys
from datetime import date
from pathlib import Path

from . import exitcodes
from .config import DATA_DIR, NOTEBOOKS_DIR, PARAMS_DIR, REPORTS_DIR, display
from .curate.draft import DraftError, DraftUsageError, accept_review, accept_summary, draft_article, draft_summary
from .curate.register import Registration, RegistrationError, register_article
from .data.schema import rehash
from .data.validate import DataValidationError, validate_package
from .pipeline import BuildRequest, build_many, configure_logging, preview
from .pipeline.manifest import REPORT_NOTEBOOK
from .report.changes import FIGURES_FILE, FiguresError, compare, read_figures, to_json, to_markdown, to_text
from .report.params import ParameterError, read_params_file


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)


class _Parser(argparse.ArgumentParser):
    """argparse, exiting with the usage status of sysexits (64) rather than 2 on a bad command line."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aiinvest", description=__doc__)
    parser.add_argument("--data-dir", type=Path, help=f"data folder, for every command (default: {display(DATA_DIR)})")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="validate the curated data package")
    validate.set_defaults(run=_validate)

    rehash = sub.add_parser("rehash", help="record each curated CSV's SHA-256 after a reviewed edit")
    rehash.set_defaults(run=_rehash)

    build = sub.add_parser(
        "build",
        help="build the report (HTML, PDF, executed notebook, figures, manifest)",
        description="Build reports atomically into OUTPUT/<company>/<as-of date>/, with OUTPUT/<company>/latest "
        "pointing at the newest. Exit statuses: 0 built or up to date, 64 bad command line or parameters, "
        "65 invalid data, 70 build failed, 75 another build held the lock too long.",
    )
    build.add_argument(
        "params_files",
        nargs="*",
        type=Path,
        metavar="PARAMS.yaml",
        help="parameter files (default: params/anthropic.yaml); several build in parallel",
    )
    build.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one parameter (repeatable)",
    )
    build.add_argument(
        "--formats",
        default="html,pdf",
        help="comma-separated formats: html, pdf (default: %(default)s)",
    )
    build.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=REPORTS_DIR,
        help="output folder (default: %(default)s)",
    )
    build.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    build.add_argument(
        "--dry-run",
        action="store_true",
        help="validate, reconcile and print what would change against the published report; render and publish nothing",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=_whole_number,
        default=os.cpu_count() or 1,
        help="parameter files built at once (default: the number of cores, %(default)s)",
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
    build.add_argument("--notebook", type=Path, default=REPORT_NOTEBOOK, help=argparse.SUPPRESS)
    build.set_defaults(run=_build)

    notebooks = sub.add_parser(
        "notebooks", help="check that committed notebooks match their jupytext pairs (outputs: nbstripout)"
    )
    notebooks.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    notebooks.set_defaults(run=_notebooks)

    kernel = sub.add_parser("install-kernel", help="register this environment's Jupyter kernel 'aiinvest'")
    kernel.set_defaults(run=_install_kernel)

    docs = sub.add_parser("docs", help="regenerate data/README.md from the descriptor")
    docs.add_argument("--check", action="store_true", help="only check that it is up to date")
    docs.set_defaults(run=_docs)

    diff = sub.add_parser(
        "diff",
        help="compare two reports' figures (report folders or figures.json files)",
        description="Print what changed from OLD to NEW: sources, figures (old -> new, with the claims behind), "
        "disagreements opened or resolved. Exit statuses: 0 nothing changed, 1 something changed (like diff), "
        "64 a path that is not a report folder or figures.json, 65 a figures.json that fails its schema.",
    )
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--format", choices=("table", "markdown", "json"), default="table", help="(default: table)")
    diff.set_defaults(run=_diff)

    register = sub.add_parser("register-article", help="copy an article into data/raw/ and add its sources row")
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
    register.set_defaults(run=_register)

    draft = sub.add_parser(
        "draft",
        help="draft claim rows from a registered article into a review file; --accept appends the accepted ones",
        description="Draft: read the article of ARTICLE_ID and write a review file (default drafts/ARTICLE_ID.csv "
        "beside the data folder), one candidate row per dollar amount and figureless statement, with a 'why' "
        "column and an empty 'decision' column (accept, edit or drop). --accept FILE appends the accepted rows "
        "with the next free ids, re-records the hashes and validates; on any problem nothing changes (exit 65).",
    )
    draft.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", help="source id of a registered article")
    draft.add_argument("--accept", type=Path, metavar="FILE", help="append the rows of a review file marked accept")
    draft.add_argument("-o", "--output", type=Path, help="review file to write (default: drafts/ARTICLE_ID.csv)")
    draft.add_argument("--force", action="store_true", help="overwrite an existing review file")
    draft.set_defaults(run=_draft)
    return parser


def _whole_number(text: str) -> int:
    """--jobs."""
    return _positive(text, int, "a whole number, at least 1")


def _whole_seconds(text: str) -> int:
    """--cell-timeout: nbclient counts whole seconds."""
    return _positive(text, int, "a whole number of seconds, at least 1")


def _seconds(text: str) -> float:
    """--lock-timeout, --validation-timeout."""
    return _positive(text, float, "a number of seconds greater than 0")


def _positive(text: str, kind: type, expected: str) -> float:
    """An option's value as `kind`, finite and greater than 0; else a usage error (exit status 64)."""
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
    return value


def _data_dir(args) -> Path:
    """The data folder: --data-dir, else the project's."""
    return args.data_dir or DATA_DIR


def _validate(args) -> int:
    problems = validate_package(_data_dir(args))
    if problems:
        print(f"{len(problems)} problem(s) in the curated data:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return exitcodes.DATA
    print("data package valid: schemas, keys, hashes and quotes all check out")
    return exitcodes.OK


def _rehash(args) -> int:
    try:
        changed = rehash(_data_dir(args))
    except DataValidationError as error:  # an unusable descriptor or file: nothing was changed
        print(f"error: {error}", file=sys.stderr)
        return exitcodes.DATA
    print(f"updated hashes: {', '.join(changed)}" if changed else "hashes already up to date")
    return _validate(args)


def _build(args) -> int:
    progress = sys.stderr.isatty()
    configure_logging(progress)
    files = args.params_files or [PARAMS_DIR / "anthropic.yaml"]
    overrides = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            print(f"error: -p {item!r}: expected NAME=VALUE", file=sys.stderr)
            return exitcodes.USAGE
        overrides[name.strip()] = value
    if args.data_dir is not None:  # the global option, unless -p data_dir= names another folder
        given = overrides.setdefault("data_dir", str(args.data_dir))
        if Path(given or DATA_DIR).resolve() != args.data_dir.resolve():
            print(f"error: --data-dir {args.data_dir} and -p data_dir={given} name different folders", file=sys.stderr)
            return exitcodes.USAGE
    requests = []
    for path in files:
        try:
            params = {**read_params_file(path), **overrides}
        except ParameterError as error:
            print(f"error: {error}", file=sys.stderr)
            return exitcodes.PARAMETERS
        requests.append(
            BuildRequest(
                params=params,
                label=path.stem,
                formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()),
                output_dir=args.output_dir,
                force=args.force,
                cell_timeout=args.cell_timeout,
                lock_timeout=args.lock_timeout,
                validation_timeout=args.validation_timeout,
                notebook=args.notebook,
                progress=progress and len(files) == 1,
            )
        )
    results = [preview(r) for r in requests] if args.dry_run else build_many(requests, args.jobs)
    for request, result in zip(requests, results, strict=True):
        if result.status != exitcodes.OK:
            print(f"error: {request.label}: {result.message}", file=sys.stderr)
            continue
        print(f"{request.label}: {result.message}")
        for kind, path in result.outputs.items():
            print(f"  {kind:9} {display(path)}")
        if result.changes:
            print(result.changes, end="")
    return max((r.status for r in results), default=exitcodes.OK)


def _diff(args) -> int:
    for path in (args.old, args.new):
        if not (path.is_file() or (path / FIGURES_FILE).is_file()):
            print(f"error: {path}: expected a report folder holding figures.json, or a figures.json", file=sys.stderr)
            return exitcodes.USAGE
    try:
        changes = compare(read_figures(args.old), read_figures(args.new))
    except FiguresError as error:
        print(f"error: {error}", file=sys.stderr)
        return exitcodes.DATA
    print({"table": to_text, "markdown": to_markdown, "json": to_json}[args.format](changes), end="")
    return exitcodes.OK if changes.empty else exitcodes.CHANGED


def _notebooks(args) -> int:
    from .nbhygiene import check_pair  # imported here: jupytext, 0.7 s, which no other command needs

    paths = args.paths or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    problems = [problem for path in paths for problem in check_pair(path)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return exitcodes.DATA if problems else exitcodes.OK


def _install_kernel(args) -> int:
    from .kernel import install_kernel  # imported here: ipykernel, 0.3 s, which no other command needs

    print(f"installed kernel 'aiinvest' in {install_kernel()}")
    return exitcodes.OK


def _docs(args) -> int:
    from .report.datadoc import render_data_readme  # imported here: pandas and the analysis, 0.6 s

    target = _data_dir(args) / "README.md"
    text = render_data_readme(_data_dir(args))
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run 'make docs'", file=sys.stderr)
            return exitcodes.DATA
        return exitcodes.OK
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return exitcodes.OK


def _register(args) -> int:
    try:
        fields = ("published", "precision", "inferred", "date_note", "source_id", "title", "publisher", "url")
        row = register_article(args.article, _data_dir(args), Registration(**{f: getattr(args, f) for f in fields}))
    except RegistrationError as error:
        print(f"error: {error}", file=sys.stderr)
        return exitcodes.DATA
    except DataValidationError as error:
        print(
            f"error: registering would make the data invalid; nothing was changed.\n{error}",
            file=sys.stderr,
        )
        return exitcodes.DATA
    print(f"registered {row['source_id']}: {row['file']} (sha256 {row['sha256']})")
    return exitcodes.OK


def _draft(args) -> int:
    if (args.article_id is None) == (args.accept is None) or (args.accept and (args.output or args.force)):
        print("error: draft takes ARTICLE_ID [-o FILE] [--force], or --accept FILE", file=sys.stderr)
        return exitcodes.USAGE
    try:
        if args.accept:
            print(accept_summary(accept_review(_data_dir(args), args.accept)))
        else:
            print(draft_summary(*draft_article(_data_dir(args), args.article_id, args.output, force=args.force)))
    except DraftUsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return exitcodes.USAGE
    except DraftError as error:
        print(f"error: {error}", file=sys.stderr)
        return exitcodes.DATA
    except DataValidationError as error:
        print(f"error: accepting would make the data invalid; nothing was changed.\n{error}", file=sys.stderr)
        return exitcodes.DATA
    return exitcodes.OK


def run() -> None:
    """The `aiinvest` command."""
    sys.exit(main())


if __name__ == "__main__":
    run()
