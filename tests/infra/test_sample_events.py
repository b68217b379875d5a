"""events/: a sample event for every function and trigger of template.yaml, each one run.

Every file in events/ is what `sam local invoke -e` sends. Here each one goes to its
function's handler in-process, against moto with the template's tables and the demo data
seeded at the samples' "now", and the answer is checked (status, fields, rows), so a
sample that no longer fits the code fails here rather than in a user's terminal.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from infra.events import (
    DEMO_NOW,
    ERROR_KEYS,
    EVENTS_DIR,
    REGION,
    ROLES,
    Expect,
    Sample,
    differences,
    render,
    sam_skeletons,
    samples,
)
from infra.functions import function_module
from infra.lambda_events import LambdaContext
from infra.local.stack import Stack, load_stack
from infra.template import TEMPLATE_PATH
from tests.conftest import empty_tables

SAMPLES = samples()
BY_FILE = {sample.file: sample for sample in SAMPLES}
HOW_TO_ADD = "add a Sample to infra/events.py and run `make events`"


@pytest.fixture(scope="module")
def stack() -> Stack:
    return load_stack(TEMPLATE_PATH)


class DemoWorld:
    """moto with the template's tables and the demo data at DEMO_NOW; restored after any write.

    Seeding takes about a second; a copy of moto's tables, taken once after seeding and put
    back after each sample that writes, takes a few milliseconds.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.pristine = False
        self.snapshot: Any = None

    def fresh(self) -> None:
        if self.pristine:
            return
        if self.snapshot is None:
            empty_tables(self.client)
            from infra.local import demo

            demo.seed(DEMO_NOW)
            self.snapshot = copy.deepcopy(self._backend().tables)
        else:
            self._backend().tables = copy.deepcopy(self.snapshot)
        self.pristine = True

    @staticmethod
    def _backend() -> Any:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]


@pytest.fixture(scope="module")
def world(worker_tables: Any) -> DemoWorld:
    return DemoWorld(worker_tables)


def _handler(stack: Stack, function_id: str) -> Callable[[dict[str, Any], Any], Any]:
    spec = stack.functions[function_id]
    module = function_module(spec.code_dir.name)
    handler: Callable[[dict[str, Any], Any], Any] = getattr(module, spec.handler_name)
    return handler


def _event_file(sample: Sample) -> dict[str, Any]:
    path = EVENTS_DIR / sample.file
    assert path.exists(), f"events/{sample.file} is missing: run `make events`"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _writes(sample: Sample) -> bool:
    return not sample.trigger.startswith("GET ")


def _put_objects(sample: Sample) -> None:
    """The S3 objects the event speaks of (the import file), on moto's S3."""
    s3 = boto3.client("s3", region_name=REGION)
    for (bucket, key), content in sample.objects.items():
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):  # the worker's moto
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_object(Bucket=bucket, Key=key, Body=content)


def _invoke(stack: Stack, sample: Sample) -> tuple[int | None, Any]:
    _put_objects(sample)
    spec = stack.functions[sample.function]
    context = LambdaContext(spec.logical_id, spec.memory_mb, spec.timeout_seconds)
    answer = _handler(stack, sample.function)(_event_file(sample), context)
    if sample.trigger.split(" ", 1)[0] in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        body = answer.get("body") or ""
        return answer["statusCode"], json.loads(body) if body else None
    return None, answer


