"""Port Pass Inactivity Service, shared code of every function (the Lambda layer): ``logic`` (use
cases) -> ``domain`` (pure rules) and ``store`` (the only code that talks to DynamoDB)."""
