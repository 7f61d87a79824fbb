"""The worked cases of docs/curation.md ("the earlier $X", "has now committed $X") read as the guide says.

The article, its rows and the expected reasons are taken from the guide itself, so the guide cannot
drift from what `reconcile` does. The article is invented (it never enters data/).
"""

import re

import pandas as pd
import pytest

from aiinvest.analysis import codes
from aiinvest.analysis.reconcile import reconcile
from aiinvest.config import PROJECT_ROOT
from aiinvest.curate.register import Registration, register_article
from aiinvest.data.load import load_tables
from aiinvest.data.schema import rehash

GUIDE = (PROJECT_ROOT / "docs" / "curation.md").read_text(encoding="utf-8")
SECTION = GUIDE.split('### Worked cases: "the earlier $X"', 1)[1].split("\n### ", 1)[0]
ARTICLE = " ".join(line[2:] for line in SECTION.splitlines() if line.startswith("> "))
ROWS = dict(re.findall(r"^(inv-\d+),(.*)$", SECTION.split("```csv", 1)[1].split("```", 1)[0], flags=re.M))
EXPECTED = dict(re.findall(r"^\| `(inv-\d+)` \| [^|]+ \| `([a-z_]+)`", SECTION, flags=re.M))
PUBLISHED = pd.Timestamp("2024-11-22")


@pytest.fixture
def curate(data_dir, tmp_path):
    """Register the guide's article; return a function that curates rows and reconciles as of its date."""
    article = tmp_path / "new.txt"
    article.write_text(f"date 2024-11-22\nAmazon doubles its bet on Anthropic\n\n{ARTICLE}\n", encoding="utf-8")
    row = register_article(article, data_dir, Registration(published=PUBLISHED.date(), precision="day"))
    assert row["source_id"] == "art-002"
    investments = data_dir / "curated" / "investments.csv"
    before = investments.read_text(encoding="utf-8")

    def reconciled(rows: dict[str, str]):
        investments.write_text(before + "".join(f"{i},{rest}\n" for i, rest in rows.items()), encoding="utf-8")
        rehash(data_dir)
        return reconcile(load_tables(data_dir), PUBLISHED)

    return reconciled


def reasons(rec) -> dict[str, str]:
    reads = rec.interpretations
    return dict(zip(reads["claim_id"], reads["reason"], strict=True))


def amazon_total(rec) -> tuple[float, str]:
    totals = rec.investor_totals
    last = totals[totals["investor_id"] == "amazon"].iloc[-1]
    return last["total_usd"], last["basis"]


def test_the_guide_holds_the_case():
    assert ARTICLE.startswith("Amazon will invest another $4 billion") and len(ROWS) == 4
    assert set(EXPECTED) == set(ROWS)


def test_the_rows_read_as_the_guide_says(curate):
    rec = curate(ROWS)
    assert {c: r for c, r in reasons(rec).items() if c in ROWS} == EXPECTED
    assert amazon_total(rec) == (8e9, "tranches")
    coverage = rec.coverage.set_index("fact_id")
    assert coverage.loc["amazon-anthropic-tranche-2", "source_ids"] == ("art-000", "art-002")
    assert coverage.loc["amazon-anthropic-tranche-2", "status"] == codes.STATUS_AGREE


def test_an_undated_earlier_total_is_misread_as_the_new_tranche(curate):
    undated = re.sub(r"2024-03-27,day,true,\"[^\"]*\"", ",,false,", ROWS["inv-08"])
    assert undated != ROWS["inv-08"]
    rec = curate({**ROWS, "inv-08": undated})
    assert reasons(rec)["inv-08"] == codes.EQUALS_TRANCHE
    reads = rec.interpretations.set_index("claim_id")
    assert reads.loc["inv-08", "tranche_fact_id"] == "amazon-anthropic-tranche-3"


@pytest.mark.parametrize(
    ("framing", "reason", "total"),
    [
        ("cumulative", codes.CURATED_CUMULATIVE, (8e9, "reported")),
        ("unknown", codes.MATCHES_NOTHING, (4e9, "tranches")),
    ],
)
def test_a_total_stated_alone_depends_on_its_framing(curate, framing, reason, total):
    row = ROWS["inv-10"].replace(",cumulative,", f",{framing},")
    rec = curate({"inv-07": row})  # the only new row: the total, with no new tranche
    assert reasons(rec)["inv-07"] == reason
    assert amazon_total(rec) == total
    assert (reason == codes.MATCHES_NOTHING) == (codes.MATCHES_NOTHING in set(rec.disagreements["code"]))
