"""Demo users and the demo data set of the local runtime (SPEC §10).

The data is dated relative to "now" (the runtime's clock when it seeds), so the lists are
current whatever the day: a few hundred passes over the seven ports and several companies,
the seed manual's sample holders among them, every list and tab with rows for the demo
users, and a history of more than one page for the first company and the port officer.

Each pass's state is computed by the inactivity rule itself (``apply_inactivity_rule`` at
the seed date), so the data is what the daily job would have made of it. Passes are
written in batches by ``store.passes.seed_passes`` with their /summary counters; reinstatement
records and grants through ``store_history``, which adds their visibility entries.

Import this module only after the environment points at the local DynamoDB (the portpass
models read the endpoint when first imported).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portpass.domain.activity import ActivityKind
from portpass.domain.alert import Presentation
from portpass.domain.calendar import TAIPEI, add_months, storage_instant, taipei_date
from portpass.domain.history import ExemptionAction, ExemptionChange
from portpass.domain.identity import TAIWAN_ID_SHAPE, has_valid_taiwan_check_digit
from portpass.domain.inactivity import apply_inactivity_rule, set_exemption
from portpass.domain.passes import Pass, PassStatus, PassType
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus, mark_pending, new_application
from portpass.domain.scope import Caller
from portpass.reference import PORTS
from portpass.store import alerts, exemptions, keys, service_state
from portpass.store.access import Grant
from portpass.store.activity import STATISTICS_KEPT
from portpass.store.models import CounterItem
from portpass.store.passes import seed_passes
from portpass.store.reinstatements import store_history

RANDOM_SEED = 20240629
GENERATED_PASSES = 320


# ---------------------------------------------------------------- users
@dataclass(frozen=True)
class DemoUser:
    username: str
    sub: str
    name: str
    role: str
    org_id: str | None = None
    org_name: str | None = None
    ports: tuple[str, ...] = ()

    def claims(self) -> dict[str, str]:
        """The claims the JWT authorizer would pass for this account (SPEC §5)."""
        claims = {
            "sub": self.sub,
            "name": self.name,
            "cognito:username": self.username,
            "custom:role": self.role,
            "custom:ports": ",".join(self.ports),
        }
        if self.org_id:
            claims["custom:orgId"] = self.org_id
        return claims

    @property
    def caller(self) -> Caller:
        """The account as the service sees it (its claims, SPEC §5)."""
        return Caller.from_claims(self.claims())

    def owns(self, pass_: Pass) -> bool:
        return self.caller.owns(pass_.org_id, pass_.port)

    def listing(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.name,
            "role": self.role,
            "orgId": self.org_id,
            "orgName": self.org_name,
            "ports": list(self.ports),
        }


UTRON = ("ORG-UTRON", "優創科技股份有限公司")
HARBOR = ("ORG-HARBOR", "海港物流股份有限公司")
EASTSUN = ("ORG-EASTSUN", "東昇裝卸股份有限公司")
NORTHSTAR = ("ORG-NORTHSTAR", "北辰船務代理股份有限公司")
SOUTHSTAR = ("ORG-SOUTHSTAR", "南星工程有限公司")
BLUEWAVE = ("ORG-BLUEWAVE", "藍浪倉儲股份有限公司")
COMPANIES = (UTRON, HARBOR, EASTSUN, NORTHSTAR, SOUTHSTAR, BLUEWAVE)
COMPANY_WEIGHTS = (24, 18, 16, 14, 14, 14)

USERS: tuple[DemoUser, ...] = (
    DemoUser("utron", "demo-utron-chen", "陳玉美", "company", *UTRON),
    DemoUser("harbor", "demo-harbor-su", "蘇興吉", "company", *HARBOR),
    DemoUser("kh-officer", "demo-officer-kh-ap", "高雄審核測試帳號", "port_officer", ports=("KH", "AP")),
    DemoUser("station", "demo-officer-station", "測站", "port_officer", ports=("KL", "TP", "TX")),
    DemoUser("admin", "demo-admin", "系統管理員", "admin"),
    DemoUser("issuer", "demo-issuer", "製證系統", "issuer"),
)
_BY_USERNAME = {user.username: user for user in USERS}


def user(username: str) -> DemoUser:
    return _BY_USERNAME[username]


# ---------------------------------------------------------------- identities
PORT_WEIGHTS = {"KH": 30, "AP": 10, "KL": 15, "TP": 12, "TX": 15, "SA": 8, "HL": 10}
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高"
GIVEN = "志明家豪淑芬怡君俊傑雅婷建宏美玲冠宇佳穎承恩宗翰詩涵柏翰欣怡育誠靜宜文雄秀英國華麗華"
FOREIGN_NAMES = ("NGUYEN VAN AN", "TRAN THI MAI", "SITI RAHAYU", "JUAN DELA CRUZ", "SOMCHAI SAETANG")
_AREA_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"


def with_valid_check_digit(holder_id: str) -> str:
    """A holder ID shaped like a Taiwan ID, its last digit corrected (docs/decisions.md)."""
    if not TAIWAN_ID_SHAPE.fullmatch(holder_id) or has_valid_taiwan_check_digit(holder_id):
        return holder_id
    for digit in "0123456789":
        candidate = holder_id[:-1] + digit
        if has_valid_taiwan_check_digit(candidate):
            return candidate
    raise ValueError(f"no check digit makes {holder_id} valid")


def _taiwan_id(rng: random.Random) -> str:
    body = rng.choice(_AREA_LETTERS) + rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(8))
    return with_valid_check_digit(body)


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


# ---------------------------------------------------------------- the data set
@dataclass
class DataSet:
    now: datetime
    passes: dict[str, Pass]
    reinstatements: list[Reinstatement]
    grants: list[Grant]
    # SPEC §12: suspended passes refused at a gate (GET /alerts, lastPresentedAt).
    presentations: list[Presentation] = field(default_factory=list)

    @property
    def today(self) -> date:
        return taipei_date(self.now)


@dataclass(frozen=True)
class Sample:
    """One of the seed manual's holders, placed so that its screen shows it again."""

    pass_no: str
    holder_id: str
    name: str
    company: tuple[str, str]
    port: str
    idle_days: int  # days since the last gate passage
    valid_from_days_ago: int = 800
    valid_years: int = 3


