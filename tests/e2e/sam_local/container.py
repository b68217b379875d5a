"""One invocation as the function's Lambda container makes it: ``python container.py HANDLER EVENT``.

The process is started with the environment the SAM CLI resolved and ``PYTHONPATH`` set to
the function's code and the layer (``/var/task`` and ``/opt/python`` in the container); the
event is read from the file EVENT and the handler's answer goes to stdout as JSON (last line).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import uuid
from dataclasses import dataclass


@dataclass
class Context:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str

    def get_remaining_time_in_millis(self) -> int:
        return int(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "3")) * 1000


def main(handler: str, event_file: str) -> None:
    module_name, _, function_name = handler.rpartition(".")
    module = importlib.import_module(module_name)
    name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    context = Context(
        function_name=name,
        memory_limit_in_mb=int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]),
        invoked_function_arn=f"arn:aws:lambda:{os.environ['AWS_REGION']}:123456789012:function:{name}",
        aws_request_id=str(uuid.uuid4()),
    )
    with open(event_file, encoding="utf-8") as event:
        answer = getattr(module, function_name)(json.load(event), context)
    sys.stdout.flush()
    print("\n" + json.dumps({"answer": answer}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
