"""Run by the SAM CLI's Python: each function's environment as `sam local invoke --env-vars` sets it.

Usage: ``.venv-sam/bin/python environments.py TEMPLATE ENV_FILE REGION`` prints
``{FunctionLogicalId: {variable: value}}``, resolved by the SAM CLI's own code
(``LocalLambdaRunner``): the template's variables, overridden by the env file, plus the
``AWS_*`` variables the SAM CLI gives every container. Only the Docker part is left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from samcli.commands.local.lib.local_lambda import LocalLambdaRunner
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider


def main(template: str, env_file: str, region: str) -> None:
    stacks, _ = SamLocalStackProvider.get_stacks(template)
    provider = SamFunctionProvider(stacks)
    base = str(Path(template).resolve().parent)
    runner = LocalLambdaRunner(
        local_runtime=None,
        function_provider=provider,
        cwd=base,
        real_path=base,
        aws_profile=None,
        aws_region=region,
        env_vars_values=json.loads(Path(env_file).read_text(encoding="utf-8")),
    )
    environments = {
        function.name: runner._make_env_vars(function).resolve() for function in provider.get_all()
    }
    print(json.dumps(environments))


if __name__ == "__main__":
    main(*sys.argv[1:4])
