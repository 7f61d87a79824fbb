"""Ids and fact ids for draft candidates, suggested from the curated claims (docs/curation.md section 3).

A candidate reuses an existing fact id when the curated claims (or an earlier candidate of the same
draft) have the same investor and investee, the same amount and a compatible date; otherwise it gets a
new id named as the guide says. Every suggestion is explained in the candidate's `why`.
"""

import re

from .draft_claims import Candidate
from .draft_dates import Publication

ID_COLUMNS = {"investments": "investment_id", "valuations": "valuation_id", "funding_totals": "total_id"}
ID_COLUMNS |= {"statements": "statement_id"}
AMOUNT_COLUMNS = {"investments": "amount_usd", "valuations": "valuation_usd", "funding_totals": "total_usd"}
DATE_COLUMNS = {"investments": "announced_date", "valuations": "as_of_date", "funding_totals": "as_of_date"}
DATE_COLUMNS |= {"statements": "date"}


def next_ids(existing: list[str], count: int, prefix: str) -> list[str]:
    """The next `count` free ids after the highest existing one, padded as the existing ids are ('inv-07')."""
    numbers = [m.group(1) for i in existing if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", i))]
    width = max((len(n) for n in numbers), default=2)
    start = max((int(n) for n in numbers), default=0) + 1
    return [f"{prefix}{n:0{width}d}" for n in range(start, start + count)]


def id_prefix(table: str, rows: list[dict]) -> str:
    """The id prefix of a table ('inv-'), from its ids, else from the table's first letters."""
    for row in rows:
        if match := re.fullmatch(r"([a-z]+-)\d+", row[ID_COLUMNS[table]]):
            return match.group(1)
    return {"investments": "inv-", "valuations": "val-", "funding_totals": "tot-", "statements": "st-"}[table]


def number(candidates: list[Candidate], tables: dict[str, list[dict]]) -> None:
    """Give each candidate the next free id of its table, in the order of the text."""
    for table, column in ID_COLUMNS.items():
        mine = [c for c in candidates if c.table == table]
        rows = tables[table]
        new_ids = next_ids([r[column] for r in rows], len(mine), id_prefix(table, rows))
        for candidate, new in zip(mine, new_ids, strict=True):
            candidate.row = {column: new, **candidate.row}
            candidate.why.insert(1, f"{column}: the next free id ({new}); --accept numbers from the next free id again")


def suggest_facts(candidates: list[Candidate], tables: dict[str, list[dict]], publication: Publication) -> None:
    """A fact id for every candidate: an existing one where the claims match, else a new one by the guide."""
    published = {row["source_id"]: row["published_date"] for row in tables["sources"]}
    for index, candidate in enumerate(candidates):
        if not candidate.table:
            continue
        earlier = [_as_claim(c) for c in candidates[:index] if c.table == candidate.table]
        known = [_labelled(r, candidate.table) for r in tables[candidate.table]] + earlier
        suggest = {"investments": _investment_fact, "statements": _statement_fact}.get(candidate.table, _level_fact)
        fact, why = suggest(candidate, known, publication, published)
        candidate.row = {**candidate.row, "fact_id": fact}
        candidate.why.append(why)
        if duplicate := _already_curated(candidate, tables):
            candidate.why.insert(0, duplicate)
    _order_new_tranches(candidates, tables)


def _order_new_tranches(candidates: list[Candidate], tables: dict[str, list[dict]]) -> None:
    """Number the draft's new tranches of each pair after the curated ones in date order (undated last)."""
    curated = {row["fact_id"] for row in tables["investments"]}
    first: dict[str, tuple[str, int]] = {}
    for c in candidates:
        fact = c.row.get("fact_id", "")
        if c.table == "investments" and "-tranche-" in fact and fact not in curated:
            key = (c.row["announced_date"] or "~", c.offset)
            first[fact] = min(first.get(fact, key), key)
    renamed = {}
    for prefix in {fact.rsplit("-tranche-", 1)[0] for fact in first}:
        pattern = re.compile(rf"{re.escape(prefix)}-tranche-(\d+)")
        numbers = [int(m.group(1)) for f in curated if (m := pattern.fullmatch(f))]
        mine = sorted((key, fact) for fact, key in first.items() if fact.rsplit("-tranche-", 1)[0] == prefix)
        for n, (_, fact) in enumerate(mine, start=max(numbers, default=0) + 1):
            renamed[fact] = f"{prefix}-tranche-{n}"
    for c in candidates:
        if c.table == "investments" and c.row.get("fact_id") in renamed:
            c.row["fact_id"] = renamed[c.row["fact_id"]]


def _labelled(row: dict, table: str) -> dict:
    return {**row, "_label": f"{row[ID_COLUMNS[table]]} ({row['source_id']})"}


def _as_claim(candidate: Candidate) -> dict:
    return {**candidate.row, "_label": f"{candidate.row[ID_COLUMNS[candidate.table]]} (this draft)"}


def _already_curated(candidate: Candidate, tables: dict[str, list[dict]]) -> str:
    """A warning when the article's own curated rows already hold this figure or quote."""
    column = AMOUNT_COLUMNS.get(candidate.table)
    for row in tables.get(candidate.table, []):
        same = row.get(column) == candidate.row.get(column) if column else row["quote"] == candidate.row["quote"]
        if row["source_id"] == candidate.row["source_id"] and same:
            return f"duplicate: {row[ID_COLUMNS[candidate.table]]} already holds this from the same article: drop it"
    return ""


def compatible(a: dict, b: dict, column: str) -> bool:
    """Dates that can describe the same fact: either missing, or equal at the coarser of the two precisions."""
    if not a.get(column) or not b.get(column):
        return True
    length = min(_LENGTH[a[f"{column}_precision"] or "day"], _LENGTH[b[f"{column}_precision"] or "day"])
    return a[column][:length] == b[column][:length]


_LENGTH = {"day": 10, "month": 7, "year": 4}


def _month(row: dict, column: str, publication: Publication) -> str:
    """YYYY-MM of a claim: its own date, else its source's publication date."""
    return (row.get(column) or publication.date.isoformat())[:7]


def _investment_fact(candidate: Candidate, known: list[dict], publication: Publication, published: dict) -> tuple:
    """Reuse the fact of the same pair, amount and date; else a new tranche or stake id."""
    row = candidate.row
    if not (row["investor_id"] and row["investee_id"]):
        return "", "fact_id: needs the investor and the investee; name them, then follow docs/curation.md section 3"
    same_pair = [k for k in known if (k["investor_id"], k["investee_id"]) == (row["investor_id"], row["investee_id"])]
    for claim in same_pair:
        if claim["amount_usd"] == row["amount_usd"] and _same_fact(claim, row, published):
            return claim["fact_id"], f"fact_id: same investor, investee, amount and date as {claim['_label']}: reused"
    prefix = f"{row['investor_id']}-{row['investee_id']}"
    if row["framing"] == "tranche":
        return _new_tranche(prefix, same_pair, row, known)
    fact = f"{prefix}-stake-{_month(row, 'announced_date', publication)}"
    return fact, _new_or_shared(fact, known, "amount_usd", row["amount_usd"], "a stake or running total, by month")


def _same_fact(claim: dict, row: dict, published: dict) -> bool:
    """Claims of one amount that can be one fact: a tranche restated at a compatible date (or undated), or
    a stake of the same month (an undated claim counts at its source's publication date)."""
    framings = {claim["framing"], row["framing"]}
    if framings == {"tranche", "cumulative"}:
        return False  # the validator refuses one fact framed both ways
    if "tranche" in framings:
        return compatible(claim, row, "announced_date")
    return _effective_month(claim, published) == _effective_month(row, published)


def _effective_month(row: dict, published: dict) -> str:
    return (row["announced_date"] or published.get(row["source_id"], ""))[:7]


def _new_tranche(prefix: str, same_pair: list[dict], row: dict, known: list[dict]) -> tuple[str, str]:
    """The next tranche number of the pair; same-dated tranches with another amount are named, not reused."""
    pattern = re.compile(rf"{re.escape(prefix)}-tranche-(\d+)")
    numbers = [int(m.group(1)) for k in known if (m := pattern.fullmatch(k["fact_id"]))]
    fact = f"{prefix}-tranche-{max(numbers, default=0) + 1}"
    why = f"fact_id: a new tranche of {row['investor_id']} in {row['investee_id']}, numbered after the curated ones"
    why += " (new tranches of one draft in date order)"
    dated = [k["_label"] for k in same_pair if k["announced_date"] and compatible(k, row, "announced_date")]
    if dated and row["announced_date"]:
        why += f"; {', '.join(dated)} has the same date but another amount: reuse its fact only if it is the same money"
    return fact, why


def _level_fact(candidate: Candidate, known: list[dict], publication: Publication, published: dict) -> tuple:
    """company-valuation-YYYY-MM or company-total-funding-YYYY-MM, shared with any claim of that name."""
    row = candidate.row
    if not row["company_id"]:
        return "", "fact_id: needs the company; name it, then follow docs/curation.md section 3"
    kind = "valuation" if candidate.table == "valuations" else "total-funding"
    fact = f"{row['company_id']}-{kind}-{_month(row, 'as_of_date', publication)}"
    column = AMOUNT_COLUMNS[candidate.table]
    return fact, _new_or_shared(fact, known, column, row[column], f"a {kind.replace('-', ' ')} by month")


def _new_or_shared(fact: str, known: list[dict], column: str, amount: str, what: str) -> str:
    """Why a by-month fact id: new, or shared with the claims of that name (saying when their amounts differ)."""
    same = [k for k in known if k["fact_id"] == fact]
    if not same:
        return f"fact_id: new, {what} (docs/curation.md section 3)"
    labels = ", ".join(k["_label"] for k in same)
    if all(k[column] == amount for k in same):
        return f"fact_id: the same fact as {labels} ({what}, same amount): reused"
    return (
        f"fact_id: the same fact as {labels} ({what}) with another amount: the report will show the sources "
        "disagree; choose a new id if this is a different fact"
    )


def _statement_fact(candidate: Candidate, known: list[dict], publication: Publication, published: dict) -> tuple:
    """Reuse a statement fact of the same companies, kind and month; else who-and-what (plus the month if a level)."""
    row = candidate.row
    who = "-".join(filter(None, [row["company_id"], row["counterparty_id"]]))
    if not who:
        return "", "fact_id: needs the company; name it, then follow docs/curation.md section 3"
    cue = statement_cue(row["quote"])
    for claim in known:
        same = all(claim[c] == row[c] for c in ("company_id", "counterparty_id", "kind", "topic"))
        if same and statement_cue(claim["quote"]) == cue and compatible(claim, row, "date"):
            said = f"'{cue}', " if cue else ""
            why = f"fact_id: same companies, {said}kind, topic and month as {claim['_label']}: reused"
            return claim["fact_id"], why
    words = _statement_words(row["quote"], row["kind"])
    fact = f"{who}-{words}" + (f"-{_month(row, 'date', publication)}" if row["kind"] == "cumulative" else "")
    if any(k["fact_id"] == fact for k in known):
        fact += f"-{_month(row, 'date', publication)}"
    return fact, "fact_id: new, who and what (plus the month for a level that changes; docs/curation.md section 3)"


def _statement_words(quote: str, kind: str) -> str:
    """'largest-commitment', 'most-significant-venture', 'stake-words': the cue and the money noun of a statement."""
    noun = re.search(r"(?i)\b(investment|venture|commitment|cheque|check|stake|infusion|bet|deal|funding|round)", quote)
    noun_word = noun.group(1).lower() if noun else "statement"
    if kind == "cumulative":
        return f"{noun_word}-words"
    return "-".join(filter(None, [statement_cue(quote).replace(" ", "-"), noun_word]))


def statement_cue(quote: str) -> str:
    """The superlative of a statement ('largest', 'most significant'), lower-case; '' when it has none."""
    cue = re.search(r"(?i)\b(largest|biggest|most significant|most important|record|unprecedented|first-ever)", quote)
    return cue.group(1).lower() if cue else ""
