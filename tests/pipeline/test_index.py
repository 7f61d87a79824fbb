"""The index of all reports (OUTPUT/index.html), made from small published folders: what it lists and says, its
relative links, its atomic and locked publication, and that a build writes it (a dry run never does)."""

import json
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from fixtures import SEED_DIR
from fixtures.published import fake_report, since, two_subjects

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.pipeline import index as indexing
from aiinvest.pipeline import stages
from aiinvest.pipeline.index import INDEX_NAME, STATE, published, recorded_state, refresh_index, state, write_index
from aiinvest.pipeline.manifest import MANIFEST_NAME, write_json
from aiinvest.pipeline.publish import LOCKS_DIR
from aiinvest.pipeline.run import BuildRequest, BuildResult
from aiinvest.report import index_page
from aiinvest.report.index_page import FIRST, NOT_RECORDED, Published


class Links(HTMLParser):
    """Every link target, every attribute that loads something, and the text, of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.loads, self.text, self.tags = [], [], [], []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.in_style = tag == "style"
        for name, value in attrs:
            if name == "href" and tag == "a":
                self.hrefs.append(value)
            elif name in {"src", "srcset", "href", "action", "data"}:
                self.loads.append((tag, name, value))

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def parsed(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def words(page: Path) -> str:
    return " ".join(" ".join(parsed(page).text).split())


@pytest.fixture
def output(tmp_path) -> Path:
    """Two subjects, three dates (fixtures.published.two_subjects)."""
    return two_subjects(tmp_path / "reports")


def test_the_index_lists_every_subject_with_its_dated_reports_newest_first(output):
    page = write_index(output)
    text = words(page)
    assert text.startswith("The AI investment race: all reports The AI investment race: all reports")  # title, h1
    assert "3 reports on 2 subjects published in this folder" in text
    acme, bigco = text.index("Acme AI's funding Latest"), text.index("Bigco's investments in AI Latest")
    assert acme < bigco  # subjects in the order of their titles
    newer, older = text.index("27 March 2024 latest"), text.index("1 March 2024")
    assert acme < newer < older < bigco  # newest first
    assert "Since the report as of 1 March 2024: 1 new source (Article of 27 March 2024); 2 figures changed" in text
    assert text.count(FIRST) == 2  # the first report of each subject
    assert text.count("2 December 2026, 10:12 UTC") == 3


def test_every_link_is_relative_and_resolves_to_a_file_of_the_report_it_names(output):
    links = parsed(write_index(output))
    files = [h for h in links.hrefs if not h.startswith("#")]
    assert files, "the index links no report"
    for href in files:
        parts = urlsplit(href)
        assert not (parts.scheme or parts.netloc or parts.path.startswith("/")), href
        assert (output / unquote(parts.path)).is_file(), href
    assert "acme-ai/latest/report.html" in files and "acme-ai/2024-03-01/report.pdf" in files
    assert "bigco/2024-03-27/report.pdf" not in files  # a format not built is not linked
    assert links.loads == [] and not {"script", "link", "img", "iframe"} & set(links.tags)  # nothing loads
    anchors = [h[1:] for h in links.hrefs if h.startswith("#")]
    page = (output / INDEX_NAME).read_text(encoding="utf-8")
    assert anchors and all(f'id="{a}"' in page for a in anchors)


def test_the_folder_still_works_copied_elsewhere(output, tmp_path):
    write_index(output)
    copy = tmp_path / "elsewhere" / "copy"
    shutil.copytree(output, copy, symlinks=True)  # as cp -r, zip or a static site keeps the relative links
    for href in parsed(copy / INDEX_NAME).hrefs:
        if not href.startswith("#"):
            assert (copy / unquote(href)).resolve().is_relative_to(copy.resolve()), href
            assert (copy / unquote(href)).is_file(), href


def test_any_published_folder_is_listed_whatever_its_subject_with_its_own_title(output):
    fake_report(output, "race", "2024-03-27", "The AI investment race: overview")
    (output / "notes").mkdir()  # not a report: no dated folder
    (output / "failed").mkdir()
    text = words(write_index(output))
    assert "Overview Latest: data as of 27 March 2024" in text
    assert "4 reports on 3 subjects" in text
    assert "notes" not in text and "failed" not in text


def test_the_race_overview_comes_first_then_the_subjects_by_title(output):
    fake_report(output, "race", "2024-03-27", "The AI investment race: every investor, side by side")
    text = words(write_index(output))
    headings = [text.index(h) for h in ("Every investor, side by side", "Acme AI's funding", "Bigco's investments")]
    assert headings == sorted(headings), text


def test_a_report_built_before_builds_recorded_their_title_and_changes(output):
    folder = output / "oldco" / "2024-03-27"
    folder.mkdir(parents=True)
    (folder / "figures.json").write_text(json.dumps({"company_name": "Oldco"}))
    write_json(folder / MANIFEST_NAME, {"parameters": {"title": ""}})
    reports, latest = published(output)
    (old,) = [r for r in reports if r.subject == "oldco"]
    assert (old.title, old.recorded, old.built_at, "oldco" in latest) == ("Oldco", False, "", False)
    text = words(write_index(output))
    assert "Oldco Every report on this subject, newest first" in text  # no latest link: none was made
    assert "27 March 2024 not recorded Figures (JSON)" in text and text.endswith(NOT_RECORDED)


def test_titles_and_changes_from_the_data_are_escaped(output):
    fake_report(output, "evil", "2024-03-27", "<script>alert(1)</script> & Co", since("2024-03-27", "<b>x</b>"))
    page = write_index(output).read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "No change" not in page and "Since the earlier build of this date: &lt;b&gt;x&lt;/b&gt;" in page


def test_what_changed_in_words():
    report = Published("s", "2024-03-27", "T", changes=since("2024-03-01", "no change"))
    assert index_page.what_changed(report) == "No change since the report as of 1 March 2024"
    assert index_page.what_changed(Published("s", "2024-03-27", "T")) == FIRST
    assert index_page.what_changed(Published("s", "2024-03-27", "T", recorded=False)) == NOT_RECORDED
    assert index_page.when_built("2026-12-02T10:12:00+00:00") == "2 December 2026, 10:12 UTC"
    assert index_page.when_built("2026-12-02") == "2 December 2026"
    assert index_page.when_built("") == "not recorded"
    assert index_page.heading("The AI investment race: Acme's funding") == "Acme's funding"
    assert index_page.heading("Quarterly notes") == "Quarterly notes"
    assert index_page.lead([]) == "No report has been published in this folder yet."


def test_the_product_name_is_the_reports_title_prefix():
    from aiinvest.report.about import TITLE_PREFIX

    assert index_page.PRODUCT == TITLE_PREFIX


def test_the_page_is_rewritten_only_when_the_published_reports_change(output, monkeypatch):
    page = refresh_index(output, 5)
    assert recorded_state(page) == state(output) and STATE.search(page.read_bytes())
    inode = page.stat().st_ino
    assert refresh_index(output, 5) == page and page.stat().st_ino == inode  # nothing changed: not rewritten
    fake_report(output, "acme-ai", "2024-04-02", "The AI investment race: Acme AI's funding")
    refresh_index(output, 5)
    assert page.stat().st_ino != inode and "2 April 2024 latest" in words(page)
    page.unlink()
    assert refresh_index(output, 5).is_file()


def test_a_failed_write_leaves_the_old_index_and_no_temporary_file(output, monkeypatch):
    page = write_index(output)
    before = page.read_bytes()
    fake_report(output, "newco", "2024-03-27", "The AI investment race: Newco's funding")

    def failing(*args, **kwargs):
        raise OSError("disk full")

    for module, name in ((indexing.os, "replace"), (indexing.os, "fsync"), (index_page, "render_index")):
        with monkeypatch.context() as patched:
            patched.setattr(module, name, failing)
            with pytest.raises(OSError, match="disk full"):
                write_index(output)
        assert page.read_bytes() == before
        assert [p.name for p in output.iterdir() if p.name.startswith(f".{INDEX_NAME}")] == []
    assert "Newco" in words(write_index(output))


def test_the_next_writer_removes_what_a_killed_writer_left_and_spares_a_live_one(output):
    dead = output / f".{INDEX_NAME}-{2**22 + 12345}-abc123"  # a PID above the kernel's limit: no such process
    live = output / f".{INDEX_NAME}-{os.getpid()}-abc123"
    for path in (dead, live):
        path.write_text("half a page")
    refresh_index(output, 5)
    assert not dead.exists() and live.exists()
    assert (output / LOCKS_DIR / "index.lock").exists()  # the page is written holding its lock


def test_builds_publishing_at_once_never_drop_each_others_reports(tmp_path):
    out = tmp_path / "reports"
    names = [f"Co{n}" for n in range(8)]
    errors = []

    def one(name):
        try:
            fake_report(out, name, "2024-03-27", f"The AI investment race: {name}'s funding")
            refresh_index(out, 30)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    text = words(out / INDEX_NAME)
    assert all(f"{n}'s funding Latest" in text for n in names), text
    assert recorded_state(out / INDEX_NAME) == state(out)


def test_a_locked_index_fails_the_build_with_the_lock_status(output):
    from filelock import FileLock

    from aiinvest.pipeline.run import BuildFailure

    (output / LOCKS_DIR).mkdir(exist_ok=True)
    with (
        FileLock(output / LOCKS_DIR / "index.lock"),  # another build writing the page
        pytest.raises(BuildFailure, match=r"held the lock of .*index\.html for 0\.2s") as failure,
    ):
        refresh_index(output, 0.2)
    assert failure.value.exit_status == exitcodes.LOCKED


def test_a_build_writes_the_index_and_a_failed_one_leaves_it(output, monkeypatch):
    folder = output / "acme-ai" / "2024-03-27"
    ok = BuildResult(exitcodes.OK, "built", folder, True)
    monkeypatch.setattr(stages, "_build", lambda request: ok)
    result = stages.build(BuildRequest(output_dir=output))
    assert result.index == output / INDEX_NAME and result.index.is_file()
    result.index.unlink()
    monkeypatch.setattr(stages, "_build", lambda request: BuildResult(exitcodes.DATA, "invalid data"))
    assert stages.build(BuildRequest(output_dir=output)).index is None
    assert not (output / INDEX_NAME).exists()


def test_the_command_line_names_the_index_once(output, monkeypatch, capsys):
    folder = output / "acme-ai" / "2024-03-27"
    monkeypatch.setattr(stages, "_build", lambda request: BuildResult(exitcodes.OK, "built", folder, True))
    monkeypatch.chdir(output.parent)
    Path("p.yaml").write_text("company: Anthropic\n")
    assert main(["build", "p.yaml", "p.yaml", "-j", "1", "-o", "reports"]) == 0
    assert capsys.readouterr().out.count("index of all reports: reports/index.html") == 1


def test_a_dry_run_does_not_write_the_index(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "reports"
    assert main(["--data-dir", str(SEED_DIR), "build", "--dry-run", "-o", str(out)]) == 0
    assert "dry run:" in capsys.readouterr().out
    assert not (out / INDEX_NAME).exists()


def test_a_subject_folder_with_characters_links_need_escaped_still_resolves(output):
    fake_report(output, "odd name #1?", "2024-03-27", "Odd")
    hrefs = [h for h in parsed(write_index(output)).hrefs if h.startswith("odd")]
    assert "odd%20name%20%231%3F/latest/report.html" in hrefs
    assert hrefs and all((output / unquote(h)).is_file() for h in hrefs)
