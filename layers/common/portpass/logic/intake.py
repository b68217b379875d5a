"""Data coming in from the issuance and gate systems (SPEC §8): an event is validated whole before
anything is written; a pass changes only when domain.issuance's rules change it (replays are harmless)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from typing import Annotated, Any, Concatenate, Literal, get_args

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from portpass.domain.calendar import taipei_date
from portpass.domain.gate_feed import is_future_dated
from portpass.domain.identity import (
    MAX_VERSION,
    parse_display_name,
    parse_holder_id,
    parse_org_id,
    parse_pass_no,
    parse_port,
)
from portpass.domain.issuance import (
    ISSUED_STATUSES,
    IssuedPass,
    is_passage_for_suspended_pass,
    merge_upsert,
    record_passage,
    submit_cancellation,
    withdraw_cancellation,
)
from portpass.domain.passes import Pass, PassStatus, PassType
from portpass.observability import MetricUnit, logger, metrics
from portpass.store import early_passages, service_state
from portpass.store.failures import LostRace
from portpass.store.passes import change_pass, get_pass, get_passes


class RejectedEvent(ValueError):
    """A malformed event, rejected whole with the reason; nothing was written."""


def _issued_status(value: PassStatus) -> PassStatus:
    if value not in ISSUED_STATUSES:
        raise ValueError(f"status must be one of {[status.value for status in ISSUED_STATUSES]}")
    return value


def _whole_seconds(value: datetime) -> datetime:
    # Instants are stored to the second: a replay must compare equal to what was stored.
    return value.replace(microsecond=0)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PassNo = Annotated[str, AfterValidator(parse_pass_no)]
# SPEC §2, §8 (v1.2): every identifier of an event is normalised and bounded here, before any key
# is built from it.
OrgId = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(parse_org_id)]
Name = Annotated[str, AfterValidator(parse_display_name)]
Instant = Annotated[AwareDatetime, AfterValidator(_whole_seconds)]


class _Detail(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PassUpsertedDetail(_Detail):
    pass_no: PassNo = Field(alias="passNo")
    holder_id: Annotated[str, AfterValidator(parse_holder_id)] = Field(alias="holderId")
    holder_name: Name = Field(alias="holderName")
    org_id: OrgId = Field(alias="orgId")
    org_name: Name = Field(alias="orgName")
    port: Annotated[str, AfterValidator(parse_port)]
    pass_type: PassType = Field(alias="passType")
    valid_from: date = Field(alias="validFrom")
    valid_to: date = Field(alias="validTo")
    status: Annotated[PassStatus, AfterValidator(_issued_status)]
    version: int = Field(strict=True, ge=0, le=MAX_VERSION)

    def issued(self) -> IssuedPass:
        if self.valid_to < self.valid_from:
            raise ValueError("validTo is before validFrom")
        return IssuedPass(**self.model_dump(include=set(PassUpsertedDetail.model_fields)))


class CancellationDetail(_Detail):
    pass_no: PassNo = Field(alias="passNo")
    at: Instant


class Passage(_Detail):
    pass_no: PassNo = Field(alias="passNo")
    passed_at: Instant = Field(alias="passedAt")


class GatePassagesDetail(_Detail):
    gate_id: Text = Field(alias="gateId")
    passages: list[Passage] = Field(min_length=1, max_length=500)


class SuspendedPassPresentedDetail(_Detail):
    gate_id: Text = Field(alias="gateId")
    pass_no: PassNo = Field(alias="passNo")
    presented_at: Instant = Field(alias="presentedAt")


class _IntakeEvent(EventBridgeModel):  # its model is chosen by its detail-type (_MODELS)
    time: AwareDatetime


class PassUpserted(_IntakeEvent):
    source: Literal["portpass.issuance"]
    detail: PassUpsertedDetail


class CancellationSubmitted(_IntakeEvent):
    source: Literal["portpass.issuance"]
    detail: CancellationDetail


class CancellationWithdrawn(_IntakeEvent):
    source: Literal["portpass.issuance"]
    detail: CancellationDetail


class GatePassagesRecorded(_IntakeEvent):
    source: Literal["portpass.gates"]
    detail: GatePassagesDetail


class SuspendedPassPresented(_IntakeEvent):
    source: Literal["portpass.gates"]
    detail: SuspendedPassPresentedDetail


IntakeEvent = (
    PassUpserted
    | CancellationSubmitted
    | CancellationWithdrawn
    | GatePassagesRecorded
    | SuspendedPassPresented
)
# Each model is named after its detail-type.
_MODELS: dict[str, type[IntakeEvent]] = {model.__name__: model for model in get_args(IntakeEvent)}


def parse_intake_event(event: Any, received_at: datetime) -> IntakeEvent:
    """The event as a typed model, or RejectedEvent with a reason naming the bad fields (SPEC §4)."""
    if not isinstance(event, dict):
        raise RejectedEvent("event is not a JSON object")
    detail_type = event.get("detail-type")
    model = _MODELS.get(detail_type) if isinstance(detail_type, str) else None
    if model is None:
        raise RejectedEvent(f"unknown detail-type {detail_type!r}, expected one of {sorted(_MODELS)}")
    try:
        parsed = parse(event=event, model=model)
        if isinstance(parsed, PassUpserted):
            parsed.detail.issued()
        elif isinstance(parsed, CancellationSubmitted | CancellationWithdrawn):
            _reject_future(parsed.detail.at, "detail.at", received_at)
        elif isinstance(parsed, SuspendedPassPresented):
            _reject_future(parsed.detail.presented_at, "detail.presentedAt", received_at)
    except ValidationError as error:
        raise RejectedEvent(f"{detail_type}: {field_reasons(error)}") from None
    except ValueError as error:  # raised by the Powertools parser or a whole-detail check
        cause = error.__cause__
        reason = field_reasons(cause) if isinstance(cause, ValidationError) else str(error)
        raise RejectedEvent(f"{detail_type}: {reason}") from None
    return parsed


def _reject_future(instant: datetime, field: str, received_at: datetime) -> None:
    """SPEC §4, §12 time sanity: a future ``at``, stored, would outrank every later real event
    and freeze the pass as cancellation-pending. The event's ``time`` is its publisher's word."""
    if is_future_dated(instant, received_at):
        metrics.add_metric(name="FutureDatedInstantsRejected", unit=MetricUnit.Count, value=1)
        raise ValueError(f"{field}: more than 5 minutes after the event was received")


def field_reasons(error: ValidationError) -> str:
    # Field paths and messages only: the input values may hold a holder ID or name.
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'event'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False)
    )


def apply_intake_event(event: IntakeEvent, received_at: datetime) -> dict[str, Any]:
    """Apply a parsed event; what it changed, for the log and the local runtime."""
    on = taipei_date(received_at)
    if isinstance(event, PassUpserted):
        summary = _apply_upsert(event.detail.issued(), on, received_at)
    elif isinstance(event, CancellationSubmitted):
        summary = _apply_cancellation(event.detail.pass_no, event.detail.at, submit_cancellation)
    elif isinstance(event, CancellationWithdrawn):
        summary = _apply_cancellation(event.detail.pass_no, event.detail.at, withdraw_cancellation)
    elif isinstance(event, SuspendedPassPresented):
        from portpass.logic.alerts import apply_presentation  # SES loads only for an alert

        detail = event.detail
        summary = apply_presentation(detail.pass_no, detail.gate_id, detail.presented_at, event.id)
    else:
        summary = _apply_passages(event.detail, received_at, on)
    result = {"detailType": event.detail_type, "eventId": event.id, **summary}
    metrics.add_metric(name="EventsApplied", unit=MetricUnit.Count, value=1)
    logger.info("intake event applied", extra={"summary": result})
    return result


def _apply_upsert(issued: IssuedPass, on: date, received_at: datetime) -> dict[str, Any]:
    stored = get_pass(issued.pass_no)
    changed = change_pass(issued.pass_no, stored, partial(merge_upsert, issued=issued, on=on)) is not None
    if not changed:
        logger.info("upsert ignored: not newer than the stored version", extra={"pass_no": issued.pass_no})
    summary: dict[str, Any] = {"passNo": issued.pass_no, "version": issued.version, "applied": changed}
    for moved in apply_early_passages([issued.pass_no], received_at).values():
        summary["earlyPassageApplied"] = moved
    return summary


def apply_early_passages(pass_nos: Iterable[str], received_at: datetime) -> dict[str, bool]:
    """Apply the passages kept for these passes while unknown (SPEC §8); read after the passes are
    written, as a gate batch keeps a passage before re-reading its pass: one always sees the other."""
    kept = early_passages.early_passages_of(pass_nos)
    return {pass_no: _apply_early_passage(pass_no, kept[pass_no], received_at) for pass_no in kept}


def _apply_early_passage(pass_no: str, passed_at: datetime, received_at: datetime) -> bool:
    # ``received_at``: the pass's upsert or import line; the passage counts for its port's feed from then.
    if is_future_dated(passed_at, received_at):
        # Kept passages passed the time sanity when received, so this is only a clock set
        # back: it waits (60 days at most), so a future-dated passage cannot make a pass immune.
        logger.warning("kept passage after the upsert's time left aside", extra={"pass_no": pass_no})
        return False
    stored = get_pass(pass_no)
    if stored is None:
        return False
    decide = _if_found(record_passage, passed_at, taipei_date(received_at))
    moved = change_pass(pass_no, stored, decide) is not None
    service_state.record_feed_passages({stored.value.port: [passed_at]}, received_at=received_at)
    metrics.add_metric(name="EarlyPassagesApplied", unit=MetricUnit.Count, value=int(moved))
    return moved


def _apply_cancellation(pass_no: str, at: datetime, rule: Callable[[Pass, datetime], Pass]) -> dict[str, Any]:
    stored = get_pass(pass_no)
    if stored is None:
        metrics.add_metric(name="CancellationsForUnknownPasses", unit=MetricUnit.Count, value=1)
        logger.warning("cancellation event for an unknown pass", extra={"pass_no": pass_no})
        return {"passNo": pass_no, "unknownPass": True, "applied": False}
    applied = change_pass(pass_no, stored, _if_found(rule, at)) is not None
    return {"passNo": pass_no, "unknownPass": False, "applied": applied}


def _apply_passages(detail: GatePassagesDetail, received_at: datetime, on: date) -> dict[str, Any]:
    # SPEC §4 time sanity: a passage dated more than 5 minutes after its receipt is dropped on its
    # own; the batch's others are real, dropping them would suspend passes (docs/decisions.md).
    future = [passage for passage in detail.passages if is_future_dated(passage.passed_at, received_at)]
    latest: dict[str, datetime] = {}
    for passage in detail.passages:
        if not is_future_dated(passage.passed_at, received_at):
            latest[passage.pass_no] = max(passage.passed_at, latest.get(passage.pass_no, passage.passed_at))
    stored = get_passes(latest)
    unknown = sorted(set(latest) - set(stored))
    if unknown:
        # SPEC §8: kept and applied when the pass arrives. Re-read after keeping them: an upsert
        # that wrote its pass meanwhile reads them after its write (one always sees the other).
        for pass_no in unknown:
            early_passages.keep_early_passage(pass_no, latest[pass_no])
        stored.update(get_passes(unknown))
    moved = failed = 0
    suspended: list[str] = []
    feed: dict[str, list[datetime]] = {}
    for pass_no, passed_at in latest.items():
        if pass_no not in stored:
            continue
        current = stored[pass_no]
        if is_passage_for_suspended_pass(current.value):
            suspended.append(pass_no)
        # SPEC §4: a passage's port is its pass's port, whatever gate reported it.
        feed.setdefault(current.value.port, []).append(passed_at)
        try:
            moved += change_pass(pass_no, current, _if_found(record_passage, passed_at, on)) is not None
        except LostRace:
            failed += 1
    service_state.record_feed_passages(feed, received_at=received_at)
    still_unknown = [pass_no for pass_no in unknown if pass_no not in stored]
    metrics.add_metric(name="PassagesForUnknownPasses", unit=MetricUnit.Count, value=len(still_unknown))
    metrics.add_metric(name="PassagesForSuspendedPasses", unit=MetricUnit.Count, value=len(suspended))
    metrics.add_metric(name="FutureDatedInstantsRejected", unit=MetricUnit.Count, value=len(future))
    if future:
        # Pass numbers are not personal data; the instants and holders are not logged.
        logger.warning(
            "passages dated after their receipt rejected",
            extra={
                "gate_id": detail.gate_id,
                "rejected": len(future),
                "pass_nos": sorted({p.pass_no for p in future}),
            },
        )
    if still_unknown:
        logger.info(
            "passages for unknown passes kept until their pass arrives",
            extra={"gate_id": detail.gate_id, "pass_nos": still_unknown},
        )
    if suspended:
        logger.warning(
            "gate let suspended passes through", extra={"gate_id": detail.gate_id, "pass_nos": suspended}
        )
    if failed:
        raise LostRace(f"{failed} passes kept changing; the event is retried")
    return {
        "gateId": detail.gate_id,
        "passages": len(detail.passages),
        "moved": moved,
        "unknownPasses": len(still_unknown),
        "suspendedPasses": len(suspended),
        "futureDatedRejected": len(future),
        "feedPorts": sorted(feed),
    }


def _if_found[**P](
    rule: Callable[Concatenate[Pass, P], Pass], *args: P.args, **kwargs: P.kwargs
) -> Callable[[Pass | None], Pass | None]:
    """The ``decide`` of store.passes.change_pass: ``rule`` leaves alone a pass removed meanwhile."""

    def decide(current: Pass | None) -> Pass | None:
        return rule(current, *args, **kwargs) if current is not None else None

    return decide