# The manual's rows (seed/000_9e260afe29d8b7bb.txt). Where its test data contradicts a rule
# the rule wins: 朱元輝 is placed 5 months idle since he is on the 5-month list; the manual
# shows 英小雨 and 黃裕而 with IDs that differ only in the check digit (both F223344558 once
# corrected), so 黃裕而 gets an ID of his own: one person, one ID.
SAMPLES = (
    Sample("KHPS112-000045", "E224540555", "林學四", UTRON, "KH", idle_days=420),
    Sample("KLPS112-000001", "E123456789", "朱元輝", UTRON, "SA", idle_days=160),
    Sample("KHPS112-000070", "M20000017", "羅十七 PUI PUI 17", UTRON, "KH", idle_days=330),
    Sample("KHPS112-000067", "S123456781", "蘇小西", UTRON, "KH", idle_days=520),
    Sample("KHPS112-000043", "12345678", "test1216", UTRON, "KH", idle_days=330),
    Sample("KHPS112-000069", "X012345678", "淨德測試修正測試", UTRON, "KH", idle_days=330),
    Sample("KHPS112-000029", "F222255555", "星期五", UTRON, "KH", idle_days=330, valid_years=5),
    Sample("KHPS109-010305", "F223344551", "英小雨", HARBOR, "KH", idle_days=610,
           valid_from_days_ago=1300, valid_years=5),
    Sample("KHPS109-010306", "F123344556", "黃裕而", HARBOR, "KH", idle_days=250),
    Sample("KHPS109-000426", "TEST0130", "test0130", EASTSUN, "SA", idle_days=700,
           valid_from_days_ago=1200, valid_years=5),
    Sample("TXPS110-000004", "E124079438", "何曉雲", NORTHSTAR, "TX", idle_days=400),
    Sample("KLPS110-000006", "M200000012", "羅十二", HARBOR, "KL", idle_days=400),
    Sample("KHPS112-000055", "E111222333", "批次二", UTRON, "KH", idle_days=420),
    Sample("KHPS112-000060", "E222333555", "批次一", UTRON, "KH", idle_days=560),
    Sample("KHPS111-000026", "M200000020", "孫小花", UTRON, "KH", idle_days=560),
)  # fmt: skip


