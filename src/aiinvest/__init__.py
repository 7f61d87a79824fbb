"""Reproducible, parameterised report on the AI investment race."""

__version__ = "0.1.0"
