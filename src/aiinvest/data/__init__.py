"""The data stage: articles and registration, the curated tables, their schema and validation."""