def build(now: datetime) -> DataSet:
    """The whole demo data set for the instant ``now``: deterministic for a given day."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 (made-up demo data, not a secret)
    data = DataSet(now=now, passes={}, reinstatements=[], grants=[])
    for sample in SAMPLES:
        _add_regular(
            data,
            rng,
            pass_no=sample.pass_no,
            holder_id=with_valid_check_digit(sample.holder_id),
            name=sample.name,
            company=sample.company,
            port=sample.port,
            idle_days=sample.idle_days,
            valid_from_days_ago=sample.valid_from_days_ago,
            valid_years=sample.valid_years,
        )
    _sample_history(data, rng)
    _generated_passes(data, rng)
    _generated_history(data, rng)
    # Its own random stream: the rest of the data set stays as it was before exemptions.
    _exempted_and_presented(data, random.Random(RANDOM_SEED + 12))  # noqa: S311 (demo data)
    return data


EXEMPTED_PASS = "KHPS112-000080"  # 何大海, 優創科技: on long leave, exempted by the KH officer
PRESENTED_PASS = "KHPS112-000067"  # 蘇小西, 優創科技: suspended, refused at a gate yesterday


def _exempted_and_presented(data: DataSet, rng: random.Random) -> None:
    """SPEC §12: one exemption (a pass 5 months idle, off the warning list) and one alert."""
    idle = _add_regular(
        data,
        rng,
        pass_no=EXEMPTED_PASS,
        holder_id=with_valid_check_digit("E125678901"),
        name="何大海",
        company=UTRON,
        port="KH",
        idle_days=165,
        valid_from_days_ago=800,
    )
    set_at = data.now - timedelta(days=3)
    data.passes[EXEMPTED_PASS] = set_exemption(
        idle,
        data.today + timedelta(days=90),
        "長期病假（住院治療）",
        by="高雄審核測試帳號",
        at=set_at,
        today=taipei_date(set_at),
    )
    presented_at = data.now - timedelta(days=1, hours=2)
    suspended = data.passes[PRESENTED_PASS]
    data.passes[PRESENTED_PASS] = replace(suspended, last_presented_at=presented_at)
    data.presentations.append(
        Presentation(
            pass_no=PRESENTED_PASS,
            gate_id="KH-GATE-03",
            presented_at=presented_at,
            holder_name=suspended.holder_name,
            org_id=suspended.org_id,
            org_name=suspended.org_name,
            port=suspended.port,
        )
    )


def _passage_at(data: DataSet, day: date, rng: random.Random) -> datetime:
    """A gate passage on Taipei day ``day`` in working hours, never after now."""
    local = datetime.combine(day, time(rng.randint(6, 20), rng.randint(0, 59)), tzinfo=TAIPEI)
    return min(local.astimezone(UTC), data.now - timedelta(minutes=rng.randint(41, 180)))


def _add_regular(
    data: DataSet,
    rng: random.Random,
    *,
    pass_no: str,
    holder_id: str,
    name: str,
    company: tuple[str, str],
    port: str,
    idle_days: int,
    valid_from_days_ago: int,
    valid_years: int = 3,
    activated_days_ago: int | None = None,
) -> Pass:
    today = data.today
    valid_from = today - timedelta(days=valid_from_days_ago)
    last_passage_day = min(today - timedelta(days=idle_days), today)
    if last_passage_day < valid_from:
        valid_from = last_passage_day - timedelta(days=30)
    activated_on = today - timedelta(days=activated_days_ago) if activated_days_ago is not None else None
    pass_ = Pass(
        pass_no=pass_no,
        holder_id=holder_id,
        holder_name=name,
        org_id=company[0],
        org_name=company[1],
        port=port,
        pass_type=PassType.REGULAR,
        valid_from=valid_from,
        valid_to=add_months(valid_from, 12 * valid_years) - timedelta(days=1),
        status=PassStatus.ACTIVE,
        version=1,
        last_passage_at=_passage_at(data, last_passage_day, rng),
        last_activated_on=activated_on,
    )
    pass_ = replace(pass_, known_since=pass_.baseline)
    pass_ = apply_inactivity_rule(pass_, today, suspensions_allowed=True)
    data.passes[pass_no] = pass_
    return pass_


def _record(
    data: DataSet,
    pass_: Pass,
    applied_at: datetime,
    applicant: DemoUser,
    *,
    grantee: str | None = None,
) -> Reinstatement:
    """A reinstatement applied at ``applied_at``: activated at its 06:00 if that has passed."""
    record = new_application(
        pass_,
        applied_at,
        _demo_uuid(f"{pass_.pass_no}{applied_at}"),
        executor=applicant.name,
        executor_sub=applicant.sub,
        grantee=grantee or applicant.caller.grantee,
    )
    activated = record.effective_at <= data.now
    if activated:
        record = replace(
            record,
            status=ReinstatementStatus.ACTIVATED,
            activated_at=record.effective_at + timedelta(seconds=37),
        )
    data.reinstatements.append(record)
    if not activated:
        data.passes[pass_.pass_no] = mark_pending(
            pass_, record.reinstatement_id, record.effective_at, record.grantee
        )
    if not applicant.owns(pass_):
        data.grants.append(Grant(record.grantee, pass_.pass_no, storage_instant(applied_at), applicant.sub))
    return record


def _demo_uuid(name: str) -> str:
    """A UUID that is the same on every seeding, so demo links and tests stay stable."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-demo:{name}"))


