"""Benchmark the build: steps, build vs bare papermill+nbconvert chain, no-op, sizes, scale, many subjects,
parallel.

Prints figures (Markdown) and writes them to --output. Every build runs in a fresh process
with a cold validation cache; ratios compare runs interleaved in the same session, since
the machine is noisy. Nothing here asserts a time: goals are printed beside the figures.
A whole run takes about 15 minutes on two quiet cores (the 10^5-row builds and the 16 subjects are most of
it); --quick (or BENCH_QUICK=1) makes one run per figure and skips the largest scales and 16 subjects.

    python -m benchmarks.bench --output docs/benchmarks.md
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from aiinvest.config import NOTEBOOKS_DIR, PARAMS_DIR, PROJECT_ROOT
from aiinvest.report.params import RACE_ID, read_params_file

BIN = Path(sys.executable).parent
SCALES = (100, 1_000, 10_000, 100_000)
QUICK_SCALES = (100, 1_000)
SUBJECTS = (1, 4, 16)  # invented subject companies, each a report, built at once with the race overview
QUICK_SUBJECTS = (1, 4)


def run(command: list[str], env: dict | None = None) -> dict:
    """Run a command; return wall seconds, CPU seconds and peak RSS (MiB) of its whole process tree."""
    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT)
    peak = [0]

    def sample():
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start  # before the sampler's last sleep (up to 0.05 s) ends
    sampler.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # descendants count once their parents reap them
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime"))
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak[0] / 2**20, "stdout": stdout.decode()}


CACHE_ROOT = Path(tempfile.gettempdir())


def cold_env() -> dict:
    """The environment with a fresh, empty validation cache (inside the benchmark's work folder)."""
    return {**os.environ, "AIINVEST_CACHE_DIR": tempfile.mkdtemp(prefix="cache-", dir=CACHE_ROOT)}


def full_build(out: Path, *params: str, formats: str = "html,pdf", env: dict | None = None) -> dict:
    """A forced build of the report, in a fresh process, with a cold cache unless env says otherwise."""
    extra = [item for p in params for item in ("-p", p)]
    command = [str(BIN / "aiinvest"), "build", "--force", "-o", str(out), "--formats", formats, *extra]
    result = run(command, env or cold_env())
    folder = out / "anthropic" / "latest"
    manifest = json.loads((folder / "manifest.json").read_text())
    result["steps"] = manifest["steps_seconds"]
    result["sizes"] = {name: (folder / name).stat().st_size for name in ("report.html", "report.pdf", "report.ipynb")}
    return result


def bare_chain(work: Path) -> dict:
    """What a user would otherwise type: papermill, then jupyter nbconvert --to html."""
    env = cold_env()
    executed = work / "bare.ipynb"
    first = run(
        [str(BIN / "papermill"), str(NOTEBOOKS_DIR / "report.ipynb"), str(executed), "--cwd", str(NOTEBOOKS_DIR)], env
    )
    second = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], env)
    return {
        "seconds": first["seconds"] + second["seconds"],
        "papermill": first["seconds"],
        "nbconvert": second["seconds"],
    }


