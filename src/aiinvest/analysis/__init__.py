"""The analysis stage: pure numbers at a date, computed from validated tables (no text, plots or I/O)."""
