"""data/README.md is generated from the descriptor and kept in sync (here: the seed data's; `aiinvest docs --check`
checks the live data's, in `make test`)."""

from fixtures import SEED_DIR

from aiinvest.report.datadoc import allowed_values, render_data_readme


def test_committed_data_readme_is_up_to_date():
    assert (SEED_DIR / "README.md").read_text(encoding="utf-8") == render_data_readme(SEED_DIR)


def test_allowed_values_render_constraints():
    assert allowed_values({"type": "string", "constraints": {"enum": ["a", "b"]}}) == "`a`, `b`"
    number = {"type": "number", "constraints": {"exclusiveMinimum": 0, "maximum": 1e13}}
    assert allowed_values(number) == "> 0, ≤ 1e+13"
    assert allowed_values({"type": "boolean"}) == "`true`, `false`"


def test_readme_lists_both_articles_and_the_missing_value_rule():
    text = render_data_readme(SEED_DIR)
    assert "| `art-000` | `raw/articles/000_2c732e15b4d59a3f.txt` | 2024-03-01 | month | true |" in text
    assert "**A missing value is an empty cell**" in text
