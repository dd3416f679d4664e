"""meshdeck benchmarks (issue 7): run them all with ``python -m benchmarks``."""
