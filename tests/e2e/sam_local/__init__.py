"""Scripts that stand in for `sam local invoke` where no Docker engine is available."""