def _applied_days_ago(data: DataSet, days: int, rng: random.Random) -> datetime:
    """An application instant on the Taipei day ``days`` before today, in office hours."""
    day = data.today - timedelta(days=days)
    local = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=TAIPEI)
    return min(local.astimezone(UTC), data.now - timedelta(minutes=5))


def _reinstated(
    data: DataSet,
    rng: random.Random,
    pass_no: str,
    applicant: DemoUser,
    activations_days_ago: list[int],
    *,
    idle_after_days: int | None = None,
) -> None:
    """Re-create ``pass_no`` as reinstated on those days (oldest first), with its records.

    Each earlier activation was followed by a suspension; after the last, the holder passed
    the gates ``idle_after_days`` ago (or never, if None).
    """
    original = data.passes[pass_no]
    for days in sorted(activations_days_ago, reverse=True):
        _record(data, original, _applied_days_ago(data, days + 1, rng), applicant)
    last = min(activations_days_ago)
    idle = idle_after_days if idle_after_days is not None else last
    rebuilt = replace(original, status=PassStatus.ACTIVE, tier=None, compared_on=None)
    # The holder was suspended before the first activation: the pass was valid long before.
    earliest = data.today - timedelta(days=max(activations_days_ago) + 200)
    if rebuilt.valid_from > earliest:
        rebuilt = replace(
            rebuilt,
            valid_from=earliest,
            valid_to=max(rebuilt.valid_to, add_months(earliest, 36) - timedelta(days=1)),
        )
    last_passage_day = data.today - timedelta(days=idle)
    rebuilt = replace(
        rebuilt,
        last_passage_at=(
            _passage_at(data, last_passage_day, rng)
            if idle_after_days is not None
            else original.last_passage_at
        ),
        last_activated_on=data.today - timedelta(days=last),
    )
    rebuilt = replace(rebuilt, known_since=rebuilt.baseline)
    data.passes[pass_no] = apply_inactivity_rule(rebuilt, data.today, suspensions_allowed=True)


def _sample_history(data: DataSet, rng: random.Random) -> None:
    """The manual's 恢復歷程 rows, with dates moved to be recent (and consistent)."""
    utron, harbor, officer, station = user("utron"), user("harbor"), user("kh-officer"), user("station")
    # 蘇小西: reinstated by 陳玉美 long ago, idle since, suspended again (on the manual's list).
    _reinstated(data, rng, "KHPS112-000067", utron, [330])
    # test0130: reinstated by 測站, suspended again.
    _reinstated(data, rng, "KHPS109-000426", station, [400])
    _reinstated(data, rng, "TXPS110-000004", station, [12], idle_after_days=3)
    _reinstated(data, rng, "KLPS110-000006", station, [12], idle_after_days=5)
    _reinstated(data, rng, "KHPS112-000055", officer, [31], idle_after_days=20)
    _reinstated(data, rng, "KHPS112-000060", officer, [260, 31], idle_after_days=8)
    _reinstated(data, rng, "KHPS111-000026", officer, [250, 38], idle_after_days=1)
    # 黃裕而: applied today by 蘇興吉, waiting for tomorrow's 06:00.
    _record(data, data.passes["KHPS109-010306"], _applied_today(data, rng), harbor)


