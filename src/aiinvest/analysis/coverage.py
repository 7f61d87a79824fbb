"""Fact coverage: each fact with the sources that report it, and whether they agree."""

import numpy as np
import pandas as pd

from . import arrays, codes


def fact_coverage(claims: pd.DataFrame, disputed: set[str]) -> pd.DataFrame:
    """Each fact with the sources that report it: agree, disagree, or single source."""
    table, _ = pd.factorize(claims["table"].array, use_na_sentinel=False)
    facts = claims["fact_id"].cat
    group, heads = arrays.first_appearance(table * (len(facts.categories) + 1) + facts.codes.to_numpy() + 1)
    n = len(heads)
    sources = arrays.tuples(group, claims["source_id"].to_numpy(dtype=object), n, unique=True)
    fact = claims["fact_id"].array.take(heads)
    several = np.fromiter(map(len, sources), dtype=np.int64, count=n) > 1
    return pd.DataFrame(
        {
            "table": claims["table"].array.take(heads),
            "fact_id": fact,
            "claims": np.bincount(group, minlength=n),
            "source_ids": sources,
            "status": np.where(
                fact.isin(disputed), codes.STATUS_DISAGREE, np.where(several, codes.STATUS_AGREE, codes.STATUS_SINGLE)
            ),
        }
    )
