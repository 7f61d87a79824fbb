"""One number grammar: what the validator accepts in a number column, the loader reads, and nothing else."""

import csv
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from fixtures import SEED_DIR
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aiinvest.data.load import load_tables, read_table
from aiinvest.data.numbers import EXPECTED, is_number
from aiinvest.data.schema import rehash
from aiinvest.data.validate import DataValidationError, validate_package

WRITTEN_OTHERWISE = [
    "1_250_000_000",  # Python's digit separators
    "١٢٥٠٠٠٠٠٠٠",  # Arabic-Indic digits
    "１２５００００００００",  # fullwidth digits
    "1.25e9",
    "+1250000000",
    " 1250000000",
    "1250000000 ",
    "1 250 000 000",  # a space as thousands separator
    "1250000000.",
    ".5",
    "0x4A817C80",
]


@pytest.mark.parametrize("written", WRITTEN_OTHERWISE)
def test_a_number_the_loader_cannot_read_is_invalid_with_its_place(data_dir, edit_csv, written):
    edit_csv("investments", lambda t: t.replace(",1250000000,", f",{written},", 1))
    problems = validate_package(data_dir)
    assert [str(p) for p in problems] == [
        f"data/curated/investments.csv:2: column 'amount_usd': value '{written}': expected {EXPECTED['number']}"
    ]
    with pytest.raises(DataValidationError, match=re.escape("investments.csv:2: column 'amount_usd'")):
        load_tables(data_dir)
    with pytest.raises(
        DataValidationError, match=re.escape(f"investments.csv: column 'amount_usd': value '{written}'")
    ):
        load_tables(data_dir, validate=False)  # the loader applies the same grammar


@pytest.mark.parametrize(("written", "value"), [("1250000000", 1.25e9), ("01250000000", 1.25e9), ("0.5", 0.5)])
def test_plain_digits_with_a_fraction_are_valid_and_read(data_dir, edit_csv, written, value):
    edit_csv("investments", lambda t: t.replace(",1250000000,", f",{written},", 1))
    assert validate_package(data_dir) == []
    assert load_tables(data_dir)["investments"]["amount_usd"][0] == value


def test_an_integer_has_no_fractional_part():
    assert is_number("12", "integer") and not is_number("1.5", "integer") and is_number("1.5", "number")


@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12))
@example("1_0")
@example("٣")
@example("1e3")
@example("+1")
@example(" 1")
@example("1.0")
def test_the_validator_and_the_loader_agree_on_every_string(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "numbers.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        # \r\n: the writer quotes a cell holding either, as a curator's tool would
        csv.writer(file, lineterminator="\r\n").writerows([["id", "amount"], ["x", text]])
    try:
        loaded = read_table(path, {"amount": "number"})["amount"][0]
    except DataValidationError:
        read = False
    else:
        read = True
    if text == "":
        assert read and loaded is not None  # an empty cell is missing, for the schema's `required` to judge
        return
    assert read == is_number(text, "number")
    if read:
        assert loaded == float(text)


EXAMPLES = max(3, settings.default.max_examples // 4)  # each example validates a whole package (~0.3 s)
NUMBERISH = st.text(st.sampled_from("0123456789.,_+-eE xX٣１\u00a0\u2009"), min_size=1, max_size=14)


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(NUMBERISH | st.sampled_from(["1_250_000_000", "١٢٥٠", "1.25e9", "+1250000000", " 1250000000", "1250000000.5"]))
def test_what_the_validator_passes_the_loader_reads_and_what_the_loader_refuses_the_validator_reports(written):
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(SEED_DIR, data_dir, ignore=shutil.ignore_patterns("README.md"))
        path = data_dir / "curated" / "investments.csv"
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
        rows[1][rows[0].index("amount_usd")] = written
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file, lineterminator="\n").writerows(rows)
        rehash(data_dir)
        problems = validate_package(data_dir)
        try:
            read = load_tables(data_dir, validate=False)["investments"]["amount_usd"][0]
        except DataValidationError:
            assert any((p.line, p.column, p.value) == (2, "amount_usd", written) for p in problems), problems
        else:
            assert read == float(written)
            assert is_number(written, "number")
