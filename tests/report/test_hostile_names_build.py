"""A company name that is markup is shown as text in the built report's charts (issue 21, item 6)."""

import pytest

from aiinvest.data.schema import rehash
from aiinvest.pipeline import BuildRequest, build

pytestmark = pytest.mark.slow  # builds a report

HOSTILE = '<a href="https://evil.example/" target="_blank">Amazon</a> &amp; <span style="color:red">Co</span><br>'


def test_a_hostile_company_name_reaches_the_html_as_text(data_dir, tmp_path):
    from bs4 import BeautifulSoup

    companies = data_dir / "curated" / "companies.csv"
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    companies.write_text(companies.read_text().replace("amazon,Amazon,", f"amazon,{quoted},", 1))
    rehash(data_dir)
    result = build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=tmp_path / "out", formats=("html",)))
    assert result.status == 0, result.message
    html = result.outputs["html"].read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select('a[href^="https://evil"], span[style]')  # no live markup in the page
    assert HOSTILE in soup.get_text()  # shown as its characters (tables, captions)
    charts = " ".join(s.get_text() for s in soup.find_all("script") if "Plotly.newPlot" in s.get_text())
    assert charts.count("evil.example") >= 2  # the legend and the hover text, at least
    plotly_text = charts.replace("\\u002f", "/").replace('\\"', '"')
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in plotly_text  # escaped once: plotly shows "<a href=...>" and "&amp;" as written
    assert "\\u003c" not in charts.replace("\\u003cbr\\u003e", "").replace("\\u003cb\\u003e", "").replace(
        "\\u003c\\u002fb\\u003e", ""
    )  # no tag from the data: only the renderer's own line breaks and bold
