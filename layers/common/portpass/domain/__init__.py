"""Pure rules of SPEC §2-§6: no I/O, plain values in and out."""
