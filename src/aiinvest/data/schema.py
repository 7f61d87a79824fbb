"""The data package descriptor: table schemas, pandas types and file hashes."""

import json
from pathlib import Path

from ..config import DESCRIPTOR_NAME, curated_dir
from .descriptor import checked_descriptor
from .files import file_problem
from .problems import DataValidationError
from .provenance import sha256_file

HASH_PREFIX = "sha256:"

# Table Schema type -> pandas dtype used when loading.
PANDAS_DTYPES = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
    "date": "string",  # parsed to datetime64 after reading
}


def descriptor_path(data_dir: Path) -> Path:
    """Path of datapackage.json for a data folder."""
    return curated_dir(data_dir) / DESCRIPTOR_NAME


def read_descriptor(data_dir: Path) -> dict:
    """The data package descriptor as a dict."""
    return json.loads(descriptor_path(data_dir).read_text(encoding="utf-8"))


def write_descriptor(data_dir: Path, descriptor: dict) -> None:
    """Write the descriptor back, formatted as committed."""
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    descriptor_path(data_dir).write_text(text, encoding="utf-8")


def resources(descriptor: dict) -> dict[str, dict]:
    """Resources of the package keyed by name, in declared order."""
    return {res["name"]: res for res in descriptor["resources"]}


def field_types(resource: dict) -> dict[str, str]:
    """Column name -> Table Schema type of one resource."""
    return {field["name"]: field["type"] for field in resource["schema"]["fields"]}


def rehash(data_dir: Path) -> list[str]:
    """Record each CSV's SHA-256 in the descriptor; return the names that changed.

    Raises DataValidationError, changing nothing, when the descriptor is unusable or a declared
    file is missing, a folder, or a link (its target's hash would be recorded).
    """
    descriptor, problems = checked_descriptor(data_dir)
    root = curated_dir(data_dir)
    for res in descriptor["resources"] if descriptor else []:
        if problem := file_problem(root / res["path"], root, "it is declared in datapackage.json"):
            problems.append(problem)
    if problems or descriptor is None:  # no descriptor comes with its problems
        raise DataValidationError(problems)
    changed = []
    for res in descriptor["resources"]:
        path = curated_dir(data_dir) / res["path"]
        new = HASH_PREFIX + sha256_file(path)
        if res.get("hash") != new:
            res["hash"] = new
            changed.append(res["name"])
    if changed:
        write_descriptor(data_dir, descriptor)
    return changed
