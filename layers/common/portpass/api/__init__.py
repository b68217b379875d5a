"""HTTP plumbing shared by the API functions: caller, request time, error envelope, models."""
