"""Validation of the curated data package: every bad-input case has a clear message."""

import csv
import io

import pytest
from fixtures import SEED_DIR

from aiinvest.config import PROJECT_ROOT
from aiinvest.data.numbers import EXPECTED
from aiinvest.data.schema import rehash
from aiinvest.data.validate import DataValidationError, check_package, validate_package


def messages(data_dir) -> list[str]:
    return [str(p) for p in validate_package(data_dir)]


def test_the_seed_data_is_valid():  # the live data: `make validate`, in `make test`
    assert validate_package(SEED_DIR) == []


def test_missing_file(data_dir):
    (data_dir / "curated" / "valuations.csv").unlink()
    assert messages(data_dir) == [
        "data/curated/valuations.csv: expected the file to exist (it is declared in datapackage.json)"
    ]


def drop_column(name):
    def change(text):
        rows = list(csv.reader(io.StringIO(text)))
        index = rows[0].index(name)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([r[:index] + r[index + 1 :] for r in rows])
        return out.getvalue()

    return change


def test_missing_column(data_dir, edit_csv):
    edit_csv("companies", drop_column("headquarters"))
    assert messages(data_dir) == [
        "data/curated/companies.csv:1: column 'headquarters': expected this column in the header (it is missing)"
    ]


def test_reordered_columns(data_dir, edit_csv):
    edit_csv("event_parties", lambda t: t.replace("event_id,company_id,role", "company_id,event_id,role"))
    assert messages(data_dir) == [
        "data/curated/event_parties.csv:1: expected the columns in the order event_id, company_id, role"
    ]


def test_unknown_column(data_dir, edit_csv):
    def add_column(text):
        lines = text.splitlines()
        return "\n".join([lines[0] + ",colour"] + [line + ",red" for line in lines[1:]]) + "\n"

    edit_csv("event_parties", add_column)
    assert messages(data_dir) == [
        "data/curated/event_parties.csv:1: column 'colour': expected only the columns "
        "event_id, company_id, role (unknown column)"
    ]


def test_wrong_type(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace("1250000000", "1.25 billion", 1))
    assert messages(data_dir) == [
        f"data/curated/investments.csv:2: column 'amount_usd': value '1.25 billion': expected {EXPECTED['number']}"
    ]


@pytest.mark.parametrize("amount", ["0", "-2000000000"])
def test_zero_or_negative_amount(data_dir, edit_csv, amount):
    edit_csv("investments", lambda t: t.replace("2000000000", amount, 1))
    assert messages(data_dir) == [
        f"data/curated/investments.csv:7: column 'amount_usd': value '{amount}': expected a number greater than 0"
    ]


def test_unknown_qualifier_and_status_reported_together(data_dir, edit_csv):
    edit_csv(
        "investments",
        lambda t: t.replace("2750000000,exact,", "2750000000,roughly,").replace(
            ",announced,announcing", ",rumoured,announcing"
        ),
    )
    assert messages(data_dir) == [
        "data/curated/investments.csv:3: column 'amount_qualifier': value 'roughly': "
        "expected one of exact, at_least, about, up_to",
        "data/curated/investments.csv:3: column 'status': value 'rumoured': expected one of announced, committed",
    ]


@pytest.mark.parametrize("bad_date", ["2024-02-30", "27/03/2024", "2024-13-01"])
def test_malformed_or_impossible_date(data_dir, edit_csv, bad_date):
    edit_csv("valuations", lambda t: t.replace("2024-03-27", bad_date))
    assert messages(data_dir) == [
        f"data/curated/valuations.csv:2: column 'as_of_date': value '{bad_date}': "
        "expected a real calendar date written YYYY-MM-DD"
    ]


def test_duplicate_id(data_dir, edit_csv):
    edit_csv("companies", lambda t: t.replace("\ngoogle-cloud,", "\ngoogle,"))
    msgs = messages(data_dir)
    assert msgs[0].startswith(
        "data/curated/companies.csv:6: column 'company_id': value 'google': expected a unique company_id"
    )
    # The row it replaced is gone, so a reference to it now dangles: reported too.
    assert msgs[1:] == [
        "data/curated/event_parties.csv:14: column 'company_id': value 'google-cloud': "
        "expected an existing companies.company_id (no such row)"
    ]


def test_unknown_source_reference(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace(",art-001,", ",art-999,"))
    assert messages(data_dir) == [
        "data/curated/valuations.csv:2: column 'source_id': value 'art-999': "
        "expected an existing sources.source_id (no such row)"
    ]


def test_unknown_company_reference(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace(",google,anthropic,", ",alphabet,anthropic,"))
    assert messages(data_dir) == [
        "data/curated/investments.csv:7: column 'investor_id': value 'alphabet': "
        "expected an existing companies.company_id (no such row)"
    ]


