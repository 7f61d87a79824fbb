"""The index of all reports after real builds (two subjects, an invented later article) and a writer killed mid-way."""

import dataclasses
import json
import os
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixtures import seed_copy
from fixtures.later import add_article
from fixtures.notebooks import header_only
from fixtures.published import two_subjects

from aiinvest import exitcodes
from aiinvest.pipeline import BuildRequest, build
from aiinvest.pipeline.index import INDEX_NAME, refresh_index, write_index
from aiinvest.pipeline.manifest import read_manifest

pytestmark = pytest.mark.slow  # real builds, and a process killed on purpose
HERE = Path(__file__).parent
HTML_ONLY = ("html",)


class Page(HTMLParser):
    """A page's visible words (not its style) and its links."""

    def __init__(self, path: Path):
        super().__init__()
        self.words, self.hrefs, self._style = [], [], False
        self.feed(path.read_text(encoding="utf-8"))
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href"]

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.words.append(data)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """Reports built for real into one folder: the investee on the seed data, then, with an invented later
    article added, the investee again (a later date) and an investor. The index reads what the pipeline writes (the
    manifests, figures.json, the pages' titles): the cut-down report notebook gives them (fixtures.notebooks)."""
    root = tmp_path_factory.mktemp("index-builds")
    data = seed_copy(root / "data")
    out = root / "reports"
    notebook = header_only(root)

    def built(**params) -> None:
        request = BuildRequest(params={"data_dir": str(data), **params}, output_dir=out, formats=HTML_ONLY)
        result = build(dataclasses.replace(request, notebook=notebook))
        assert result.status == exitcodes.OK and result.built, result.message
        assert result.index == out / INDEX_NAME

    built(company="Anthropic")
    add_article(data, "art-101")  # published 2024-06-15
    built(company="Anthropic")
    built(company="Amazon")
    return out


def test_the_index_lists_each_subject_and_says_what_changed_in_readers_words(published):
    page = Page(published / INDEX_NAME)
    later = read_manifest(published / "anthropic" / "2024-06-15")
    assert later is not None
    new_source = json.loads((published / "anthropic" / "2024-06-15" / "figures.json").read_text())["source_details"]
    name = new_source["art-101"]["name"]
    assert later["report"]["changes"]["previous_as_of"] == "2024-03-27"
    assert later["report"]["changes"]["summary"].startswith(f"1 new source ({name})")
    assert f"Since the report as of 27 March 2024: 1 new source ({name})" in page.text
    assert "3 reports on 2 subjects" in page.text
    for subject in ("anthropic", "amazon"):
        title = read_manifest(published / subject / "2024-06-15")["report"]["title"]
        html = (published / subject / "2024-06-15" / "report.html").read_text(encoding="utf-8")
        assert f"<title>{title}</title>" in html.replace("&#39;", "'")  # the report's own title
        assert title.split(": ", 1)[1] in page.text
    assert "art-101" not in page.text and "art-0" not in page.text  # readers' names, never codes


def test_every_link_of_the_index_opens_a_file_of_a_built_report(published):
    page = Page(published / INDEX_NAME)
    files = [href for href in page.hrefs if not href.startswith("#")]
    assert "anthropic/latest/report.html" in files and "anthropic/2024-03-27/report.html" in files
    assert all((published / href).is_file() for href in files), files
    assert not any(href.endswith(".pdf") for href in files)  # built as HTML only


def test_a_build_found_up_to_date_leaves_a_current_index_alone(published):
    index = published / INDEX_NAME
    before = (index.stat().st_ino, index.read_bytes())
    params = {"data_dir": str(published.parent / "data"), "company": "Amazon"}  # as the fixture built it
    notebook = published.parent / "header_only.ipynb"
    request = BuildRequest(params=params, output_dir=published, formats=HTML_ONLY, notebook=notebook)
    result = build(request)
    assert result.status == exitcodes.OK and not result.built, result.message
    assert (index.stat().st_ino, index.read_bytes()) == before
    index.unlink()  # a missing index is written again, even when every report is up to date
    assert build(request).index == index and index.is_file()


def killed_writer(output: str) -> None:
    """Run in a subprocess: write the index, SIGKILLed just before the rename that would publish it."""
    from aiinvest.pipeline import index

    def dying(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    index.os.replace = dying  # type: ignore[attr-defined]
    write_index(Path(output))


def test_a_writer_killed_before_publishing_leaves_the_old_index_and_the_next_clears_up(tmp_path):
    out = two_subjects(tmp_path / "reports")
    before = refresh_index(out, 5).read_bytes()
    (out / "acme-ai" / "latest").unlink()  # the folder changes: the next index differs
    code = "import sys; sys.path[:0] = sys.argv[1:3]; import test_index_builds as t; t.killed_writer(sys.argv[3])"
    run = subprocess.run([sys.executable, "-c", code, str(HERE), str(HERE.parent), str(out)], check=False)
    assert run.returncode == -signal.SIGKILL
    assert (out / INDEX_NAME).read_bytes() == before
    (left,) = [p for p in out.iterdir() if p.name.startswith(f".{INDEX_NAME}-")]
    assert refresh_index(out, 5).read_bytes() != before
    assert not left.exists()


def test_make_report_builds_every_parameter_file_at_once():
    from aiinvest.config import PARAMS_DIR, PROJECT_ROOT

    shown = subprocess.run(
        ["make", "-n", "--no-print-directory", "report"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    (line,) = [line for line in shown.splitlines() if " build " in line]
    files = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in PARAMS_DIR.glob("*.yaml"))
    assert line.split(" build ", 1)[1].split() == files  # one command: built in parallel, then the index
