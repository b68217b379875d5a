"""`make run`: the service on http://127.0.0.1:3000 with demo data, until Ctrl-C.

Environment: PORT (3000), HOST (127.0.0.1), SEED (1; 0 = empty tables),
PORTPASS_TEMPLATE (template.yaml), PORTPASS_PARAMETERS ("Name=value ..." overrides of the
template's parameter defaults, as `sam --parameter-overrides`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from infra.local.output import whole_lines
from infra.local.runtime import LocalRuntime, PortBusy
from infra.local.shutdown import Shutdown, exit_without_teardown
from infra.local.stack import parse_parameter_overrides
from infra.template import TEMPLATE_PATH


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__.splitlines()[0])
    parser.add_argument("--template", default=os.environ.get("PORTPASS_TEMPLATE", str(TEMPLATE_PATH)))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 3000))
    no_seed = os.environ.get("SEED", "1").strip().lower() in ("0", "false", "no")
    parser.add_argument("--no-seed", action="store_true", default=no_seed)
    parser.add_argument("--parameters", default=os.environ.get("PORTPASS_PARAMETERS", ""))
    return parser.parse_args(argv)


def banner(runtime: LocalRuntime, seconds: float) -> str:
    url = runtime.url
    lines = [
        "",
        f"Port Pass Inactivity Service, local runtime: ready in {seconds:.1f} s",
        f"  web client   {url}/",
        f"  API docs     {url}/swagger",
        f"  DynamoDB     {runtime.dynamodb.endpoint_url if runtime.dynamodb else '-'} (in memory)",
    ]
    if runtime.seed_summary:
        s = runtime.seed_summary
        lines.append(
            f"  demo data    {s['passes']} passes ({s['tier5']} warned, {s['tier6']} suspended), "
            f"{s['reinstatements']} reinstatements"
        )
    else:
        lines.append("  demo data    none (SEED=0)")
    for function_id, reason in runtime.unavailable.items():
        lines.append(f"  NOT LOADED   {function_id}: {reason}")
    lines += ["", "Demo users (sign in on the web client, or get a token):"]
    for user in runtime.users_listing():
        scope = user["orgName"] or ",".join(user["ports"]) or "-"
        lines.append(f"  {user['username']:<12} {user['name']:<10} {user['role']:<13} {scope}")
    lines += [
        "",
        "  TOKEN=$(curl -s -X POST " + url + '/_local/login -d \'{"username":"utron"}\' '
        "| python3 -c 'import json,sys; print(json.load(sys.stdin)[\"token\"])')",
        f'  curl -H "Authorization: Bearer $TOKEN" "{url}/inactive-passes?tier=6"',
        "",
        "Scheduled jobs: "
        + ", ".join(f"{s['function']} next {s['next']}" for s in runtime.schedules_listing()),
        "Local controls: /_local/users, /_local/login, /_local/events, /_local/schedules/{id}, "
        "/_local/clock, /_local/reset (README: Run it locally)",
        "Ctrl-C stops.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    whole_lines()  # before any function's logger takes hold of sys.stdout
    started = time.monotonic()
    try:
        overrides = parse_parameter_overrides(args.parameters)
    except ValueError as error:
        print(f"PORTPASS_PARAMETERS: {error}", file=sys.stderr)
        return 2
    # Signals only write to a pipe; stopping is bounded (infra/local/shutdown.py).
    shutdown = Shutdown().install()
    runtime = LocalRuntime(
        Path(args.template), host=args.host, port=args.port, seed=not args.no_seed, parameters=overrides
    )
    try:
        runtime.start()
    except PortBusy as error:
        print(
            f"\n{error}.\nAnother program (perhaps another `make run`) is using port {args.port}: "
            f"stop it, or choose another port: PORT={args.port + 1} make run\n",
            file=sys.stderr,
        )
        shutdown.finished()
        return 1

    def announce() -> None:
        if not shutdown.requested.is_set():
            print(banner(runtime, time.monotonic() - started), flush=True)

    return shutdown.serve(announce, runtime.stop)


if __name__ == "__main__":
    exit_without_teardown(main())
