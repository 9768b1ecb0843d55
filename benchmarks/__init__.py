"""Benchmarks: run them all with ``python -m benchmarks`` (results go to benchmarks/results/)."""
