"""JupyterLab as `make lab` starts it (loopback server, headless Chromium): the executed report as an analyst
opens it, saving notebooks, and the start itself."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from aiinvest.config import NOTEBOOKS_DIR, PROJECT_ROOT

LAB_TIMEOUT_MS = 120_000  # JupyterLab's first load on a slow machine


@pytest.fixture(scope="module")
def lab_page(jupyter, built_report, browser):
    base, token, root = jupyter
    shutil.copy(built_report.outputs["notebook"], root / "report.ipynb")  # same bytes: still signed, so trusted
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/lab/tree/report.ipynb?token={token}", timeout=LAB_TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook .jp-OutputArea-output", timeout=LAB_TIMEOUT_MS)
    page.shown_at = time.monotonic()
    yield page
    page.close()


def shown_for(page, seconds: float) -> None:
    """Wait until the notebook has been shown for this long (not this long from now: the tests share the page)."""
    page.wait_for_timeout(max(0.0, page.shown_at + seconds - time.monotonic()) * 1000)


def test_the_charts_are_interactive_plotly_figures(lab_page):
    lab_page.wait_for_function(
        "document.querySelectorAll('.jp-Notebook .js-plotly-plot').length >= 4", timeout=LAB_TIMEOUT_MS
    )
    assert lab_page.locator(".jp-Notebook .js-plotly-plot").count() == 4
    static = lab_page.locator(".jp-Notebook .jp-RenderedImage img").count()
    assert static == 0  # static images are for print only


def test_amounts_are_never_typeset_as_mathematics(lab_page):
    shown_for(lab_page, 2)  # MathJax typesets after rendering
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


def test_no_pop_up_asks_about_jupyter_news(lab_page):
    shown_for(lab_page, 3)  # JupyterLab asks as it starts (its toast stays until answered)
    toasts = lab_page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], toasts


def test_saving_a_committed_notebook_writes_it_stripped(jupyter):
    base, token, root = jupyter
    (root / "notebooks").mkdir(exist_ok=True)
    for suffix in (".ipynb", ".py"):
        shutil.copy(NOTEBOOKS_DIR / f"explore{suffix}", root / "notebooks" / f"explore{suffix}")
    model = contents(base, token, "notebooks/explore.ipynb")
    put(base, token, "notebooks/explore.ipynb", with_outputs(model["content"]))
    for suffix in (".ipynb", ".py"):  # both files of the pair exactly as committed (jupytext writes the .py)
        assert (root / "notebooks" / f"explore{suffix}").read_bytes() == (
            NOTEBOOKS_DIR / f"explore{suffix}"
        ).read_bytes()


def test_saving_an_executed_report_keeps_its_outputs(jupyter):
    base, token, root = jupyter
    (root / "reports" / "anthropic").mkdir(parents=True, exist_ok=True)
    shutil.copy(NOTEBOOKS_DIR / "explore.ipynb", root / "reports" / "anthropic" / "report.ipynb")
    model = contents(base, token, "reports/anthropic/report.ipynb")
    put(base, token, "reports/anthropic/report.ipynb", with_outputs(model["content"]))
    saved = json.loads((root / "reports" / "anthropic" / "report.ipynb").read_text(encoding="utf-8"))
    assert all(c["outputs"] for c in saved["cells"] if c["cell_type"] == "code")


def test_make_lab_takes_lab_args_and_the_project_configuration():
    port, token = free_port(), secrets.token_hex(16)
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    process = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # make and JupyterLab in a process group of their own, stopped together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(f"{base}/lab?token={token}", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("make lab did not serve JupyterLab within 60 s")
        assert contents(base, token, "notebooks/explore.ipynb")["type"] == "notebook"  # it opens the notebook
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert config["news"] == {"disabled": True}  # and JupyterLab fetches no news feed
    assert f"JUPYTER_CONFIG_PATH={PROJECT_ROOT / 'jupyter-config'}" in output and args in output
    assert "Warning" not in output and "Traceback" not in output, output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def contents(base: str, token: str, path: str) -> dict:
    """GET /api/contents/PATH: the model JupyterLab loads."""
    return json.load(urllib.request.urlopen(f"{base}/api/contents/{path}?token={token}", timeout=30))


def put(base: str, token: str, path: str, notebook: dict) -> None:
    """PUT /api/contents/PATH: what JupyterLab's Save sends."""
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    request = urllib.request.Request(f"{base}/api/contents/{path}?token={token}", data=body, method="PUT")
    request.add_header("Content-Type", "application/json")
    assert urllib.request.urlopen(request, timeout=30).status in (200, 201)


def with_outputs(notebook: dict) -> dict:
    """The notebook as JupyterLab holds it after running every cell: outputs, counts, kernel metadata."""
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    for count, cell in enumerate((c for c in notebook["cells"] if c["cell_type"] == "code"), start=1):
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 10_000}]
        cell["execution_count"] = count
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
    return notebook
