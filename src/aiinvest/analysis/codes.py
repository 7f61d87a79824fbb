"""Reason codes: how each claim was read, and why sources disagree. The report layer words them."""

# How an investment claim was read (interpretations.reason).
CURATED_TRANCHE = "curated_tranche"  # framing tranche: one tranche, as the curator reads the text
CURATED_CUMULATIVE = "curated_cumulative"  # framing cumulative: the investor's running total at its date
SAME_FACT_AS_TRANCHE = "same_fact_as_tranche"  # unknown framing, but the curator tied it to a tranche's fact
EQUALS_SUM_OF_TRANCHES = "equals_sum_of_tranches"  # unknown framing; equals the sum of >= 2 tranches known then
EQUALS_TRANCHE = "equals_tranche"  # unknown framing; equals one tranche known then
ONLY_AMOUNT_KNOWN = "only_amount_known"  # unknown framing; no tranche known then: read as the total so far
MATCHES_NOTHING = "matches_nothing"  # unknown framing; no tranche known then and not their sum
BELOW_KNOWN_TRANCHES = "below_known_tranches"  # a running total smaller than the tranches known then

READ_AS_TRANCHE = (CURATED_TRANCHE, SAME_FACT_AS_TRANCHE, EQUALS_TRANCHE)
READ_AS_CUMULATIVE = (CURATED_CUMULATIVE, EQUALS_SUM_OF_TRANCHES, ONLY_AMOUNT_KNOWN, BELOW_KNOWN_TRANCHES)

# Why sources disagree (disagreements.code); MATCHES_NOTHING and BELOW_KNOWN_TRANCHES are codes too.
WORDING_SAYS_TRANCHE = "wording_says_tranche"  # called 'latest'/'initial' but equals the running total
WORDING_SAYS_TOTAL = "wording_says_total"  # called a total but equals one of several tranches
AMOUNTS_DIFFER = "amounts_differ"  # claims of one fact give different amounts
DATES_DIFFER = "dates_differ"  # claims of one event place it at different times
# Not a disagreement (kept apart from them, never counted as one): one source dates an event, another gives no date.
DATED_BY_ONE_SOURCE = "dated_by_one_source"

# Fact coverage (coverage.status).
STATUS_DISAGREE, STATUS_AGREE, STATUS_SINGLE = "disagree", "agree", "single_source"