def test_quote_absent_from_source(data_dir, edit_csv):
    edit_csv(
        "valuations",
        lambda t: t.replace("now reported at $18.4 billion", "now reported at $20 billion"),
    )
    assert messages(data_dir) == [
        "data/curated/valuations.csv:2: column 'quote': value 'With a valuation now reported at "
        "$20 billion': expected a verbatim quote from source art-001 (not found in its article)"
    ]


def test_quote_matches_across_whitespace(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("now reported at", "now   reported\tat"))
    assert messages(data_dir) == []


def test_article_hash_changed(data_dir):
    article = data_dir / "raw" / "articles" / "001_ae6a560785f46407.txt"
    article.write_text(article.read_text().replace("$18.4 billion", "$18.5 billion"))
    msgs = messages(data_dir)
    assert msgs[0].startswith(
        "data/curated/sources.csv:3: column 'sha256': value "
        "'fe0b8ed3701028ff969bbbee8a713d638e11a6a93828c23b85a39deb7791307a': "
        "expected the SHA-256 of "
    )
    assert "the article changed (data/raw/ is immutable)" in msgs[0]
    assert any("value 'With a valuation now reported at $18.4 billion'" in m for m in msgs[1:])


def test_csv_edited_without_recording_hash(data_dir, edit_csv):
    edit_csv("events", lambda t: t.replace("Apple is rumoured", "Apple is said"), record_hash=False)
    msgs = messages(data_dir)
    assert len(msgs) == 1
    assert msgs[0].startswith("data/curated/events.csv: expected the SHA-256 recorded in datapackage.json")
    assert "run 'make rehash'" in msgs[0]


def test_empty_table(data_dir, edit_csv):
    edit_csv("funding_totals", lambda t: t.splitlines()[0] + "\n")
    assert messages(data_dir) == [
        "data/curated/funding_totals.csv: expected at least one data row (the table is empty)"
    ]


def test_file_not_utf8(data_dir):
    path = data_dir / "curated" / "companies.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Apple", "Äpple").encode("latin-1"))
    rehash(data_dir)
    # apple,Äpple,...: the first bad byte is on line 10, character 7, and nothing else is reported
    assert messages(data_dir) == [
        "data/curated/companies.csv:10:7: expected UTF-8 text (byte 0xc4 cannot start or continue a UTF-8 character)"
    ]


def test_date_without_precision(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace("2023-09-01,month,", "2023-09-01,,"))
    assert messages(data_dir) == [
        "data/curated/investments.csv:2: column 'announced_date_precision': value '': "
        "expected a precision for announced_date (day, month or year)"
    ]


def test_all_errors_of_all_files_at_once(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace("1250000000", "-1").replace("2750000000", "x"))
    edit_csv("events", lambda t: t.replace(",rumoured_collaboration,rumoured,", ",gossip,rumoured,"))
    with pytest.raises(DataValidationError) as caught:
        check_package(data_dir)
    text = str(caught.value)
    assert text.startswith("4 problem(s) in data/curated/events.csv, data/curated/investments.csv:")
    assert "investments.csv:2: column 'amount_usd': value '-1'" in text
    assert "investments.csv:4: column 'amount_usd': value '-1'" in text
    assert "investments.csv:3: column 'amount_usd': value 'x'" in text
    assert "events.csv:7: column 'kind': value 'gossip'" in text


def test_a_claim_cannot_describe_a_date_after_its_source_was_published(data_dir, edit_csv):
    edit_csv("valuations", lambda t: t.replace("2024-03-27,day,true", "2024-04-02,day,true"))
    assert messages(data_dir) == [
        "data/curated/valuations.csv:2: column 'as_of_date': value '2024-04-02': expected a date on or before its "
        "source's publication (2024-03-27 for art-001, the first day of its period): a claim describes what was "
        "known when it was published"
    ]


def test_a_month_precision_source_counts_from_the_first_of_its_month(data_dir, edit_csv):
    """A report as of 5 March holds art-000 (March 2024): so art-000 cannot describe 20 March."""
    edit_csv(
        "events",
        lambda t: t.replace(
            "ev-10,aws-generative-ai-statement,art-000,2024-03-01,month",
            "ev-10,aws-generative-ai-statement,art-000,2024-03-20,day",
        ),
    )
    assert messages(data_dir) == [
        "data/curated/events.csv:11: column 'date': value '2024-03-20': expected a date on or before its source's "
        "publication (2024-03-01 for art-000, the first day of its period): a claim describes what was known when "
        "it was published"
    ]


