"""`aiinvest diff` reads any figures.json without a traceback: too deeply nested, huge, or with an id given twice."""

import json

import pytest

from aiinvest import exitcodes
from aiinvest.cli import main
from aiinvest.report.changes import FiguresError, read_figures


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
