"""`make bench`: the performance evidence of issue 7, written to docs/benchmarks.md.

Run as ``python -m bench`` (``make bench``). Not part of ``make test``.
"""