def machine() -> str:
    """A one-paragraph description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def benchmark(repeat: int, scales: tuple[int, ...], work: Path, subjects: tuple[int, ...] = SUBJECTS) -> list[str]:
    lines = [f"Machine: {machine()}.", ""]
    builds, chains = [], []
    for i in range(repeat):  # interleaved, alternating which goes first
        order = [
            ("build", lambda: builds.append(full_build(work / "full"))),
            ("chain", lambda: chains.append(bare_chain(work))),
        ]
        for _, step in order if i % 2 == 0 else reversed(order):
            step()
    med = statistics.median
    build_s, chain_s = med(b["seconds"] for b in builds), med(c["seconds"] for c in chains)
    steps = {k: med(b["steps"][k] for b in builds) for k in builds[0]["steps"]}
    lines += [
        f"## One build of the real data (median of {repeat}, cold validation cache)",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        *(f"| {name} | {seconds:.2f} |" for name, seconds in steps.items()),
        f"| whole command (wall, incl. start-up) | {build_s:.2f} |",
        f"| peak memory, build process and kernel | {med(b['peak_mib'] for b in builds):.0f} MiB |",
        "",
        "## Build (HTML and PDF) against the bare chain (HTML only)",
        "",
        "| | seconds |",
        "| --- | ---: |",
        f"| `aiinvest build` (HTML + PDF + figures + manifest) | {build_s:.2f} |",
        f"| `papermill` + `jupyter nbconvert --to html` | {chain_s:.2f} "
        f"({med(c['papermill'] for c in chains):.2f} + {med(c['nbconvert'] for c in chains):.2f}) |",
        f"| **ratio build / chain** (goal ≤ 1.00) | **{build_s / chain_s:.2f}** |",
        "",
    ]
    noop, startup, dry, dry_new = [], [], [], []
    command = [str(BIN / "aiinvest"), "build", "-o", str(work / "full"), "--formats", "html,pdf"]
    for _ in range(5):  # interleaved: the machine's speed drifts
        noop.append(run(command)["seconds"])
        startup.append(run([str(BIN / "aiinvest"), "--help"])["seconds"])
        dry.append(run([*command, "--dry-run"])["seconds"])  # the report is up to date
        dry_new.append(run([*command[:2], "-o", str(work / "none"), "--dry-run"])["seconds"])  # reconciles
    sizes = builds[-1]["sizes"]
    lines += [
        "## No-op rebuild, start-up and sizes",
        "",
        f"No-op rebuild (nothing changed), median of 5: **{med(noop):.3f} s** (goal < 0.15 s).",
        "",
        f"Start-up, `aiinvest --help`, median of 5: **{med(startup):.3f} s** (goal < 0.15 s).",
        "",
        f"`aiinvest build --dry-run`, median of 5 (goal < 1 s): **{med(dry):.3f} s** with the report up to date, "
        f"**{med(dry_new):.3f} s** with none published (it validates, from the cache, and reconciles).",
        "",
        "| output | bytes |",
        "| --- | ---: |",
        *(f"| {name} | {size:,} |" for name, size in sizes.items()),
        "",
    ]
    from .floor import section as floor_section  # the floor, and cold and warm builds against the bare chain

    lines += floor_section(work / "floor", repeat)
    lines += scale_section(scales, work, build_s, sizes["report.html"], repeat)
    lines += race_section(work, build_s, repeat)
    lines += subjects_section(work, subjects)
    lines += parallel_section(work)
    return lines


def race_section(work: Path, subject_s: float, repeat: int) -> list[str]:
    """The race overview's build against the subject report's, and one command building every parameter file."""
    base = [str(BIN / "aiinvest"), "build", "--force", "-o", str(work / "race")]
    race = [run([*base, str(PARAMS_DIR / "race.yaml")])["seconds"] for _ in range(repeat)]
    files = sorted(str(p) for p in PARAMS_DIR.glob("*.yaml"))
    every = run([*base, *files, "-j", str(os.cpu_count() or 1)])["seconds"]
    race_s = statistics.median(race)
    return [
        f"## The race overview against the subject report (median of {repeat})",
        "",
        "| build | seconds |",
        "| --- | ---: |",
        f"| subject report ({PARAMS_DIR.name}/anthropic.yaml) | {subject_s:.2f} |",
        f"| race overview ({PARAMS_DIR.name}/race.yaml) | {race_s:.2f} |",
        f"| every parameter file ({len(files)}) in one command, in parallel | {every:.2f} |",
        "",
    ]


def scale_section(scales, work: Path, real_seconds: float, real_html: int, repeat: int) -> list[str]:
    from .synthetic import generate

    lines = [
        "## Scale: synthetic data in the same schema (`python -m benchmarks.synthetic`)",
        "",
        "| investment rows | build s | / real | HTML bytes | HTML growth | PDF bytes | notebook bytes | peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in scales:
        data = generate(PROJECT_ROOT / "build" / "synthetic" / f"n{n}", n)
        result = full_build(work / f"scale-{n}", f"data_dir={data}")
        html = result["sizes"]["report.html"]
        lines.append(
            f"| {n:,} | {result['seconds']:.2f} | {result['seconds'] / real_seconds:.2f} | {html:,} | "
            f"{(html - real_html) / real_html:+.1%} | {result['sizes']['report.pdf']:,} | "
            f"{result['sizes']['report.ipynb']:,} | {result['peak_mib']:.0f} |"
        )
    largest = PROJECT_ROOT / "build" / "synthetic" / f"n{scales[-1]}"
    ratios = []
    for i in range(repeat):  # pairs run back to back, alternating which goes first: drift cancels out
        runs = {}
        for name in ("real", "large") if i % 2 == 0 else ("large", "real"):
            params = (f"data_dir={largest}",) if name == "large" else ()
            runs[name] = full_build(work / f"pair-{name}", *params)["seconds"]
        ratios.append(runs["large"] / runs["real"])
    warm = cold_env()
    full_build(work / "warm", f"data_dir={largest}", env=warm)
    again = full_build(work / "warm", f"data_dir={largest}", env=warm)
    lines += [
        "",
        f"{scales[-1]:,} rows against the real data, {repeat} pairs run back to back: ratios "
        f"{', '.join(f'{r:.2f}' for r in ratios)}; **median {statistics.median(ratios):.2f} ×** (goal ≤ 1.3).",
        "",
        f"{scales[-1]:,} rows again with the validation cached (the report changed, the data did not): "
        f"{again['seconds']:.2f} s, {again['seconds'] / real_seconds:.2f} × the real data.",
        "",
        "Goals at 10^5 rows: build ≤ 1.3 × the real data, HTML growth ≤ 10%.",
        "",
    ]
    return lines


def subjects_section(work: Path, counts: tuple[int, ...]) -> list[str]:
    """Every parameter file at once: N invented subjects and the race overview in one `aiinvest build ... -j
    <cores>`, for each N; seconds per report and in all. Raises if a report or its line in the index is missing."""
    from .synthetic import subjects

    cores = os.cpu_count() or 1
    lines = [
        f"## Many reports: N invented subjects and the race overview, one command, `-j {cores}`",
        "",
        "| subjects | reports | wall s | s per report | CPU s | CPU s per report | wall per report / 1 subject's |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    first = None
    for n in counts:
        files = subjects(PROJECT_ROOT / "build" / "synthetic" / f"subjects-{n}", n)
        out = work / f"subjects-{n}"
        command = [str(BIN / "aiinvest"), "build", "--force", "-o", str(out), *map(str, files), "-j", str(cores)]
        result = run(command, cold_env())
        check_published(out, [read_params_file(f).get("company", RACE_ID) for f in files])
        per_report = result["seconds"] / len(files)
        first = first or per_report
        lines.append(
            f"| {n} | {len(files)} | {result['seconds']:.2f} | {per_report:.2f} | {result['cpu_seconds']:.2f} | "
            f"{result['cpu_seconds'] / len(files):.2f} | {per_report / first:.2f} |"
        )
    return [
        *lines,
        "",
        "Reports counts the race overview; a report per subject should cost about the same at any N.",
        "",
    ]


def check_published(out: Path, ids: list[str]) -> None:
    """Raise unless every report (by its folder's id) was published, in HTML and PDF, and the index links each."""
    index = (out / "index.html").read_text(encoding="utf-8")
    missing = [
        i
        for i in ids
        if not all((out / i / "latest" / name).is_file() for name in ("report.html", "report.pdf", "figures.json"))
        or f'href="{i}/latest/report.html"' not in index
    ]
    if missing:
        raise RuntimeError(f"reports not built or not in {out / 'index.html'}: {', '.join(missing)}")


def parallel_section(work: Path) -> list[str]:
    sets = []
    for i, as_of in enumerate(["2024-03-27", "2024-03-15"]):
        path = work / f"set{i}.yaml"
        path.write_text(f"company: Anthropic\nas_of: '{as_of}'\n")
        sets.append(str(path))
    cores = os.cpu_count() or 1
    base = [str(BIN / "aiinvest"), "build", "--force", "-o", str(work / "parallel")]
    runs = {}
    shutil.rmtree(work / "parallel", ignore_errors=True)
    env = cold_env()
    separate = [run([*base, path], env) for path in sets]
    runs["one `aiinvest build` per set, one after the other"] = {
        key: sum(r[key] for r in separate) for key in ("seconds", "cpu_seconds")
    }
    for jobs in (1, cores):
        shutil.rmtree(work / "parallel", ignore_errors=True)
        runs[f"one command, `-j {jobs}`"] = run([*base, *sets, "-j", str(jobs)], cold_env())
    parallel = runs[f"one command, `-j {cores}`"]["seconds"]
    return [
        f"## Parallel: {len(sets)} parameter sets on {cores} cores",
        "",
        "| how | wall s | CPU s | cores busy | speed-up of `-j` |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {how} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | {r['cpu_seconds'] / r['seconds']:.2f} | "
            f"{r['seconds'] / parallel:.2f} |"
            for how, r in runs.items()
        ),
        "",
        f"Goal: near {min(cores, len(sets))} against building the sets one at a time.",
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default: %(default)s)")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--subjects", default=",".join(map(str, SUBJECTS)), help="(default: %(default)s)")
    parser.add_argument(
        "--quick",
        action="store_true",
        default=bool(os.environ.get("BENCH_QUICK")),
        help=f"one run per figure, scales {','.join(map(str, QUICK_SCALES))} and subjects "
        f"{','.join(map(str, QUICK_SUBJECTS))} unless given (also BENCH_QUICK=1)",
    )
    parser.add_argument("--output", type=Path, help="also write the figures to this Markdown file")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
        if args.scales == parser.get_default("scales"):
            args.scales = ",".join(map(str, QUICK_SCALES))
        if args.subjects == parser.get_default("subjects"):
            args.subjects = ",".join(map(str, QUICK_SUBJECTS))
    scales = tuple(int(n) for n in args.scales.split(",") if n)
    subjects = tuple(int(n) for n in args.subjects.split(",") if n)
    global CACHE_ROOT
    with tempfile.TemporaryDirectory(prefix="aiinvest-bench-") as tmp:
        CACHE_ROOT = Path(tmp)
        lines = benchmark(args.repeat, scales, Path(tmp), subjects)
    text = "\n".join(
        ["# Benchmark figures", "", f"Generated by `make bench` ({PARAMS_DIR.name}/anthropic.yaml).", "", *lines]
    )
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
