"""The HTML report's accessibility, in a real browser: axe-core, contrast, tables, phone width, print, privacy, markup.

Needs the npm packages of package.json (axe-core, vnu-jar: `make node`), Java for vnu, and a Chromium.

axe-core cannot judge the contrast of SVG text (it reads CSS `color`, not `fill`, and counts each SVG layer and
group box as an element over the text, so it leaves every chart text "incomplete"). The charts' SVG layers are
hidden from assistive technology (each figure has a text alternative, role="img", and a table of its data), and
left out of axe's run; the contrast of every chart text is measured here instead, from the rendered pixels.
"""

import io
import itertools
import re
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from fixtures import SEED_DIR
from fixtures.browser import offline_page
from fixtures.vnu import html_errors
from matplotlib.text import Text
from PIL import Image

from aiinvest.config import PROJECT_ROOT
from aiinvest.report.charts import spec
from aiinvest.report.charts.mpl_render import to_matplotlib
from aiinvest.report.document import prepare

NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1280, 390
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
CHARTS = 4
DECORATIVE = 'svg.main-svg[aria-hidden="true"]'  # plotly's layers, marked by the report's script
NUMBER = re.compile(r"^(?:(?:at least|at most|about|over|under|up to|~)\s+)?[-−]?[$€£]?\d[\d,.]*\s*(?:%|[KMBT]|×)?$")
MIN_SHARE = 0.15  # a colour under a text counts as its background where it covers this share of the text's box


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(PROJECT_ROOT)} is missing: run 'make node' (npm ci) first")
    return path


@pytest.fixture(scope="module")
def html(built_report) -> Path:
    return built_report.outputs["html"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    return _need(AXE).read_text(encoding="utf-8")


def _open(browser, path: Path, width: int = DESKTOP, scheme: str = "light", **options):
    """A new page on the report, its charts drawn; every request it makes is recorded (and none leaves)."""
    page = offline_page(browser, width, scheme, **options)
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_function(f"document.querySelectorAll('.chart-figure .js-plotly-plot .main-svg').length >= {CHARTS}")
    page.wait_for_function(f"document.querySelectorAll('{DECORATIVE}').length >= {CHARTS}")
    return page


@pytest.fixture(scope="module")
def report_pages(browser, html):
    """The report loaded once per width and colour scheme, for the tests that only read it (scrolled back to the
    top for each): one page load per state instead of one per test. Tests that click, print or download open
    a page of their own."""
    pages: dict[tuple[int, str], object] = {}

    def page_at(width: int = DESKTOP, scheme: str = "light"):
        if (width, scheme) not in pages:
            pages[width, scheme] = _open(browser, html, width, scheme)
        pages[width, scheme].evaluate("window.scrollTo(0, 0)")
        return pages[width, scheme]

    yield page_at
    for page in pages.values():
        page.context.close()


def _axe(page, axe_source: str, **context) -> dict:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        "([context]) => axe.run(context, {resultTypes: ['violations', 'incomplete']})",
        [{"include": [["html"]], **context}],
    )


def _summary(results: list) -> list:
    return [(r["id"], len(r["nodes"]), [n["target"] for n in r["nodes"][:3]]) for r in results]


# 1 and 8: axe-core, light and dark, desktop and phone


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violation_and_leaves_nothing_undecided(report_pages, axe_source, width, scheme):
    results = _axe(report_pages(width, scheme), axe_source, exclude=[[DECORATIVE]])
    assert _summary(results["violations"]) == []
    assert _summary(results["incomplete"]) == []


def test_only_the_charts_svg_is_left_out_of_axe_and_each_chart_keeps_its_text_alternative(report_pages):
    page = report_pages()
    figures = page.evaluate(
        """(decorative) => [...document.querySelectorAll('figure.chart-figure')].map(f => ({
            alt: f.querySelector('.chart-alt[role="img"]')?.getAttribute('aria-label') || '',
            rows: f.querySelectorAll('details.chart-data table tbody tr').length,
            layers: f.querySelectorAll('svg.main-svg').length,
            hidden: f.querySelectorAll(decorative).length,
            name: f.getAttribute('aria-labelledby') && document.getElementById(f.getAttribute('aria-labelledby'))
                ?.textContent || '',
        }))""",
        DECORATIVE,
    )
    outside = page.evaluate(
        "(d) => [...document.querySelectorAll(d)].filter(s => !s.closest('.chart-figure .js-plotly-plot')).length",
        DECORATIVE,
    )
    assert len(figures) == CHARTS and outside == 0
    for figure in figures:
        assert len(figure["alt"]) > 40 and figure["rows"] > 0 and figure["name"].startswith("Figure ")
        assert figure["layers"] == figure["hidden"] > 0  # every plotly layer, and nothing else


