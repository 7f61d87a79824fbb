"""The benchmark harness measures real commands (no time is asserted: `make bench` prints figures)."""

import sys

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
