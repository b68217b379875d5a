"""A realistic data set of N passes, written to DynamoDB the way the service stores passes.

Seven ports, about 300 companies of very different sizes (a few large stevedores, many small
contractors; each works mostly at its home port), 10% of all passes on the lists (the go-live
state: half on the warning list, half on the suspension lists; only regular passes are
listed, 90% of the passes), a history of reinstatements. Each pass's state is what
the daily job would have made of it on the eve of ``TODAY`` (``apply_inactivity_rule``), so the
benchmark's daily run of ``TODAY`` changes exactly the passes that cross a threshold that day.

Passes are written with BatchWriteItem by ``store.passes.seed_passes``, which adds their
/summary counters as ``stage_pass_change`` would; reinstatements and grants go through
``store_history``, which adds their visibility entries.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from portpass.domain.calendar import TAIPEI
from portpass.domain.identity import has_valid_taiwan_check_digit
from portpass.domain.inactivity import apply_inactivity_rule
from portpass.domain.passes import Pass, PassStatus, PassType
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus, mark_pending, new_application
from portpass.domain.scope import company_grantee
from portpass.store.access import Grant
from portpass.store.passes import seed_passes
from portpass.store.reinstatements import store_history

TODAY = date(2025, 6, 2)  # the benchmark's "today": the daily run compares this date
PORT_WEIGHTS = {"KH": 30, "AP": 10, "KL": 15, "TP": 12, "TX": 15, "SA": 8, "HL": 10}
COMPANIES = 300
HOME_PORT_SHARE = 0.8
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高"
GIVEN = "志明家豪淑芬怡君俊傑雅婷建宏美玲冠宇佳穎承恩宗翰詩涵柏翰欣怡育誠靜宜文雄秀英國華麗華"
AREA_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
REGULAR_SHARE = 0.90  # of the passes; the rest are temporary (7%) and single-visit (3%)
LISTED_SHARE = 0.10  # of all passes on a list at go-live: half warned, half suspended
ON_EACH_LIST = LISTED_SHARE / 2 / REGULAR_SHARE  # of the regular passes, on each tier


@dataclass(frozen=True)
class Company:
    org_id: str
    name: str
    home_port: str
    weight: float


@dataclass
class DataSet:
    size: int
    passes: list[Pass] = field(default_factory=list)
    reinstatements: list[Reinstatement] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    grant_holders: dict[int, str] = field(default_factory=dict)  # grants held -> company

    def on_tier(self, tier: int) -> list[Pass]:
        return [p for p in self.passes if p.tier == tier]


def taiwan_id(rng: random.Random) -> str:
    body = rng.choice(AREA_LETTERS) + rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(7))
    for last in "0123456789":
        if has_valid_taiwan_check_digit(body + last):
            return body + last
    raise AssertionError("every Taiwan ID body has a check digit")


def companies(rng: random.Random) -> list[Company]:
    """About 300 companies whose sizes follow a Zipf-like law (the largest ~9% of passes)."""
    ports = list(PORT_WEIGHTS)
    weights = list(PORT_WEIGHTS.values())
    return [
        Company(
            org_id=f"ORG-{rank:04d}",
            name=f"港區{rank:03d}號股份有限公司",
            home_port="KH" if rank == 1 else rng.choices(ports, weights)[0],
            weight=1 / rank**0.8,
        )
        for rank in range(1, COMPANIES + 1)
    ]


def _last_passage(rng: random.Random) -> date | None:
    """The last gate passage of a regular pass, as of the eve of TODAY."""
    eve = TODAY - timedelta(days=1)
    roll = rng.random()
    if roll < 1 - 2 * ON_EACH_LIST - 0.05:
        return eve - timedelta(days=rng.randint(0, 14))
    if roll < 1 - 2 * ON_EACH_LIST:
        return eve - timedelta(days=rng.randint(15, 150))
    if roll < 1 - ON_EACH_LIST:
        return eve - timedelta(days=rng.randint(152, 181))  # 5 months: on the warning list
    return eve - timedelta(days=rng.randint(184, 365))  # 6 months: suspended


def build(size: int, seed: int = 7) -> DataSet:
    rng = random.Random(f"{seed}-{size}")
    data = DataSet(size=size, companies=companies(rng))
    ports = list(PORT_WEIGHTS)
    port_weights = list(PORT_WEIGHTS.values())
    company_weights = [c.weight for c in data.companies]
    serials: Counter[str] = Counter()
    eve = TODAY - timedelta(days=1)
    for _ in range(size):
        company = rng.choices(data.companies, company_weights)[0]
        port = company.home_port if rng.random() < HOME_PORT_SHARE else rng.choices(ports, port_weights)[0]
        serials[port] += 1
        kind = rng.choices(list(PassType), (REGULAR_SHARE * 100, 7, 3))[0]
        kind_code = {"REGULAR": "PS", "TEMPORARY": "PT", "SINGLE_VISIT": "PV"}[kind]
        year = rng.choice((111, 112, 113))
        valid_from = TODAY - timedelta(days=rng.randint(400, 1000))
        passage = _last_passage(rng)
        if passage is not None and passage < valid_from:
            valid_from = passage - timedelta(days=rng.randint(0, 30))
        pass_ = Pass(
            pass_no=f"{port}{kind_code}{year}-{serials[port]:06d}",
            holder_id=taiwan_id(rng) if rng.random() < 0.93 else f"P{rng.randint(10**7, 10**8 - 1)}",
            holder_name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            org_id=company.org_id,
            org_name=company.name,
            port=port,
            pass_type=kind,
            valid_from=valid_from,
            valid_to=valid_from + timedelta(days=1095),
            status=PassStatus.ACTIVE,
            version=1,
            last_passage_at=(
                datetime.combine(passage, time(7, rng.randint(0, 59)), TAIPEI).astimezone(UTC)
                if passage
                else None
            ),
            known_since=valid_from,
        )
        judged = apply_inactivity_rule(pass_, eve, suspensions_allowed=True)
        if judged.tier == 6 and rng.random() < 0.1:
            # Expired while suspended: stays on the 6-month lists as 已逾期.
            end = eve - timedelta(days=rng.randint(0, 20))
            judged = replace(judged, valid_to=end, status=PassStatus.EXPIRED)
        data.passes.append(judged)
    _history(data, rng)
    _grants(data, rng)
    return data


GRANT_COUNTS = (0, 50, 500)


def _grants(data: DataSet, rng: random.Random) -> None:
    """Three small companies holding 0, 50 and 500 grants (取得權限) on others' passes.

    Granted passes with a reinstatement record come first, so the grants add rows to the
    grantee's history; the rest are other companies' regular passes.
    """
    recorded = list(dict.fromkeys(r.pass_no for r in data.reinstatements))
    for rank, count in zip((100, 101, 102), GRANT_COUNTS, strict=True):
        org_id = f"ORG-{rank:04d}"
        data.grant_holders[count] = org_id
        others = list(recorded)
        others += [p.pass_no for p in data.passes if p.org_id != org_id and p.pass_type is PassType.REGULAR]
        chosen = list(dict.fromkeys(n for n in others if _org_of(data, n) != org_id))[:count]
        granted_at = datetime.combine(TODAY - timedelta(days=3), time(9, 0), TAIPEI).astimezone(UTC)
        data.grants.extend(
            Grant(company_grantee(org_id), pass_no, granted_at.isoformat(), f"user-{org_id}")
            for pass_no in chosen
        )
    rng.shuffle(data.grants)


def _org_of(data: DataSet, pass_no: str) -> str | None:
    if not hasattr(data, "_orgs"):
        data._orgs = {p.pass_no: p.org_id for p in data.passes}  # type: ignore[attr-defined]
    return data._orgs.get(pass_no)  # type: ignore[attr-defined]


def _history(data: DataSet, rng: random.Random) -> None:
    """Activated reinstatements of about 1% of the passes, pending ones for 10% of the suspended."""
    for index, pass_ in enumerate(data.passes):
        if pass_.pass_type is not PassType.REGULAR:
            continue
        if pass_.status is PassStatus.SUSPENDED_INACTIVE and rng.random() < 0.1:
            applied_at = datetime.combine(TODAY - timedelta(days=1), time(15, 0), TAIPEI).astimezone(UTC)
            record = _record(pass_, applied_at, ReinstatementStatus.PENDING)
            data.reinstatements.append(record)
            data.passes[index] = mark_pending(
                pass_, record.reinstatement_id, record.effective_at, record.grantee
            )
        elif pass_.status is PassStatus.ACTIVE and rng.random() < 0.01:
            applied_at = datetime.combine(
                TODAY - timedelta(days=rng.randint(30, 700)), time(10, 0), TAIPEI
            ).astimezone(UTC)
            data.reinstatements.append(_record(pass_, applied_at, ReinstatementStatus.ACTIVATED))


def _record(pass_: Pass, applied_at: datetime, status: ReinstatementStatus) -> Reinstatement:
    record = new_application(
        pass_,
        applied_at,
        f"{pass_.pass_no}-{applied_at:%Y%m%d}",
        executor="陳玉美",
        executor_sub=f"user-{pass_.org_id}",
        grantee=company_grantee(pass_.org_id),
    )
    if status is ReinstatementStatus.ACTIVATED:
        return replace(record, status=status, activated_at=record.effective_at)
    return record


def listed_or_recorded(data: DataSet) -> list[Pass]:
    """The passes the lists and the history can read: on a list (tier 5 or 6), holding a
    reinstatement record, or granted."""
    recorded = {r.pass_no for r in data.reinstatements} | {g.pass_no for g in data.grants}
    return [p for p in data.passes if p.tier in (5, 6) or p.pass_no in recorded]


def write(data: DataSet, *, listed_only: bool = False) -> int:
    """Store the data set: passes (all, or only those the lists and history read, as the
    lists' sparse indexes allow), reinstatements, list counters and grants; the passes written."""
    passes = listed_or_recorded(data) if listed_only else data.passes
    seed_passes(passes)  # with their /summary counters (a pass never listed moves none)
    # Records with their visibility entries, grants with what they show (SPEC §7)
    store_history(data.reinstatements, data.grants)
    return len(passes)