def test_axe_cannot_judge_chart_text_which_is_why_it_is_measured_here(report_pages, axe_source):
    """Without the exclusion, all that axe leaves undecided is the charts' SVG text (and it finds no violation)."""
    page = report_pages()
    results = _axe(page, axe_source)
    assert _summary(results["violations"]) == []
    undecided = [n for r in results["incomplete"] for n in r["nodes"]]
    assert {r["id"] for r in results["incomplete"]} <= {"color-contrast"}
    assert all(
        "main-svg" in " ".join(map(str, n["target"])) or n["html"].startswith(("<text", "<tspan")) for n in undecided
    )


# 2: contrast of every text, chart text included, in both renderers


def _contrast(a, b) -> float:
    return spec.contrast_ratio("#{:02x}{:02x}{:02x}".format(*a[:3]), "#{:02x}{:02x}{:02x}".format(*b[:3]))


def _backgrounds(pixels: np.ndarray, box) -> list[tuple[int, int, int]]:
    """The colours that cover at least MIN_SHARE of a box of an RGB(A) image."""
    x0, y0, x1, y1 = (round(v) for v in box)
    region = pixels[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0), :3].reshape(-1, 3)
    counts = Counter(map(tuple, region.tolist()))
    return [colour for colour, n in counts.items() if n >= MIN_SHARE * len(region)]


def _parse_rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])


def test_palette_keeps_text_and_marks_apart_from_their_backgrounds():
    pairs = [
        (spec.TEXT_COLOUR, spec.BACKGROUND),
        (spec.DARK_TEXT, spec.DARK_BACKGROUND),
        (spec.MUTED_TEXT, spec.BACKGROUND),
    ]
    for colour in (*spec.INVESTOR_COLOURS, spec.LOWER_BOUND_COLOUR):
        pairs += [(spec.text_on(colour), colour), (spec.text_on(colour, spec.HATCH_COLOUR), spec.HATCH_COLOUR)]
        assert spec.contrast_ratio(colour, spec.BACKGROUND) >= spec.MIN_GRAPHIC_CONTRAST, colour
        assert spec.contrast_ratio(colour, spec.DARK_BACKGROUND) >= spec.MIN_GRAPHIC_CONTRAST, colour
    for text, background in pairs:
        assert spec.contrast_ratio(text, background) >= spec.MIN_TEXT_CONTRAST, (text, background)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_chart_text_in_the_browser_contrasts_with_what_is_under_it(report_pages, width, scheme):
    """Each SVG text's rendered fill against the colours the chart draws under it (text hidden), by WCAG."""
    page = report_pages(width, scheme)
    low, checked = [], 0
    for figure in page.locator("figure.chart-figure").all():
        container = figure.locator(".svg-container")
        container.scroll_into_view_if_needed()
        texts = container.evaluate(
            """(c) => { const o = c.getBoundingClientRect();
               return [...c.querySelectorAll('.main-svg text')].filter(t => !t.closest('.hoverlayer')
                 && t.textContent.trim() && getComputedStyle(t).display !== 'none'
                 && getComputedStyle(t).visibility !== 'hidden' && t.getBoundingClientRect().width > 0)
               .map(t => { const r = t.getBoundingClientRect();
                 return {text: t.textContent, fill: getComputedStyle(t).fill,
                         box: [r.left - o.left, r.top - o.top, r.right - o.left, r.bottom - o.top]}; }); }"""
        )
        container.evaluate("c => c.classList.add('no-text')")
        page.add_style_tag(content=".no-text .main-svg text { visibility: hidden !important; }")
        pixels = np.asarray(Image.open(io.BytesIO(container.screenshot())).convert("RGB"))
        container.evaluate("c => c.classList.remove('no-text')")
        for text in texts:
            fill = _parse_rgb(text["fill"])
            for background in _backgrounds(pixels, text["box"]):
                checked += 1
                if _contrast(fill, background) < spec.MIN_TEXT_CONTRAST:
                    low.append((text["text"], fill, background, round(_contrast(fill, background), 2)))
    assert checked > 50
    assert not low, low


def test_every_print_chart_text_contrasts_with_what_is_under_it():
    """The PDF's charts (matplotlib): each text's colour against its solid backing, or the pixels under it."""
    low, checked = [], 0
    for chart in prepare(data_dir=str(SEED_DIR)).charts.values():
        fig = to_matplotlib(chart)
        try:
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            boxes = {t: t.get_window_extent(renderer) for t in texts}
            fig.set_layout_engine("none")  # keep the layout the texts were measured in
            for t in texts:
                t.set_visible(False)
            fig.canvas.draw()
            pixels = np.asarray(fig.canvas.buffer_rgba())
            height = pixels.shape[0]
            for t in texts:
                colour = tuple(round(255 * c) for c in plt.matplotlib.colors.to_rgb(t.get_color()))
                patch = t.get_bbox_patch()
                if patch is not None:  # a solid backing: its colour is the background (alpha 1)
                    assert patch.get_alpha() in (None, 1)
                    backgrounds = [tuple(round(255 * c) for c in patch.get_facecolor()[:3])]
                else:
                    box = boxes[t]
                    backgrounds = _backgrounds(pixels, (box.x0, height - box.y1, box.x1, height - box.y0))
                for background in backgrounds:
                    checked += 1
                    if _contrast(colour, background) < spec.MIN_TEXT_CONTRAST:
                        low.append(
                            (chart.id, t.get_text(), colour, background, round(_contrast(colour, background), 2))
                        )
        finally:
            plt.close(fig)
    assert checked > 50
    assert not low, low


