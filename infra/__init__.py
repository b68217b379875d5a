"""Tooling around template.yaml: reading it, building its tables, the local runtime."""
