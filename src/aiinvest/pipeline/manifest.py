"""Build manifests: input and output hashes, package versions, and path scrubbing.

Kept free of heavy imports so that checking whether a rebuild is needed stays fast.
"""

import functools
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from .. import __version__
from ..config import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_ROOT, TEMPLATES_DIR
from ..data.provenance import sha256_file

MANIFEST_NAME = "manifest.json"
EXTERNAL = "<external>"  # marks a data folder outside the project and the working directory
PACKAGES = (
    "aiinvest",
    "pandas",
    "matplotlib",
    "plotly",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "frictionless",
    "weasyprint",
    "jinja2",
)
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
RACE_NOTEBOOK = NOTEBOOKS_DIR / "race.ipynb"  # the race overview (parameter view: race)


def notebook_for(params: dict) -> Path:
    """The notebook a report's parameters call for: the race overview's, or the subject report's."""
    return RACE_NOTEBOOK if str(params.get("view") or "").strip() == "race" else REPORT_NOTEBOOK


def relative_name(path: Path) -> str:
    """A path for the manifest: relative to the project (or the data folder's parent)."""
    path, root = Path(path).resolve(), _project_root()
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return "/".join(path.parts[-3:])  # outside the project (a test or synthetic data folder)


@functools.cache
def _project_root() -> Path:
    """The project folder, resolved once (a no-op build names some 70 input files with it)."""
    return PROJECT_ROOT.resolve()


# The package code a report depends on: the stages the pipeline and the notebook import, and the modules
# they share. The curation tools (`curate`), the CLI and the notebook checks are not here: editing them
# changes no report. tests/pipeline/test_manifest.py holds this list to the pipeline's real imports.
BUILD_CODE = ("__init__.py", "config.py", "exitcodes.py", "kernel.py", "data", "analysis", "report", "pipeline")


def build_code(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The package's source files that a build's outputs depend on (BUILD_CODE)."""
    files = []
    for name in BUILD_CODE:
        path = package_dir / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def input_files(data_dir: Path, notebook: Path = REPORT_NOTEBOOK) -> list[Path]:
    """Every file a build reads: data, articles, notebook, templates and the package code it depends on."""
    data_dir = Path(data_dir)
    files = [p for p in (data_dir / "curated").rglob("*") if p.is_file()]
    files += [p for p in (data_dir / "raw").rglob("*") if p.is_file()]
    files += [Path(notebook)]
    files += [p for p in TEMPLATES_DIR.rglob("*") if p.is_file()]
    files += build_code()
    return sorted(set(files))


def hash_inputs(data_dir: Path, notebook: Path = REPORT_NOTEBOOK) -> dict[str, str]:
    """Relative name -> SHA-256 of every input file."""
    return {relative_name(p): sha256_file(p) for p in input_files(data_dir, notebook)}


def fingerprint(request: dict, inputs: dict[str, str]) -> str:
    """One hash for everything that decides a build's outputs."""
    text = json.dumps({"request": request, "inputs": inputs}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_outputs(folder: Path) -> dict[str, dict]:
    """Every output file in a report folder (but the manifest): SHA-256 and size."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.name != MANIFEST_NAME:
            out[path.relative_to(folder).as_posix()] = {
                "sha256": sha256_file(path),
                "bytes": path.stat().st_size,
            }
    return out


def outputs_intact(folder: Path, manifest: dict) -> bool:
    """True when every output the manifest lists is there with its recorded hash."""
    for name, record in manifest.get("outputs", {}).items():
        path = Path(folder) / name
        if not path.is_file() or path.stat().st_size != record["bytes"] or sha256_file(path) != record["sha256"]:
            return False
    return bool(manifest.get("outputs"))


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the report."""
    import platform  # 0.01 s with importlib.metadata, which a build found up to date never needs
    from importlib import metadata  # as platform

    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a report folder, or None."""
    try:
        return json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True, default=str)
        handle.write("\n")
    os.chmod(tmp, 0o644)  # mkstemp makes it private
    os.replace(tmp, path)


def data_label(data_dir: Path) -> str:
    """How shared files name a data folder: relative to the project, else to the working directory, else by name."""
    path = Path(data_dir).resolve()
    for base in (PROJECT_ROOT.resolve(), Path.cwd().resolve()):
        if path.is_relative_to(base) and base != Path(base.anchor):
            return path.relative_to(base).as_posix()
    return f"{EXTERNAL}/{path.name}"


def local_prefixes(data_dir: Path | None = None) -> dict[str, str]:
    """Absolute local folders, each with the token that replaces it in shared files ("" for the project)."""
    folders: list[tuple[str | Path, str]] = [(tempfile.gettempdir(), "$TMPDIR"), (Path.home(), "~")]
    folders.append((sys.prefix, "<venv>"))
    folders += [(sys.exec_prefix, "<venv>"), (sys.base_prefix, "<python>"), (sys.base_exec_prefix, "<python>")]
    folders.append((PROJECT_ROOT, ""))
    if data_dir is not None:
        folders.append((data_dir, data_label(data_dir)))
    tokens = {}
    for folder, token in folders:  # later wins: a venv-less Python is <python>, a home-based project ""
        for form in (str(Path(folder).absolute()), str(Path(folder).resolve())):
            if form != "/":
                tokens[form] = token
    return tokens


def scrub(text: str, data_dir: Path | None = None) -> str:
    """Replace absolute local paths and a user name inside a path by neutral tokens, for every shared file.

    The project becomes relative ("" or "."), the data folder its `data_label`, the virtual environment
    `<venv>`, the Python installation `<python>`, the temporary folder `$TMPDIR`, home `~`, the user `<user>`.
    """
    tokens = local_prefixes(data_dir)
    alternatives = "|".join(map(re.escape, sorted(tokens, key=len, reverse=True)))

    def replace(match: re.Match) -> str:
        token = tokens[match[1]]
        return (f"{token}/" if token else "") if match[2] else (token or ".")

    text = re.sub(rf"({alternatives})(?:(/)|(?![\w.-]))", replace, text)
    user = _user()
    return re.sub(rf"(?<=[/\\-]){re.escape(user)}(?=[/\\])", "<user>", text) if user else text


def _user() -> str:
    """The user's login name, or "" where the system has none."""
    import getpass  # as platform

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def manifest_record(run) -> dict:
    """What a build is made from, without clock or outputs: version, fingerprint, request, parameters,
    SHA-256 of every input, package versions. The PDF carries it; the published manifest adds the rest."""
    request, params = run.request, run.params
    record = {
        "aiinvest_version": __version__,
        "fingerprint": run.key,
        "request": {"params": request.params, "formats": sorted(request.formats)},
        "parameters": {
            "company_id": params.company_id,
            "company_name": params.company_name,
            "as_of": params.as_of.date().isoformat(),
            "unit": params.unit,
            "title": params.title,
            "page_size": params.page_size,
            "data_dir": data_label(run.data_dir),
        },
        "inputs": run.inputs,
        "packages": package_versions(),
    }
    return json.loads(scrub(json.dumps(record), run.data_dir))
