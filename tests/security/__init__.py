"""The security review's attacks, replayed through the local runtime over HTTP (SPEC §2, §5, §9)."""
