"""Issue 22, #7: a build dated by SOURCE_DATE_EPOCH gives the same bytes from the same inputs (the build date and
version in the report's dateline and citation, the PDF's attachments dated by the report, not by the clock); the
second build, drawing no chart (issue 24: each drawing kept in the cache), gives the same bytes as the first."""

import json

import pypdf
import pytest
from fixtures import SEED_DIR

from aiinvest.pipeline import BuildRequest, build
from aiinvest.pipeline.execute import version

pytestmark = pytest.mark.slow


def test_the_same_inputs_built_twice_give_the_same_bytes_and_say_when_and_which_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023, 22:13 UTC
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))  # empty: the first build draws every chart
    params = {"company": "Anthropic", "data_dir": str(SEED_DIR)}
    first = build(BuildRequest(params=params, output_dir=tmp_path / "a", force=True))
    drawn = {p.name: p.stat().st_ino for p in (tmp_path / "cache" / "charts").iterdir()}
    second = build(BuildRequest(params=params, output_dir=tmp_path / "b", force=True))
    assert first.status == second.status == 0, (first.message, second.message)
    assert len(drawn) == 8  # four charts, each by plotly and by matplotlib
    assert {p.name: p.stat().st_ino for p in (tmp_path / "cache" / "charts").iterdir()} == drawn  # all reused
    for kind in ("html", "pdf"):
        assert first.outputs[kind].read_bytes() == second.outputs[kind].read_bytes(), kind
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(first.outputs["pdf"]).pages)
    key = json.loads(first.outputs["manifest"].read_text())["fingerprint"]
    assert f"Data as of 27 March 2024 · Built 14 November 2023 · Version {version(key)}" in text
    assert f"Version {version(key)}. Built 14 November 2023." in text  # the closing "How to cite"
    assert len(version(key)) == 12 and key.startswith(version(key))