def check_answer(file: str, status: int | None, body: Any, expect: Expect) -> None:
    where = f"events/{file}"
    assert status == expect.status, f"{where}: status {status}, expected {expect.status}: {body}"
    assert isinstance(body, dict), f"{where}: the answer is not a JSON object: {body!r}"
    if expect.error_code is not None:
        error = body.get("error")
        assert isinstance(error, dict), f"{where}: no error envelope: {body}"
        assert set(ERROR_KEYS) <= set(error), f"{where}: the error lacks one of {ERROR_KEYS}: {error}"
        assert error["code"] == expect.error_code, f"{where}: {error}"
    missing = [key for key in expect.keys if key not in body]
    assert not missing, f"{where}: the answer lacks {missing}: {body}"
    for key, value in expect.fields.items():
        assert body.get(key) == value, f"{where}: {key} is {body.get(key)!r}, expected {value!r}"
    for key, least in expect.at_least.items():
        assert body.get(key, 0) >= least, f"{where}: {key} is {body.get(key)!r}, expected at least {least}"
    rows = body.get("items", [])
    assert len(rows) >= expect.items, f"{where}: {len(rows)} rows, expected at least {expect.items}"
    for row in rows:
        lacking = [key for key in expect.item_keys if key not in row]
        assert not lacking, f"{where}: a row lacks {lacking}: {sorted(row)}"
        extra = [key for key in expect.item_keys_absent if key in row]
        assert not extra, f"{where}: a row carries {extra}"


# ---------------------------------------------------------------- every trigger has a sample
def test_every_function_of_the_template_has_a_sample_event(stack: Stack) -> None:
    without = [function for function in stack.functions if not any(s.function == function for s in SAMPLES)]
    assert not without, f"functions without a sample event in events/: {without}: {HOW_TO_ADD}"


def test_every_route_has_a_sample_event_for_each_role(stack: Stack) -> None:
    missing = [
        f"{route.route_key} ({route.function_id}) as {role}"
        for route in stack.routes
        for role in ROLES
        if not any(
            s.trigger == route.route_key and s.function == route.function_id and s.role == role
            for s in SAMPLES
        )
    ]
    assert not missing, f"routes without a sample event: {missing}: {HOW_TO_ADD}"


def test_every_schedule_has_a_sample_event(stack: Stack) -> None:
    missing = [
        f"{schedule.function_id}.{schedule.event_name}"
        for schedule in stack.schedules
        if not any(s.function == schedule.function_id and s.trigger == schedule.event_name for s in SAMPLES)
    ]
    assert not missing, f"schedules without a sample event: {missing}: {HOW_TO_ADD}"


def test_every_detail_type_of_every_rule_has_a_sample_event(stack: Stack) -> None:
    missing = []
    for rule in stack.subscriptions:
        detail_types = rule.pattern.get("detail-type") or [rule.event_name]
        for detail_type in detail_types:
            if not any(s.function == rule.function_id and s.trigger == detail_type for s in SAMPLES):
                missing.append(f"{detail_type} ({rule.function_id}.{rule.event_name})")
    assert not missing, f"rule events without a sample event: {missing}: {HOW_TO_ADD}"


def test_every_file_in_events_is_a_sample_that_is_run_here() -> None:
    files = {path.name for path in EVENTS_DIR.iterdir()}
    assert files, "events/ is empty: run `make events`"
    strangers = sorted(files - set(BY_FILE))
    assert not strangers, f"files in events/ that no test runs: {strangers}: {HOW_TO_ADD}"


def test_the_events_folder_is_what_the_generator_writes_from_the_sam_cli_skeletons() -> None:
    problems = differences(render(sam_skeletons()))
    assert not problems, f"{problems}: run `make events`"


# ---------------------------------------------------------------- every sample answers as expected
@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.file for sample in SAMPLES])
def test_the_sample_event_gets_the_expected_answer_from_its_function(
    sample: Sample, stack: Stack, world: DemoWorld
) -> None:
    # Given the demo data as `make dynamodb` serves it (at the samples' time), and the
    # samples this one follows (a withdrawal follows a submission)
    world.fresh()
    if _writes(sample) or sample.given:
        world.pristine = False
    for earlier in sample.given:
        check_answer(earlier, *_invoke(stack, BY_FILE[earlier]), BY_FILE[earlier].expect)
    # When its function's handler gets the file from events/
    status, body = _invoke(stack, sample)
    # Then the answer is the expected one
    check_answer(sample.file, status, body, sample.expect)
