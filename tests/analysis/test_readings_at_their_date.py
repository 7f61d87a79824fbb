"""A claim keeps the reading it had at its own date, whatever a later article says about the same fact."""

import pandas as pd

from aiinvest.analysis import codes
from aiinvest.analysis.reconcile import reconcile
from aiinvest.data.load import load_tables
from aiinvest.data.provenance import sha256_file
from aiinvest.data.schema import rehash

ARTICLE = "INVENTED FOR TESTS: not real news. Amazon's $4 billion tranche of March 2024 closed in June.\n"


def add_later_tranche_on_the_same_fact(data_dir) -> None:
    """An invented article (June 2024) that frames the March '$4 billion' fact as one tranche."""
    article = data_dir / "raw" / "articles" / "150_invented.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    curated = data_dir / "curated"
    with open(curated / "sources.csv", "a", encoding="utf-8") as f:
        f.write(
            f"art-150,articles/150_invented.txt,{sha256_file(article)},INVENTED FOR TESTS,2024-06-01,day,false,"
            "Invented.,,\n"
        )
    with open(curated / "investments.csv", "a", encoding="utf-8") as f:
        f.write(
            "inv-150,amazon-anthropic-stake-2024-03,art-150,amazon,anthropic,4000000000,exact,tranche,unspecified,"
            "2024-03-27,day,false,,committed,Amazon's $4 billion tranche of March 2024,\n"
        )
    rehash(data_dir)


def test_a_later_tranche_on_the_same_fact_does_not_change_the_march_reading(data_dir):
    before = reconcile(load_tables(data_dir), pd.Timestamp("2024-03-27")).interpretations.set_index("claim_id")
    add_later_tranche_on_the_same_fact(data_dir)
    later = reconcile(load_tables(data_dir), pd.Timestamp("2024-06-01"))
    reads = later.interpretations.set_index("claim_id")
    for claim in ("inv-04", "inv-05"):
        assert before.loc[claim, "reason"] == codes.EQUALS_SUM_OF_TRANCHES
        assert reads.loc[claim, "reason"] == codes.EQUALS_SUM_OF_TRANCHES, claim
    assert codes.WORDING_SAYS_TRANCHE in set(later.disagreements["code"])