def _applied_today(data: DataSet, rng: random.Random) -> datetime:
    start_of_day = datetime.combine(data.today, time(0, 0), tzinfo=TAIPEI).astimezone(UTC)
    earliest = max(start_of_day, data.now - timedelta(hours=6))
    span = max(int((data.now - earliest).total_seconds()) - 60, 1)
    return earliest + timedelta(seconds=rng.randint(0, span))


def _generated_passes(data: DataSet, rng: random.Random) -> None:
    today = data.today
    ports = list(PORT_WEIGHTS)
    serials: Counter[str] = Counter()
    used_ids = {p.holder_id for p in data.passes.values()}

    def next_pass_no(port: str, kind: str, year: int) -> str:
        prefix = f"{port}{kind}{year}"
        serials[prefix] += 1
        return f"{prefix}-{200000 + serials[prefix]:06d}"

    for index in range(GENERATED_PASSES):
        port = rng.choices(ports, weights=list(PORT_WEIGHTS.values()))[0]
        company = rng.choices(COMPANIES, weights=COMPANY_WEIGHTS)[0]
        foreign = rng.random() < 0.06
        holder_id = f"{rng.choice('CFP')}{rng.randint(1000000, 9999999)}" if foreign else _taiwan_id(rng)
        while holder_id in used_ids:
            holder_id = _taiwan_id(rng)
        used_ids.add(holder_id)
        name = rng.choice(FOREIGN_NAMES) if foreign else _name(rng)
        roll = rng.random()
        if roll < 0.42:
            idle = rng.randint(0, 140)  # in use
        elif roll < 0.64:
            idle = rng.randint(153, 178)  # 5 months: warned
        else:
            idle = rng.randint(186, 560)  # 6 months: suspended
        valid_from_days_ago = idle + rng.randint(10, 500)
        roc_year = today.year - 1911 - (valid_from_days_ago // 365)
        pass_no = next_pass_no(port, "PS", roc_year)
        pass_ = _add_regular(
            data,
            rng,
            pass_no=pass_no,
            holder_id=holder_id,
            name=name,
            company=company,
            port=port,
            idle_days=idle,
            valid_from_days_ago=valid_from_days_ago,
        )
        if index % 23 == 5:
            _also_single_visit(data, rng, pass_, next_pass_no(port, "PV", today.year - 1911))
        if index % 37 == 11:
            data.passes[pass_no] = replace(
                pass_, status=PassStatus.CANCELLED, tier=None, compared_on=None, version=2
            )
        elif pass_.status is PassStatus.SUSPENDED_INACTIVE and index % 19 == 3:
            data.passes[pass_no] = replace(pass_, cancellation_pending=True)
        elif pass_.status is PassStatus.SUSPENDED_INACTIVE and index % 29 == 7:
            _expired_while_suspended(data, pass_)
    for offset in range(6):
        port = ports[offset % len(ports)]
        company = COMPANIES[offset % len(COMPANIES)]
        holder_id = _taiwan_id(rng)
        while holder_id in used_ids:
            holder_id = _taiwan_id(rng)
        used_ids.add(holder_id)
        pass_no = next_pass_no(port, "PT", today.year - 1911)
        data.passes[pass_no] = Pass(
            pass_no=pass_no,
            holder_id=holder_id,
            holder_name=_name(rng),
            org_id=company[0],
            org_name=company[1],
            port=port,
            pass_type=PassType.TEMPORARY,
            valid_from=today - timedelta(days=10),
            valid_to=today + timedelta(days=20),
            status=PassStatus.ACTIVE,
            version=1,
            known_since=today - timedelta(days=10),
        )


def _also_single_visit(data: DataSet, rng: random.Random, regular: Pass, pass_no: str) -> None:
    day = data.today - timedelta(days=rng.randint(0, 30))
    data.passes[pass_no] = replace(
        regular,
        pass_no=pass_no,
        pass_type=PassType.SINGLE_VISIT,
        valid_from=day,
        valid_to=day,
        status=PassStatus.EXPIRED if day < data.today else PassStatus.ACTIVE,
        tier=None,
        compared_on=None,
        last_passage_at=_passage_at(data, day, rng),
        last_activated_on=None,
        known_since=day,
    )


def _expired_while_suspended(data: DataSet, suspended: Pass) -> None:
    """SPEC §4: a pass that expires while suspended stays listed and cannot be reinstated."""
    assert suspended.compared_on is not None
    valid_to = max(suspended.compared_on + timedelta(days=20), data.today - timedelta(days=40))
    if valid_to >= data.today:
        return
    data.passes[suspended.pass_no] = replace(suspended, valid_to=valid_to, status=PassStatus.EXPIRED)


def _generated_history(data: DataSet, rng: random.Random) -> None:
    """Reinstatements of generated passes: recent ones activated, some pending, some granted."""
    utron, harbor, officer, station = user("utron"), user("harbor"), user("kh-officer"), user("station")
    samples = _sample_numbers()
    generated = [
        p for p in data.passes.values() if p.pass_type is PassType.REGULAR and p.pass_no not in samples
    ]
    in_use = [p for p in generated if p.status is PassStatus.ACTIVE and p.tier is None]
    suspended = [
        p
        for p in generated
        if p.status is PassStatus.SUSPENDED_INACTIVE
        and not p.cancellation_pending
        and p.pending_reinstatement_id is None
    ]
    taken: set[str] = set()

    def pick(candidates: list[Pass], count: int) -> list[Pass]:
        chosen = [p for p in candidates if p.pass_no not in taken][:count]
        taken.update(p.pass_no for p in chosen)
        return chosen

    by_org = {org: [p for p in in_use if p.org_id == org] for org, _ in COMPANIES}
    # Company history: each company reinstated some of its own passes in the last months.
    for applicant, org, count in ((utron, UTRON[0], 9), (harbor, HARBOR[0], 6)):
        for pass_ in pick(by_org[org], count):
            days = rng.randint(2, 140)
            _reinstated(data, rng, pass_.pass_no, applicant, [days], idle_after_days=rng.randint(0, days))
    # The officer's history over KH and AP; 測站's over its ports.
    for applicant, ports, count in ((officer, ("KH", "AP"), 8), (station, ("KL", "TP", "TX"), 5)):
        chosen = pick([p for p in in_use if p.port in ports and p.org_id not in (UTRON[0], HARBOR[0])], count)
        for pass_ in chosen:
            days = rng.randint(2, 150)
            _reinstated(data, rng, pass_.pass_no, applicant, [days], idle_after_days=rng.randint(0, days))
    # Pending applications (applied today), own and, with a grant, others'.
    own_suspended = [p for p in suspended if p.org_id == UTRON[0]]
    other_suspended = [p for p in suspended if p.org_id not in (UTRON[0], HARBOR[0])]
    for pass_ in pick(own_suspended, 2):
        _record(data, pass_, _applied_today(data, rng), utron)
    for pass_ in pick(other_suspended, 2):
        _record(data, pass_, _applied_today(data, rng), utron)
    # Granted passes of other companies that 陳玉美 reinstated earlier (seen in full in her history).
    granted = [p for p in in_use if p.org_id in (EASTSUN[0], NORTHSTAR[0]) and p.port not in ("KH", "AP")]
    for pass_ in pick(granted, 3):
        days = rng.randint(5, 90)
        _reinstated(data, rng, pass_.pass_no, utron, [days], idle_after_days=rng.randint(0, days))
    for pass_ in pick([p for p in other_suspended if p.port in ("KH", "AP")], 2):
        _record(data, pass_, _applied_today(data, rng), officer)


def _store_exemption_history(data: DataSet) -> None:
    """The EXEMPTION history records of the demo data's exemptions (SPEC §12), visible as the
    API's are: in the history of the pass's company and port."""
    exemptions.store_exemption_history(
        ExemptionChange(
            record_id=_demo_uuid(f"exemption:{pass_.pass_no}"),
            action=ExemptionAction.EXEMPTED,
            pass_no=pass_.pass_no,
            holder_id=pass_.holder_id,
            holder_name=pass_.holder_name,
            org_id=pass_.org_id,
            port=pass_.port,
            at=pass_.exempt_set_at,
            executor=pass_.exempt_set_by or "",
            until=pass_.exempt_until,
            reason=pass_.exempt_reason,
        )
        for pass_ in data.passes.values()
        if pass_.exempt_until is not None and pass_.exempt_set_at is not None
    )


def _sample_numbers() -> set[str]:
    return {sample.pass_no for sample in SAMPLES}


# ---------------------------------------------------------------- statistics
def activity_counts(data: DataSet) -> Counter[tuple[date, str, str, ActivityKind]]:
    """(day, port, orgId, kind) -> n: what the daily and 06:00 jobs would have counted.

    The passes are written in the state the rule gives them, not through the jobs, so the
    counters the jobs keep with each change (SPEC §9 GET /statistics) are derived here from
    that state: a warning on the day the pass reached 5 months, a suspension on its
    比對日期 (the rule's ``comparedOn``), an activation on the record's ``activatedAt``.
    """
    counts: Counter[tuple[date, str, str, ActivityKind]] = Counter()
    for pass_ in data.passes.values():
        if pass_.pass_type is not PassType.REGULAR or pass_.tier is None or pass_.compared_on is None:
            continue
        if pass_.tier == 5:
            counts[(pass_.compared_on, pass_.port, pass_.org_id, ActivityKind.WARNED)] += 1
            continue
        # Suspended (and possibly expired since): warned a month before, then suspended.
        warned_on = max(add_months(pass_.baseline, 5), pass_.known_since or pass_.baseline)
        counts[(warned_on, pass_.port, pass_.org_id, ActivityKind.WARNED)] += 1
        counts[(pass_.compared_on, pass_.port, pass_.org_id, ActivityKind.SUSPENDED)] += 1
    for record in data.reinstatements:
        if record.status is ReinstatementStatus.ACTIVATED and record.activated_at is not None:
            pass_ = data.passes[record.pass_no]
            day = taipei_date(record.activated_at)
            counts[(day, pass_.port, pass_.org_id, ActivityKind.ACTIVATED)] += 1
    return counts


def write_statistics(data: DataSet) -> None:
    """The statistics counters of the demo data, one item per (day, port, kind) as the jobs keep them."""
    oldest = data.today - STATISTICS_KEPT
    items: Counter[tuple[str, str]] = Counter()
    expiry: dict[tuple[str, str], int] = {}
    for (day, port, org_id, kind), n in activity_counts(data).items():
        if day < oldest:
            continue
        expires = int(datetime.combine(day + STATISTICS_KEPT, time(0, 0), tzinfo=UTC).timestamp())
        for item_key in (
            keys.port_day_counter(port, day, kind.value),
            keys.org_day_counter(org_id, day, port, kind.value),
        ):
            items[item_key] += n
            expiry[item_key] = expires
    with CounterItem.batch_write() as batch:
        for (counter_key, counter_sort), count in items.items():
            batch.save(
                CounterItem(
                    counter_key, counter_sort, n=count, expires_at=expiry[(counter_key, counter_sort)]
                )
            )


# ---------------------------------------------------------------- writing it
def seed(now: datetime) -> dict[str, Any]:
    """Write the demo data set for ``now`` into the (empty) tables; a summary of what was written."""
    data = build(now)
    seed_passes(data.passes.values())  # with their /summary counters
    # Records with their visibility entries, grants with what they show (SPEC §7)
    store_history(data.reinstatements, {(g.grantee, g.pass_no): g for g in data.grants}.values())
    write_statistics(data)
    _store_exemption_history(data)
    for presentation in data.presentations:
        alerts.record_presentation(presentation)
    # Every port's gates reported within the last hour, and suspensions are on, as on a
    # live stack (SPEC §4 fail-safe, §10: a new stack, SEED=0, starts paused).
    recent = now - timedelta(minutes=40)
    service_state.record_feed_passages({port: [recent] for port in PORTS}, received_at=recent)
    service_state.set_suspensions(
        True, at=now, by="示範資料", by_sub="demo", reason="示範資料：如同上線環境，已開啟停用"
    )
    tiers = Counter(p.tier for p in data.passes.values() if p.tier)
    return {
        "passes": len(data.passes),
        "tier5": tiers[5],
        "tier6": tiers[6],
        "reinstatements": len(data.reinstatements),
        "pending": sum(1 for r in data.reinstatements if r.status is ReinstatementStatus.PENDING),
        "grants": len(data.grants),
        "seededFor": storage_instant(now),
    }
