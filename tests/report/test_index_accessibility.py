"""The index of all reports in a real browser: axe-core (WCAG 2.2 AA, light and dark, desktop and phone), no
sideways scrolling on a phone, no network request, and valid markup (vnu), on a small published folder with two
subjects and several dates and on the index a real build wrote.

Needs the npm packages of package.json (axe-core, vnu-jar: `make node`), Java for vnu, and a Chromium.
"""

from pathlib import Path

import pytest
from fixtures.browser import offline_page
from fixtures.published import fake_report, since, two_subjects
from fixtures.vnu import html_errors

from aiinvest.config import PROJECT_ROOT
from aiinvest.pipeline.index import INDEX_NAME, write_index

NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 390}
LONG = "The AI investment race: a subject with a rather long name, to wrap on a phone (Holdings International)"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(PROJECT_ROOT)} is missing: run 'make node' (npm ci) first")
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory, built_report) -> dict[str, Path]:
    """The index of two subjects with several dates (and a long title and changes line), and a real build's."""
    out = two_subjects(tmp_path_factory.mktemp("index") / "reports")
    changes = since("2024-03-01", "3 new sources; 4 figures changed; 1 figure new; 2 disagreements opened")
    fake_report(out, "longco", "2024-03-27", LONG, changes)
    return {"fake": write_index(out), "built": built_report.folder.parent.parent / INDEX_NAME}


@pytest.fixture(scope="module")
def index_pages(browser, pages):
    """Each index loaded once per width and colour scheme (every request recorded, none let out of the machine),
    shared by the tests that only read it: axe's run and the requests made."""
    loaded: dict[tuple[str, int, str], object] = {}

    def page_at(name: str, width: int, scheme: str = "light"):
        if (name, width, scheme) not in loaded:
            loaded[name, width, scheme] = page = offline_page(browser, width, scheme)
            page.goto(pages[name].resolve().as_uri())
        return loaded[name, width, scheme]

    yield page_at
    for page in loaded.values():
        page.context.close()


@pytest.mark.parametrize("name", ["fake", "built"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violation_and_leaves_nothing_undecided(index_pages, name, width, scheme):
    page = index_pages(name, width, scheme)
    page.add_script_tag(content=_need(AXE).read_text(encoding="utf-8"))
    results = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, "
        "resultTypes: ['violations', 'incomplete']})"
    )
    found = results["violations"] + results["incomplete"]
    assert [(r["id"], [n["target"] for n in r["nodes"][:3]]) for r in found] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing scrolls sideways


@pytest.mark.parametrize("name", ["fake", "built"])
def test_the_index_requests_nothing_but_itself(index_pages, name):
    page = index_pages(name, WIDTHS["desktop"])
    page.wait_for_timeout(300)
    assert page.requests == [page.url]
    assert page.title() == "The AI investment race: all reports"


@pytest.fixture(scope="module")
def markup_errors(pages):
    """vnu's errors for both indexes, from one run (fixtures.vnu)."""
    return html_errors(*pages.values())


@pytest.mark.parametrize("name", ["fake", "built"])
def test_markup_is_valid_html(pages, markup_errors, name):
    assert markup_errors[pages[name].resolve()] == []
