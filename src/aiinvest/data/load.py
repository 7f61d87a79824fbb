"""Load the curated tables as typed pandas DataFrames, validating on every load."""

from pathlib import Path

import pandas as pd

from ..config import DATA_DIR, curated_dir, display
from .numbers import EXPECTED, GRAMMAR
from .problems import DataValidationError, Problem
from .registry import Tables, claim_tables
from .schema import PANDAS_DTYPES, field_types, read_descriptor, resources
from .validate import check_package


def load_tables(
    data_dir: Path = DATA_DIR, *, validate: bool = True, columns: dict[str, list[str]] | None = None
) -> Tables:
    """Every curated table by name, typed from its Table Schema, with the claim-table registry.

    columns, if given, names the only columns to read of some tables (the rest are read whole).
    Raises DataValidationError (listing every problem) when the data is invalid.
    """
    data_dir = Path(data_dir)
    if validate:
        check_package(data_dir)
    descriptor = read_descriptor(data_dir)
    tables = {}
    for name, res in resources(descriptor).items():
        types = field_types(res)
        if columns and name in columns:
            types = {column: types[column] for column in columns[name]}
        tables[name] = read_table(curated_dir(data_dir) / res["path"], types)
    return Tables(tables, claim_tables(descriptor))


def read_table(path: Path, types: dict[str, str]) -> pd.DataFrame:
    """Read one CSV with the pandas dtypes its Table Schema declares."""
    # Numbers are read as text, then converted after the one grammar the validator applies (numbers.py).
    dtypes = {name: "string" if kind in GRAMMAR else PANDAS_DTYPES[kind] for name, kind in types.items()}
    dtypes = {name: dtype for name, dtype in dtypes.items() if types[name] != "boolean"}
    frame = pd.read_csv(
        path,
        usecols=list(types),
        dtype=dtypes,
        keep_default_na=False,
        na_values={name: [""] for name in types},
        true_values=["true"],
        false_values=["false"],
        encoding="utf-8",
    )
    for name, kind in types.items():
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        elif kind in GRAMMAR:
            frame[name] = _numbers(frame[name], kind, path)
    return frame


def _numbers(column: pd.Series, kind: str, path: Path) -> pd.Series:
    """A column of numbers written as text, typed; DataValidationError naming a cell the grammar refuses."""
    written = column.dropna()
    wrong = written[~written.str.fullmatch(GRAMMAR[kind].pattern)]
    if len(wrong):
        problem = Problem(display(path), EXPECTED[kind], column=str(column.name), value=str(wrong.iloc[0]))
        raise DataValidationError([problem])
    return column.astype(pd.api.types.pandas_dtype(PANDAS_DTYPES[kind]))