def test_claims_of_one_investment_fact_share_investor_investee_and_framing(data_dir, edit_csv):
    edit_csv(
        "investments",
        lambda t: t.replace(
            "inv-03,amazon-anthropic-tranche-1,art-001,amazon,anthropic,1250000000,exact,tranche",
            "inv-03,amazon-anthropic-tranche-1,art-001,google,anthropic,1250000000,exact,cumulative",
        ),
    )
    assert messages(data_dir) == [
        "data/curated/investments.csv:4: column 'investor_id': value 'google': expected the investor_id of the same "
        "fact on line 2 (amazon)",
        "data/curated/investments.csv:4: column 'framing': value 'cumulative': expected the framing of the same fact "
        "on line 2 (tranche): one fact is either a tranche or a running total (use another fact_id, or framing "
        "unknown)",
    ]


def test_framing_must_be_one_of_the_vocabulary(data_dir, edit_csv):
    edit_csv("investments", lambda t: t.replace(",exact,unknown,latest,", ",exact,latest,latest,"))
    assert messages(data_dir) == [
        "data/curated/investments.csv:6: column 'framing': value 'latest': expected one of tranche, cumulative, unknown"
    ]


def test_the_validation_cache_key_covers_the_data_code_and_library_versions(monkeypatch):
    from importlib import metadata

    from aiinvest.data import validate

    before = validate.validator_fingerprint()
    assert validate.validator_fingerprint() == before
    real = metadata.distribution

    class Upgraded:
        def __init__(self, dist):
            self.version, self.requires = dist.version + ".post1", dist.requires

    def distribution(name):  # a dependency of frictionless, upgraded
        dist = real(name)
        return Upgraded(dist) if name.lower() == "petl" else dist

    monkeypatch.setattr(metadata, "distribution", distribution)
    validate.library_versions.cache_clear()  # as in a new process, after the upgrade
    assert validate.validator_fingerprint() != before
    monkeypatch.undo()
    validate.library_versions.cache_clear()
    assert validate.validator_fingerprint() == before
    monkeypatch.setattr(validate, "__file__", str(PROJECT_ROOT / "src" / "aiinvest" / "analysis" / "codes.py"))
    assert validate.validator_fingerprint() != before  # other code, another key


def test_frictionless_checks_again_only_the_tables_that_changed(data_dir, edit_csv, monkeypatch, tmp_path):
    """A table whose bytes, entry, package entries and validator all passed before is not re-read by Frictionless."""
    import json

    import frictionless

    from aiinvest.data import validate
    from aiinvest.data.schema import descriptor_path, read_descriptor, resources

    monkeypatch.setenv("AIINVEST_CACHE_DIR", str(tmp_path / "cache"))
    given = []
    real = frictionless.Package.validate

    def recording(package, *args, **options):
        given.append(sorted(package.resource_names))
        return real(package, *args, **options)

    def edit_descriptor(change):
        descriptor = json.loads(descriptor_path(data_dir).read_text(encoding="utf-8"))
        change(descriptor)
        descriptor_path(data_dir).write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")

    monkeypatch.setattr(frictionless.Package, "validate", recording)
    every = sorted(resources(read_descriptor(data_dir)))
    assert messages(data_dir) == [] and messages(data_dir) == []
    assert given == [every]  # the second pass gave Frictionless nothing

    original = (data_dir / "curated" / "valuations.csv").read_text(encoding="utf-8")
    edit_csv("valuations", lambda t: t.replace("18400000000", "-5"))
    assert messages(data_dir) and messages(data_dir)  # a failure is never remembered as a pass
    assert given[1:] == [["valuations"], ["valuations"]]
    edit_csv("valuations", lambda t: original)
    assert messages(data_dir) == [] and len(given) == 3  # these bytes passed before

    edit_descriptor(lambda d: d["resources"][-1].update(description="Edited."))
    assert messages(data_dir) == [] and given[3:] == [[d["name"] for d in read_descriptor(data_dir)["resources"]][-1:]]
    edit_descriptor(lambda d: d.update(title="Edited"))
    assert messages(data_dir) == [] and given[4:] == [every]  # the package's own entries apply to every table

    monkeypatch.setattr(validate, "validator_fingerprint", lambda: "another validator")
    assert messages(data_dir) == [] and given[5:] == [every]


def test_a_resource_named_twice_is_refused_before_any_table_is_read(data_dir):
    import json

    from aiinvest.data.schema import descriptor_path

    descriptor = json.loads(descriptor_path(data_dir).read_text(encoding="utf-8"))
    descriptor["resources"].append(dict(descriptor["resources"][1]))
    descriptor_path(data_dir).write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    found = messages(data_dir)
    assert len(found) == 1 and found[0].startswith("data/curated/datapackage.json:")
    assert "column 'resources'" in found[0] and "expected each resource name once" in found[0]
