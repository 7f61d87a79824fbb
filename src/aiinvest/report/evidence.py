"""The evidence a PDF carries: datapackage.json and the resources it declares, exactly as hashed.

Only the declared files travel (an undeclared file lying in curated/ never does), each read once
and checked against a SHA-256 before it is attached: a build's record of its inputs, or, when the
exporter runs on its own (JupyterLab, `jupyter nbconvert`), the hashes datapackage.json records.
"""

import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..config import DATA_DIR, DESCRIPTOR_NAME, PROJECT_ROOT, curated_dir, display
from ..data.provenance import sha256_file

Attachment = tuple[str, bytes, str]  # (name, bytes, description)
# The SHA-256 a file must have, given its path and its resource (None for the descriptor); None: unchecked.
Expected = Callable[[Path, dict | None], str | None]
TOKENS = {"~": Path.home, "$TMPDIR": lambda: Path(tempfile.gettempdir())}  # as manifest.scrub writes them


class EvidenceError(ValueError):
    """A file to attach is not the one the report was made from, or is not a declared file of the package."""


def collect(data_dir: Path, expected: Expected, recorded_by: str) -> list[Attachment]:
    """datapackage.json and every resource it declares, in name order, each checked against its SHA-256."""
    folder = curated_dir(data_dir)
    descriptor_path = folder / DESCRIPTOR_NAME
    raw = _checked(descriptor_path, expected(descriptor_path, None), recorded_by)
    files = {DESCRIPTOR_NAME: raw}
    for path, resource in declared(folder, json.loads(raw)):
        files[path.relative_to(folder).as_posix()] = _checked(path, expected(path, resource), recorded_by)
    return [(name, files[name], f"curated data behind the report: {name}") for name in sorted(files)]


def declared(folder: Path, descriptor: dict) -> list[tuple[Path, dict]]:
    """Each resource the descriptor declares, as a path inside the curated folder."""
    found = []
    for resource in descriptor.get("resources", []):
        path = folder / str(resource.get("path", ""))
        if not path.resolve().is_relative_to(folder.resolve()) or path.resolve() == folder.resolve():
            raise EvidenceError(f"{display(path)}: expected a declared file inside {display(folder)}")
        found.append((path, resource))
    return found


def _checked(path: Path, sha256: str | None, recorded_by: str) -> bytes:
    """The file's bytes, when their SHA-256 is the expected one (or none is expected)."""
    data = path.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceError(
            f"{display(path)}: expected the bytes whose SHA-256 {recorded_by} records "
            f"({sha256 or 'none recorded'}); the file changed, so the report would carry other evidence "
            "than it was made from: run it again"
        )
    return data


def descriptor_hash(path: Path, resource: dict | None) -> str | None:
    """The SHA-256 datapackage.json records for a resource ("" when it records none); None for itself."""
    if resource is None:
        return None
    recorded = str(resource.get("hash", ""))
    return recorded.removeprefix("sha256:") if recorded.startswith("sha256:") else ""


def standalone(label: str, descriptor_sha256: str) -> list[Attachment]:
    """Exported on its own: the declared files of the data folder the notebook read, checked against its descriptor.

    That folder is the one the notebook's label names (inside the project, or below the working directory)
    whose datapackage.json has the SHA-256 the notebook recorded; without one, there is no evidence to attach.
    """

    def expected(path: Path, resource: dict | None) -> str | None:  # the descriptor read is the one recorded
        return descriptor_sha256 if resource is None else descriptor_hash(path, resource)

    for folder in candidates(label):
        descriptor = curated_dir(folder) / DESCRIPTOR_NAME
        if descriptor_sha256 and descriptor.is_file() and sha256_file(descriptor) == descriptor_sha256:
            return collect(folder, expected, "datapackage.json")
    return []


def candidates(label: str) -> list[Path]:
    """The folders a data folder's label may name: the project's data/ for none; a relative one in the project or
    below the working directory; none for a folder outside both (`<external>/...`)."""
    if not label:
        return [DATA_DIR]
    head, _, rest = label.partition("/")
    if head.startswith("<"):
        return []
    if head in TOKENS:
        return [TOKENS[head]() / rest]
    return [Path(label)] if Path(label).is_absolute() else [PROJECT_ROOT / label, Path.cwd() / label]
