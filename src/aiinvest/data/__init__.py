"""The data stage: the articles, the curated tables, their schema, loading and validation."""
