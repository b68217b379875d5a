"""The local runtime of `make run` (SPEC §10): the whole service from template.yaml, no Docker, no AWS.

Never deployed: nothing under ``infra/`` is packaged into a function or the layer.
"""
