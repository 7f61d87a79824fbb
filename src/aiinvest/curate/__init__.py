"""Curation tools, beside the pipeline and above the data stage: registering an article, drafting claim rows.

They write the data folder; nothing in the pipeline imports them, so tuning a drafting heuristic changes
neither the validator's fingerprint nor any report's.
"""
