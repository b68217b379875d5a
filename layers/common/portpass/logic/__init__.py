"""Use cases: one module per thing the service does (reads/writes through portpass.store)."""
