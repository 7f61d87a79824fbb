"""Start-up of aiinvest's own processes: run in fresh interpreters, never in the test process."""

import subprocess
import sys


def test_validation_process_skips_the_unused_iri_checker_and_still_finds_problems(data_dir, edit_csv):
    # In a fresh interpreter, as in the build's validation process: the grammar is never compiled.
    edit_csv("valuations", lambda text: text.replace("18400000000", "18.4 billion", 1))
    code = (
        "import sys; from pathlib import Path\n"
        "from aiinvest.startup import skip_unused_format_checkers\n"
        "from aiinvest.data.validate import validate_package\n"
        "skip_unused_format_checkers()\n"
        f"problems = validate_package(Path({str(data_dir)!r}))\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'), 'jsonschema' in sys.modules)\n"
        "print(*problems, sep='\\n')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "None True"
    assert "valuations.csv:2: column 'valuation_usd': value '18.4 billion': expected a number" in out


def test_notebooks_still_validate_without_the_iri_checker():
    code = (
        "import sys\n"
        "from aiinvest.startup import skip_unused_format_checkers\n"
        "skip_unused_format_checkers()\n"
        "import nbformat\n"
        "from aiinvest.build.manifest import REPORT_NOTEBOOK\n"
        "nbformat.validate(nbformat.read(REPORT_NOTEBOOK, as_version=4))\n"
        "bad = nbformat.v4.new_notebook(); bad.cells.append({'cell_type': 'code'})\n"
        "print(nbformat.validator.isvalid(bad), sys.modules['rfc3987_syntax'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "None"]


def test_nothing_changes_once_jsonschema_is_loaded():
    code = (
        "import sys, jsonschema\n"
        "from aiinvest.startup import skip_unused_format_checkers\n"
        "skip_unused_format_checkers()\n"
        "print(sys.modules.get('rfc3987_syntax') is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