# 3: table alignment, whatever JupyterLab's CSS says


def test_text_columns_are_left_aligned_and_number_columns_right_aligned(report_pages):
    page = report_pages()
    host_rule = page.evaluate(
        """() => [...document.styleSheets].flatMap(s => [...s.cssRules]).some(r =>
               (r.selectorText || '').includes('.jp-RenderedHTMLCommon td') && r.style.textAlign === 'right')"""
    )
    tables = page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => ({
               name: t.className || t.closest('figure')?.id || '',
               rows: [...t.rows].map(r => [...r.cells].map(c => ({
                   text: c.textContent.trim(), head: c.tagName === 'TH', align: getComputedStyle(c).textAlign})))
           }))"""
    )
    assert host_rule, "JupyterLab's right-aligning rule is no longer in the page: this test no longer tests against it"
    assert len(tables) >= 5
    wrong = []
    for table in tables:
        body = [row for row in table["rows"] if not all(c["head"] for c in row)]
        for column, cells in enumerate(itertools.zip_longest(*table["rows"])):
            values = [row[column]["text"] for row in body if column < len(row) and row[column]["text"]]
            numeric = bool(values) and all(NUMBER.match(v) for v in values)
            expected = "right" if numeric else "left"
            wrong += [(table["name"], c["text"][:30], c["align"]) for c in cells if c and c["align"] != expected]
    assert wrong == []


# 4: phone width: no sideways scroll, charts resize, legends below, no text clipped or overlapping

TEXT_BOXES = """(figure) => {
    const svg = figure.querySelector('.main-svg').getBoundingClientRect();
    const plot = figure.querySelector('.nsewdrag').getBoundingClientRect();
    const texts = [...figure.querySelectorAll('.main-svg text')].filter(t => !t.closest('.hoverlayer')
        && t.textContent.trim() && getComputedStyle(t).display !== 'none' && t.getBoundingClientRect().width > 0);
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {svg: box(figure.querySelector('.main-svg')), plot: box(figure.querySelector('.nsewdrag')),
            legend: figure.querySelector('.legend') ? box(figure.querySelector('.legend')) : null,
            texts: texts.map(t => ({text: t.textContent, box: box(t)})),
            scroller: (() => { const c = figure.querySelector('.chart');
                return {scrolls: c.scrollWidth > c.clientWidth, focusable: c.querySelectorAll('button').length,
                        width: c.clientWidth}; })()};
}"""


def _overlap(a, b, tolerance=1.0) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tolerance and min(a[3], b[3]) - max(a[1], b[1]) > tolerance


def _inside(box, outer, tolerance=0.5) -> bool:
    return all(box[i] >= outer[i] - tolerance for i in (0, 1)) and all(box[i] <= outer[i] + tolerance for i in (2, 3))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_charts_fit_the_width_with_legends_below_and_no_text_clipped_or_overlapping(report_pages, width):
    page = report_pages(width)
    scroll = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    clipped = page.evaluate(  # boxes whose content is wider than they are, and that are not a chart
        """() => [...document.querySelectorAll('body *')].filter(e => {
               const overflow = getComputedStyle(e).overflowX;
               return overflow !== 'visible' && overflow !== 'clip' && e.scrollWidth > e.clientWidth + 1
                   && !(e.matches('.chart') && e.querySelector('button'));
           }).map(e => [e.tagName, String(e.className.baseVal ?? e.className), e.scrollWidth, e.clientWidth])"""
    )
    charts = {f.get_attribute("data-chart"): f.evaluate(TEXT_BOXES) for f in page.locator("figure.chart-figure").all()}
    page_width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert scroll[0] <= scroll[1], f"the page scrolls sideways: {scroll}"
    assert clipped == [], "content cut off, or scrolling sideways within the page"
    assert len(charts) == CHARTS
    for name, chart in charts.items():
        if chart["scroller"]["scrolls"]:  # too narrow for it: the chart scrolls within itself, keyboard included
            assert chart["scroller"]["focusable"] > 0, name
        else:  # drawn at its container's width: it resizes with the window
            assert abs(chart["svg"][2] - chart["svg"][0] - chart["scroller"]["width"]) <= 1, name
            assert chart["svg"][2] - chart["svg"][0] <= page_width + 0.5, name
        if chart["legend"]:
            assert chart["legend"][1] >= chart["plot"][3], f"{name}: the legend is not below the plot"
        for text in chart["texts"]:
            assert _inside(text["box"], chart["svg"]), f"{name}: {text['text']!r} is clipped"
        for a, b in itertools.combinations(chart["texts"], 2):
            assert not _overlap(a["box"], b["box"]), f"{name}: {a['text']!r} overlaps {b['text']!r}"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_bars_keep_their_values_visible_on_a_phone_too(report_pages, width):
    page = report_pages(width)
    charts = {f.get_attribute("data-chart"): f.evaluate(TEXT_BOXES) for f in page.locator("figure.chart-figure").all()}
    wanted = {"funding": ["Amazon$4B", "Google$2B", "at least $4B"], "tranches": ["$1.25B", "$2.75B"]}
    for name, values in wanted.items():
        shown = " ".join(t["text"] for t in charts[name]["texts"])
        assert all(value in shown for value in values), f"{name} at {width}px shows only {shown!r}"


# 5: print from the browser


def _pages_text(pdf) -> list[str]:
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_printing_from_the_browser_gives_whole_charts_on_about_the_pdfs_pages(browser, built_report, html, tmp_path):
    import pypdfium2 as pdfium

    reference = pdfium.PdfDocument(built_report.outputs["pdf"])
    width_pt, height_pt = reference[0].get_size()
    page = _open(browser, html)
    try:
        figures = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart-figure')].map(f => ({
                   caption: f.querySelector('figcaption strong').textContent.trim(),
                   legend: [...f.querySelectorAll('.legendtext')].map(t => t.textContent.trim()).filter(Boolean)}))"""
        )
        printed_path = tmp_path / "printed.pdf"
        page.pdf(path=printed_path, width=f"{width_pt / 72}in", height=f"{height_pt / 72}in", print_background=True)
        widths_after = page.evaluate(
            "[...document.querySelectorAll('.chart-figure .js-plotly-plot')].map(g => g._fullLayout.width)"
        )
        window_width = page.evaluate("document.querySelector('.chart-figure .chart').getBoundingClientRect().width")
    finally:
        page.context.close()
    printed = pdfium.PdfDocument(printed_path)
    assert len(reference) - 2 <= len(printed) <= len(reference) + 2, (len(printed), len(reference))
    assert all(abs(w - window_width) <= 1 for w in widths_after)  # back at the window's width after printing
    texts = _pages_text(printed)
    for figure in figures:  # a chart and its caption on one page: the chart is not split
        pages = {i for i, text in enumerate(texts) if figure["caption"] in text}
        assert len(pages) == 1, figure
        (at,) = pages
        assert all(entry in texts[at] for entry in figure["legend"]), figure
    for i in range(len(printed)):  # nothing is cropped at the right edge: the right margin is blank
        image = np.asarray(printed[i].render(scale=1).to_pil().convert("L"))
        margin = image[:, -round(image.shape[1] * 8 / 210) :]  # the outer 8 mm of the page's width
        assert margin.min() > 245, f"page {i + 1}: something is drawn in the right margin (cropped)"


