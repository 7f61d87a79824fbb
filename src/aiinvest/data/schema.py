"""The data package descriptor: table schemas, pandas types and file hashes."""

import hashlib
import json
from pathlib import Path

from ..config import DESCRIPTOR_NAME, curated_dir
from .descriptor import checked_descriptor
from .files import file_problem
from .problems import DataValidationError
from .transaction import Transaction, changing

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


def descriptor_bytes(descriptor: dict) -> bytes:
    """The descriptor, formatted as committed."""
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def resources(descriptor: dict) -> dict[str, dict]:
    """Resources of the package keyed by name, in declared order."""
    return {res["name"]: res for res in descriptor["resources"]}


def field_types(resource: dict) -> dict[str, str]:
    """Column name -> Table Schema type of one resource."""
    return {field["name"]: field["type"] for field in resource["schema"]["fields"]}


def rehash(data_dir: Path, transaction: Transaction | None = None) -> list[str]:
    """Record each CSV's SHA-256 in the descriptor; return the names that changed.

    Within `transaction`, the hashes are of the bytes it stages and the descriptor is staged in it; without
    one, rehash is its own transaction. Raises DataValidationError, changing nothing, when the descriptor is
    unusable or a declared file is missing, a folder, or a link (its target's hash would be recorded).
    """
    if transaction is None:
        with changing(data_dir) as own:
            changed = rehash(data_dir, own)
            own.commit()
        return changed
    descriptor, problems = checked_descriptor(data_dir)
    root = curated_dir(data_dir)
    for res in descriptor["resources"] if descriptor else []:
        if problem := file_problem(root / res["path"], root, "it is declared in datapackage.json"):
            problems.append(problem)
    if problems or descriptor is None:  # no descriptor comes with its problems
        raise DataValidationError(problems)
    changed = []
    for res in descriptor["resources"]:
        new = HASH_PREFIX + hashlib.sha256(transaction.read(root / res["path"])).hexdigest()
        if res.get("hash") != new:
            res["hash"] = new
            changed.append(res["name"])
    if changed:
        transaction.write(descriptor_path(data_dir), descriptor_bytes(descriptor))
    return changed
