"""What changed between two builds that differ by one added (invented) article: figures.json, the report's
"Changes since the previous report", the build's summary, `aiinvest build --dry-run` and `aiinvest diff`."""

import functools
import json
import subprocess
import sys

import jsonschema
import pytest
from bs4 import BeautifulSoup
from fixtures.builds import writable_copy
from fixtures.later import seed_with

from aiinvest import exitcodes
from aiinvest.config import PACKAGE_DIR

SCHEMA = json.loads((PACKAGE_DIR / "report" / "figures.schema.json").read_text(encoding="utf-8"))


def aiinvest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aiinvest.cli", *args], capture_output=True, text=True)


def in_process(capsys, *args: str) -> subprocess.CompletedProcess:
    """The command line run in this process (its exit status and output), as `aiinvest` runs it."""
    from aiinvest.cli import main

    try:
        status = main(list(args))
    except SystemExit as exit:  # argparse's refusals
        status = exit.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, out, err)


def listing(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".locks" not in p.parts)


@pytest.fixture(scope="module")
def builds(tmp_path_factory, built_report):
    """The seed data built (a copy of the shared report); then art-101 (invented, June 2024) added to a copy of the
    seeds, previewed, and built again (HTML only: what is compared is figures.json and the page)."""
    root = tmp_path_factory.mktemp("changes")
    data, out = root / "data", writable_copy(built_report.folder.parent.parent, root / "reports")
    seed_with(data, ["art-101"])
    before = listing(out)
    dry = aiinvest("--data-dir", str(data), "build", "--dry-run", "-o", str(out))
    after_dry = listing(out)
    second = aiinvest("--data-dir", str(data), "build", "-o", str(out), "--formats", "html")
    assert second.returncode == 0, second.stderr
    company = out / "anthropic"
    return {
        "first": company / "2024-03-27",
        "second": company / "2024-06-15",
        "dry": dry,
        "second_run": second,
        "unchanged_by_dry_run": before == after_dry,
    }


def test_every_build_writes_figures_json_valid_against_its_schema(builds):
    for name in ("first", "second"):
        figures = json.loads((builds[name] / "figures.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(SCHEMA).validate(figures)
    assert figures["as_of"] == "2024-06-15" and "art-101" in figures["sources"]


def test_the_reports_numbers_and_figures_json_agree(builds):
    figures = json.loads((builds["first"] / "figures.json").read_text(encoding="utf-8"))
    soup = BeautifulSoup((builds["first"] / "report.html").read_text(encoding="utf-8"), "html.parser")
    table = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("table.key-figures tbody tr")
    ]
    assert [(row[0], row[1]) for row in table] == [(f["label"], f["display"]) for f in figures["figures"]]
    total = next(f for f in figures["figures"] if f["id"] == "funding:anthropic")
    assert (total["value"], total["qualifier"], total["claim_ids"]) == (10e9, "at_least", ["tot-01"])


def test_the_second_report_says_what_changed_since_the_first(builds):
    html = (builds["second"] / "report.html").read_text(encoding="utf-8")
    section = BeautifulSoup(html, "html.parser").find(id="section-changes").find_parent("div").find_next("table")
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert (
        "Changes since the previous report" in text
        and "Compared with the previous report (as of 27 March 2024)" in text
    )
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in section.select("tbody tr")]
    names = json.loads((builds["second"] / "figures.json").read_text(encoding="utf-8"))["source_details"]
    new_source = f"Source: {names['art-101']['name']}"
    assert [new_source, "not used", "used", "published after the previous report's date"] in rows
    google = next(r for r in rows if r[0].startswith("Google in Anthropic, in all"))
    assert google[1:3] == ["$2B", "$3B"] and google[3].startswith("added: “Google has put another $1 billion")
    changes_text = section.get_text(" ")
    assert not any(code in changes_text for code in ("art-", "inv-", "tot-", "anthropic-"))  # words, not codes
    first = (builds["first"] / "report.html").read_text(encoding="utf-8")
    assert "section-changes" not in first  # the first report of its kind has no earlier one


def test_the_build_prints_the_same_summary_and_table(builds):
    printed = builds["second_run"].stdout
    assert (
        "since the report as of 2024-03-27: 1 new source (INVENTED FOR TESTS (not real news), 15 June 2024)" in printed
    )
    assert "Google in Anthropic, in all" in printed and "$3B" in printed


def test_a_dry_run_previews_the_same_changes_and_publishes_nothing(builds):
    assert builds["dry"].returncode == 0 and builds["unchanged_by_dry_run"]
    assert "nothing was rendered or published" in builds["dry"].stdout
    assert "1 new source (INVENTED FOR TESTS (not real news), 15 June 2024)" in builds["dry"].stdout


@pytest.mark.parametrize("form", ["table", "markdown", "json"])
def test_diff_compares_two_builds_and_exits_like_diff(builds, form, capsys):
    command = aiinvest if form == "table" else functools.partial(in_process, capsys)  # one as a process: its status
    changed = command("diff", str(builds["first"]), str(builds["second"]), "--format", form)
    assert changed.returncode == exitcodes.CHANGED, changed.stderr
    same = command("diff", str(builds["second"]), str(builds["second"] / "figures.json"), "--format", form)
    assert same.returncode == exitcodes.OK
    if form == "json":
        record = json.loads(changed.stdout)
        assert record["changed"] and record["sources_added"] == ["art-101"]
    else:
        assert "15 June 2024" in changed.stdout and "$2B" in changed.stdout and "$3B" in changed.stdout
        assert "art-101" not in changed.stdout  # readers' names, not source ids


def test_diff_refuses_what_is_not_a_report(builds, tmp_path, capsys):
    assert in_process(capsys, "diff", str(tmp_path), str(builds["second"])).returncode == exitcodes.USAGE
    broken = tmp_path / "figures.json"
    broken.write_text('{"version": 1}', encoding="utf-8")
    refused = in_process(capsys, "diff", str(broken), str(builds["second"]))
    assert refused.returncode == exitcodes.DATA and "figures.json" in refused.stderr
