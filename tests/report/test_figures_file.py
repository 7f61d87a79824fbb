"""`aiinvest diff` reads any figures.json without a traceback: too deeply nested, huge, or with an id given twice."""

import copy
import json
from functools import cache

import pytest
from fixtures import SEED_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.report import prepare
from aiinvest.report.changes import FiguresError, fast_valid, read_figures, schema
from aiinvest.report.key_figures import figures_document


def figure(id: str, value: float) -> dict:
    return {
        "id": id,
        "label": f"label of {id}",
        "value": value,
        "unit": "USD",
        "qualifier": "exact",
        "display": f"${value / 1e9:g}B",
        "as_of": "2024-03-27",
        "as_of_text": "27 March 2024",
        "how": "reported",
        "claim_ids": ["inv-01"],
        "source_ids": ["art-000"],
    }


def document(*figures: dict, disagreements: tuple[dict, ...] = ()) -> dict:
    return {
        "version": 1,
        "company_id": "anthropic",
        "company_name": "Anthropic",
        "as_of": "2024-03-27",
        "sources": ["art-000"],
        "figures": list(figures),
        "disagreements": list(disagreements),
    }


def written(tmp_path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_valid_figures_file_is_read(tmp_path):
    data = document(figure("total:anthropic", 1e10))
    assert read_figures(written(tmp_path, "figures.json", data)) == data


@pytest.mark.parametrize("depth", [100_000, 990])
def test_deeply_nested_json_is_one_line_exit_65(tmp_path, capsys, depth):
    path = written(tmp_path, "deep.json", '{"version": ' + "[" * depth + "]" * depth + "}")
    assert main(["diff", path, path]) == exitcodes.DATA
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ") and err.count("\n") == 1 and len(err) < 400


def test_a_huge_wrong_value_is_shown_cut_short(tmp_path):
    path = written(tmp_path, "big.json", {**document(), "company_id": list(range(100_000))})
    with pytest.raises(FiguresError) as caught:
        read_figures(path)
    assert str(caught.value).startswith(f"{path}: at company_id: expected [0, 1, 2,")
    assert str(caught.value).endswith("... (see figures.schema.json)") and len(str(caught.value)) < 400


@pytest.mark.parametrize("kind", ["figures", "disagreements"])
def test_an_id_given_twice_is_refused_whatever_the_order(tmp_path, capsys, kind):
    if kind == "figures":
        data = document(figure("total:anthropic", 1e10), figure("x:y", 1), figure("total:anthropic", 2e10))
    else:
        same = {"id": "d:1", "topic": "t", "explanation": "e", "source_ids": []}
        data = document(disagreements=(same, {**same, "id": "d:2"}, {**same, "topic": "other"}))
    other = written(tmp_path, "other.json", document())
    path = written(tmp_path, "twice.json", data)
    for args in ([other, path], [path, other]):
        assert main(["diff", *args]) == exitcodes.DATA
        first = "total:anthropic" if kind == "figures" else "d:1"
        assert capsys.readouterr().err == (
            f"error: {path}: at {kind}/2/id: expected a unique id ({first!r} is also {kind}/0)\n"
        )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@cache
def seeds_document() -> dict:
    report = prepare(data_dir=str(SEED_DIR))
    return figures_document(report.view, report.key_figures)


def _mutated(document, draw) -> None:
    """Replace, remove or add one value somewhere in the document (in place)."""
    node = document
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], dict | list) or draw(st.booleans()):
            break
        node = node[key]
    if not keys or draw(st.booleans()):
        if isinstance(node, dict):
            node[draw(st.text(max_size=6))] = draw(JSON)
        else:
            node.append(draw(JSON))
    elif draw(st.booleans()):
        node[key] = draw(JSON)
    else:
        del node[key]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_fast_check_of_large_files_is_never_more_lenient_than_the_schema(data):
    document = copy.deepcopy(seeds_document())
    assert fast_valid(document) and not list(schema().iter_errors(document))
    for _ in range(data.draw(st.integers(1, 3))):
        _mutated(document, data.draw)
    if fast_valid(document):
        assert not list(schema().iter_errors(document))
