"""Benchmarks of the build (`make bench`) and the synthetic data they use; developer tools, not installed."""