# 6: nothing sends data off the page


def test_no_control_sends_data_off_the_page(browser, html):
    page = _open(browser, html, accept_downloads=True)
    downloads = []
    page.on("download", lambda download: downloads.append(download.url))
    try:
        config = page.evaluate(
            "[...document.querySelectorAll('.chart-figure .js-plotly-plot')].map(g => g._context)"
            ".map(c => [c.displaylogo, c.showSendToCloud, c.modeBarButtonsToRemove.includes('sendChartToCloud')])"
        )
        assert config == [[False, False, True]] * CHARTS
        assert page.locator(".modebar-btn--logo, a[href*='plotly']").count() == 0
        assert page.locator(".modebar-btn[data-title*='Share'], .modebar-btn[data-title*='Cloud']").count() == 0
        for figure in page.locator("figure.chart-figure").all():
            plot = figure.locator(".nsewdrag").first
            plot.hover()
            figure.locator("summary").click()
            buttons = figure.locator(".modebar-btn")
            assert buttons.count() > 0
            for i in range(buttons.count()):
                plot.hover()
                buttons.nth(i).click()
            plot.hover()
        page.wait_for_timeout(500)
        out = [url for url in page.requests if url != page.url and not url.startswith(("data:", "blob:"))]
    finally:
        page.context.close()
    assert out == []
    assert all(url.startswith(("data:", "blob:")) for url in downloads)


# 7: the markup is valid HTML


def test_markup_is_valid_html(html):
    assert html_errors(html)[html.resolve()] == []
