"""Build the same reports with the code of two commits and compare what a reader gets.

    .venv/bin/python scripts/compare_reports.py OLD_REV [NEW_REV]   (NEW_REV: the working tree)

For a refactoring that must not change behaviour. Both sides read the same inputs, the data of
OLD_REV (the real data, and the same with the invented later articles of tests/fixtures added),
and build each company's report with this environment's packages, each side's code put first on
PYTHONPATH. Compared: report.html, figures.json, every chart (SVG and PNG) byte for byte, the
PDF's text, and the executed notebook's cells and outputs (but for the data folder's label and
object addresses, which differ by construction). Prints one line per difference and a count;
exits 1 when anything differs. Writes only under build/compare/.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "compare"
COMPANIES = ("Anthropic", "Amazon")
PYTHON = sys.executable


def checkout(rev: str, folder: Path) -> Path:
    """The tree of a commit, exported to a folder (no worktree left behind)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def inputs(old: Path) -> dict[str, Path]:
    """The two data folders both sides read: the old commit's data, and it with the invented articles."""
    real, later = WORK / "data-real", WORK / "data-later"
    for folder in (real, later):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(old / "data", folder)
    code = "import sys; from fixtures.later import add_articles; add_articles(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": f"{old / 'src'}{os.pathsep}{old / 'tests'}"}
    subprocess.run([PYTHON, "-c", code, str(later)], env=env, cwd=old, check=True)
    return {"real": real, "later": later}


def build(tree: Path, data: dict[str, Path], out: Path) -> None:
    """Every company's report on every data folder, with one tree's code."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "AIINVEST_ROOT": str(tree)}
    for case, folder in data.items():
        for company in COMPANIES:
            command = [PYTHON, "-m", "aiinvest.cli", "--data-dir", str(folder), "build", "--force"]
            command += ["-o", str(out / case), "-p", f"company={company}", str(tree / "params" / "anthropic.yaml")]
            subprocess.run(command, env=env, cwd=WORK, check=True, capture_output=True)


def readable(path: Path) -> bytes:
    """What a reader gets from one output file, for comparison."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = json.dumps([(c["source"], c.get("outputs")) for c in cells])
        text = re.sub(r'data_dir = \\"[^"\\]*\\"', "data_dir = <label>", text)
        return re.sub(r" at 0x[0-9a-f]+", " at 0x", text).encode()
    return path.read_bytes()


def compare(old_out: Path, new_out: Path) -> tuple[int, list[str]]:
    """How many files are the same, and the names of those that differ (the manifests, which record code, aside)."""
    same, differ = 0, []
    for folder in sorted(old_out.glob("*/*/.builds/*")):
        twin = next((new_out / folder.relative_to(old_out).parent).glob("*"))
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"):
            other = twin / path.relative_to(folder)
            if other.is_file() and readable(path) == readable(other):
                same += 1
            else:
                differ.append(str(path.relative_to(old_out).parent.parent.parent / path.relative_to(folder)))
    return same, differ


def main(old_rev: str, new_rev: str | None = None) -> int:
    """Build both sides, compare, print; 0 when a reader gets the same reports."""
    old = checkout(old_rev, WORK / "old")
    new = checkout(new_rev, WORK / "new") if new_rev else ROOT
    data = inputs(old)
    build(old, data, WORK / "out-old")
    build(new, data, WORK / "out-new")
    same, differ = compare(WORK / "out-old", WORK / "out-new")
    for name in differ:
        print(f"differs: {name}")
    print(f"{same} files the same, {len(differ)} different ({old_rev} -> {new_rev or 'working tree'})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
