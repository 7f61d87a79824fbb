"""Names and fact ids that would clash later (issue 21): caught by the validator, naming both lines."""

from aiinvest.data.validate import validate_package


def test_company_names_are_unique_ignoring_case(data_dir, edit_csv):
    edit_csv("companies", lambda t: t + "amazon-2,AMAZON,,,investor,art-000,Amazon\n")
    (problem,) = [str(p) for p in validate_package(data_dir)]
    assert problem.endswith(
        "companies.csv:11: column 'name': value 'AMAZON': expected a name no other company has, ignoring case "
        "(line 3 is 'Amazon')"
    )


def test_a_fact_id_names_one_kind_of_claim(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("anthropic-valuation-2024-03", "amazon-anthropic-tranche-1"))
    problems = [str(p) for p in validate_package(data_dir)]
    assert len(problems) == 1, problems
    assert (
        "valuations.csv:2: column 'fact_id': value 'amazon-anthropic-tranche-1': expected a fact id of " in problems[0]
    )
    assert "valuations only (line 2 of " in problems[0] and "investments.csv uses it for investments)" in problems[0]


def test_the_seed_data_has_no_such_clash(data_dir):
    assert validate_package(data_dir) == []
