"""The executed report in a real JupyterLab (loopback server, headless Chromium), as an analyst opens it."""

import shutil

import pytest

LAB_TIMEOUT_MS = 120_000  # JupyterLab's first load on a slow machine


@pytest.fixture(scope="module")
def lab_page(jupyter, built_report, browser):
    base, token, root = jupyter
    shutil.copy(built_report.outputs["notebook"], root / "report.ipynb")  # same bytes: still signed, so trusted
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/lab/tree/report.ipynb?token={token}", timeout=LAB_TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook .jp-OutputArea-output", timeout=LAB_TIMEOUT_MS)
    yield page
    page.close()


def test_the_charts_are_interactive_plotly_figures(lab_page):
    lab_page.wait_for_function(
        "document.querySelectorAll('.jp-Notebook .js-plotly-plot').length >= 4", timeout=LAB_TIMEOUT_MS
    )
    assert lab_page.locator(".jp-Notebook .js-plotly-plot").count() == 4
    static = lab_page.locator(".jp-Notebook .jp-RenderedImage img").count()
    assert static == 0  # static images are for print only


def test_amounts_are_never_typeset_as_mathematics(lab_page):
    lab_page.wait_for_timeout(2000)  # MathJax typesets after rendering
    assert lab_page.locator(".jp-Notebook mjx-container, .jp-Notebook .MathJax").count() == 0
    assert "$1.25B" in lab_page.inner_text(".jp-Notebook")


def test_the_export_menu_names_the_report_formats(lab_page):
    lab_page.get_by_role("menuitem", name="File", exact=True).click()
    lab_page.get_by_text("Save and Export Notebook As", exact=False).first.hover()
    lab_page.locator(".lm-Menu-itemLabel", has_text="AI_report_HTML").wait_for(timeout=30_000)
    items = lab_page.locator(".lm-Menu-itemLabel").all_inner_texts()
    lab_page.keyboard.press("Escape")
    assert "AI_report_HTML" in items and "AI_report_PDF" in items
    assert not any(i.lower().startswith("aiinvest") for i in items)
