"""The benchmark harness measures real commands (no time is asserted: `make bench` prints figures)."""

import sys

import pytest

from benchmarks import bench


def test_run_measures_wall_time_and_peak_memory_of_the_process_tree():
    child = "x = bytearray(80 * 2**20); import time; time.sleep(0.5)"
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    result = bench.run([sys.executable, "-c", code])
    assert result["seconds"] > 0.5
    assert result["peak_mib"] > 80  # the child's 80 MiB are counted
    assert result["cpu_seconds"] < result["seconds"]  # sleeping is not CPU


def test_run_counts_the_cpu_time_of_grandchildren():
    child = "import time; end = time.process_time() + 0.6\nwhile time.process_time() < end: pass"
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    assert bench.run([sys.executable, "-c", code])["cpu_seconds"] >= 0.6


def test_machine_description_names_cores_and_memory():
    text = bench.machine()
    assert "cores" in text and "GiB memory" in text and "Python" in text


def test_cold_env_uses_a_fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "CACHE_ROOT", tmp_path)
    first, second = bench.cold_env(), bench.cold_env()
    assert first["AIINVEST_CACHE_DIR"] != second["AIINVEST_CACHE_DIR"]
    assert first["AIINVEST_CACHE_DIR"].startswith(str(tmp_path))


def _published(out, ids, linked):
    for i in ids:
        folder = out / i / "latest"
        folder.mkdir(parents=True)
        for name in ("report.html", "report.pdf", "figures.json"):
            (folder / name).write_text("x")
    links = "".join(f'<a href="{i}/latest/report.html">' for i in linked)
    (out / "index.html").write_text(f"<html>{links}</html>")


def test_check_published_passes_when_every_report_is_built_and_listed(tmp_path):
    _published(tmp_path, ["syn-lab-00", "race"], ["syn-lab-00", "race"])
    bench.check_published(tmp_path, ["syn-lab-00", "race"])


def test_check_published_fails_loudly_on_a_missing_report_or_index_line(tmp_path):
    _published(tmp_path, ["syn-lab-00", "race"], ["race"])
    (tmp_path / "race" / "latest" / "report.pdf").unlink()
    with pytest.raises(RuntimeError, match="syn-lab-00, race"):
        bench.check_published(tmp_path, ["syn-lab-00", "race"])


def test_quick_runs_once_on_small_scales(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(bench, "benchmark", lambda *args: seen.__setitem__("args", args) or ["figures"])
    monkeypatch.setenv("BENCH_QUICK", "1")
    bench.main(["--output", str(tmp_path / "out.md")])
    repeat, scales, _, subjects = seen["args"]
    assert (repeat, scales, subjects) == (1, bench.QUICK_SCALES, bench.QUICK_SUBJECTS)
    assert "figures" in (tmp_path / "out.md").read_text()
    bench.main(["--scales", "100", "--subjects", "2"])  # given: kept
    assert seen["args"][1::2] == ((100,), (2,))
