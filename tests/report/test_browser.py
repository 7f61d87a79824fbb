"""The HTML report in a real browser, offline: every chart renders, no error, no request out."""

import pytest

CHARTS = ["tranches", "funding", "valuation", "timeline"]


def open_offline(browser, path):
    page = browser.new_page()
    requests, errors = [], []

    def route(handle):
        if handle.request.url.startswith("file://"):
            handle.continue_()
        else:
            requests.append(handle.request.url)
            handle.abort()

    page.route("**/*", route)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(path.resolve().as_uri())
    return page, requests, errors


@pytest.fixture(scope="module")
def report_page(browser, built_report):
    """The report opened once for both tests, which only read it: (page, requests out, errors)."""
    page, requests, errors = open_offline(browser, built_report.outputs["html"])
    yield page, requests, errors
    page.close()


def test_every_chart_renders_offline_without_errors(report_page):
    page, requests, errors = report_page
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(CHARTS)}",
        timeout=20_000,
    )
    for chart in CHARTS:
        marks = page.locator(f"#chart-{chart} .barlayer .point path, #chart-{chart} .scatterlayer .points path")
        assert marks.count() > 0, f"chart {chart} drew no marks"
        box = page.locator(f"#chart-{chart}").bounding_box()
        assert box["width"] > 300 and box["height"] > 150, (chart, box)
    assert requests == []
    assert errors == []


def test_dollar_amounts_are_text_not_math(report_page):
    page, _, _ = report_page
    summary = page.locator(".summary").inner_text()
    assert "$1.25B" in summary and "$2.75B" in summary
    assert page.locator("mjx-container, .MathJax").count() == 0
