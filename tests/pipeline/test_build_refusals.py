"""Builds that used to crash or fail for the wrong reason: a number the loader cannot read, an unwritable cache."""

import pytest
from fixtures.notebooks import header_only

from aiinvest import exitcodes
from aiinvest.pipeline import BuildRequest, build

pytestmark = pytest.mark.slow  # the validation process, and a notebook


def test_a_number_the_loader_cannot_read_stops_the_build_with_the_validators_problem(data_dir, edit_csv, tmp_path):
    edit_csv("valuations", lambda t: t.replace("18400000000", "18_400_000_000"))
    result = build(BuildRequest(params={"data_dir": str(data_dir)}, output_dir=tmp_path / "reports", formats=("html",)))
    assert result.status == exitcodes.DATA
    assert (
        "valuations.csv:2: column 'valuation_usd': value '18_400_000_000': expected a number in plain" in result.message
    )
    assert not (tmp_path / "reports" / "anthropic").exists()


def test_a_build_with_an_unwritable_cache_publishes(data_dir, tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "file" / "cache"))  # every build used to exit 70
    notebook = header_only(tmp_path)  # the kernel loads the data as a full report's does
    params = {"data_dir": str(data_dir)}
    result = build(BuildRequest(params=params, output_dir=tmp_path / "reports", formats=("html",), notebook=notebook))
    assert result.status == exitcodes.OK, result.message
    assert (result.outputs["html"]).is_file()
