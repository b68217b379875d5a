"""A scripted 12-week timeline: GET /statistics equals the changes the jobs made (SPEC §9 v1.1).

Passes of two companies at two ports are warned and suspended on known days, some of them
reinstated (activated at 06:00) and some voided by a pending cancellation; the daily and
06:00 jobs run every day for twelve weeks. The oracle is the script itself, not the jobs'
summaries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import COUNTED_KINDS, ActivityKind, iso_week_of
from portpass.domain.calendar import add_months
from portpass.domain.scope import Role
from portpass.store.activity import stage_stat_count
from portpass.store.models import connection
from portpass.store.passes import change_pass
from tests.api.harness import get, invoke
from tests.factories import a_caller
from tests.jobs.conftest import (
    feed_alive_at,
    pass_no,
    schedule_event,
    seed,
    seed_pending_reinstatement,
    stored,
    taipei,
)

pytestmark = [pytest.mark.usefixtures("dynamodb", "suspensions_on"), pytest.mark.long]

FIRST_DAY = date(2025, 1, 6)  # a Monday: week 2025-W02
DAYS = 12 * 7
ORGS = ("ORG-A", "ORG-B")
PORTS = ("KH", "TX")


def test_statistics_of_twelve_weeks_equal_the_changes_made(regular_pass, daily_handler, activation_handler):
    # Given 28 passes whose 5- and 6-month days fall every third day from FIRST_DAY on
    expected: Counter[tuple[str, str, str, ActivityKind]] = Counter()  # (org, port, week, kind)
    passes = {}
    for k in range(28):
        valid_from = add_months(FIRST_DAY + timedelta(days=3 * k), -5)
        org, port = ORGS[k % 2], PORTS[(k // 2) % 2]
        office = {"KH": "KHPS", "TX": "TXPS"}[port]
        passes[k] = seed(
            regular_pass(k + 1, valid_from=valid_from, org_id=org, port=port, pass_no=pass_no(k + 1, office))
        )
    # every third suspended pass is reinstated the day after its suspension; every sixth of
    # those gets a cancellation pending first, so its reinstatement is voided
    reinstate = {k for k in passes if k % 3 == 0}
    cancel = {k for k in reinstate if k % 6 == 0}

    # When the daily job (02:00) and the 06:00 job run every day for twelve weeks
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        feed_alive_at(taipei(day, 1))
        daily_handler(schedule_event(taipei(day, 2)), None)
        activation_handler(schedule_event(taipei(day, 6)), None)
        for k, pass_ in passes.items():
            suspended_on = add_months(pass_.valid_from, 6)
            warned_on = add_months(pass_.valid_from, 5)
            week = iso_week_of(day).label
            if warned_on == day:
                expected[(pass_.org_id, pass_.port, week, ActivityKind.WARNED)] += 1
            if suspended_on == day:
                expected[(pass_.org_id, pass_.port, week, ActivityKind.SUSPENDED)] += 1
            if k in reinstate and suspended_on + timedelta(days=1) == day:
                seed_pending_reinstatement(stored(pass_.pass_no).value, taipei(day, 10))
                if k in cancel:
                    change_pass(
                        pass_.pass_no,
                        stored(pass_.pass_no),
                        lambda current: replace(current, cancellation_pending=True) if current else None,
                    )
            settled_on = suspended_on + timedelta(days=2)
            if (
                k in reinstate
                and settled_on == day + timedelta(days=1)
                and settled_on < FIRST_DAY + timedelta(days=DAYS)
            ):
                kind = ActivityKind.VOIDED if k in cancel else ActivityKind.ACTIVATED
                expected[(pass_.org_id, pass_.port, iso_week_of(settled_on).label, kind)] += 1
    last_day = FIRST_DAY + timedelta(days=DAYS - 1)
    at = taipei(last_day, 12)

    # Then the admin's statistics are the script's changes, per port and ISO week
    admin = invoke("statistics", get("/statistics", a_caller(Role.ADMIN), {"weeks": 12}, at=at))
    assert admin.status == 200, admin.raw_body
    assert [w["week"] for w in admin.json["weeks"]] == [f"2025-W{n:02d}" for n in range(2, 14)]
    assert _counts(admin.json) == _sum_over_orgs(expected, ORGS)
    assert sum(expected.values()) > 40  # the script did change passes every week

    # And a company sees only its own changes, a port officer only his port's
    company = invoke("statistics", get("/statistics", a_caller(Role.COMPANY, org_id="ORG-A"), at=at))
    assert _counts(company.json) == _sum_over_orgs(expected, ("ORG-A",))
    officer = a_caller(Role.PORT_OFFICER, ports=frozenset({"TX"}))
    by_port = invoke("statistics", get("/statistics", officer, at=at))
    assert [row["port"] for row in by_port.json["ports"]] == ["TX"]
    assert _counts(by_port.json) == {
        key: n for key, n in _sum_over_orgs(expected, ORGS).items() if key[0] == "TX"
    }

    # And the current counts are the lists' totals
    current_counts = {row["port"]: row["current"] for row in admin.json["ports"]}
    warned_now = sum(1 for p in passes.values() if stored(p.pass_no).value.tier == 5 and p.port == "KH")
    assert current_counts["KH"]["warned"] == warned_now


def test_a_withdrawal_adds_its_count_in_its_own_transaction():
    # Given a withdrawal's transaction (the DELETE /reinstatements/{id} use case adds this line)
    day = FIRST_DAY
    with TransactWrite(connection=connection()) as transaction:
        stage_stat_count(transaction, day, "KH", "ORG-A", ActivityKind.WITHDRAWN)
    # When the company asks for its statistics that week
    at = taipei(day, 12)
    answer = invoke(
        "statistics", get("/statistics", a_caller(Role.COMPANY, org_id="ORG-A"), {"weeks": 1}, at=at)
    )
    # Then the withdrawal is counted at its port and week
    (kh,) = [row for row in answer.json["ports"] if row["port"] == "KH"]
    assert kh["weekly"][0]["withdrawn"] == 1
    assert kh["weekly"][0]["week"] == "2025-W02"


@pytest.mark.parametrize("weeks", ["0", "53", "x", "-1"])
def test_weeks_outside_1_to_52_is_a_400_naming_the_field(weeks):
    answer = invoke("statistics", get("/statistics", a_caller(Role.ADMIN), {"weeks": weeks}))
    assert answer.status == 400
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert answer.json["error"]["details"][0]["field"] == "weeks"


def test_the_issuer_may_not_read_statistics():
    answer = invoke("statistics", get("/statistics", a_caller(Role.ISSUER)))
    assert answer.status == 403


def _counts(body) -> dict[tuple[str, str, str], int]:
    found = {}
    for row in body["ports"]:
        for week in row["weekly"]:
            for kind in COUNTED_KINDS:
                if week[kind.value]:
                    found[(row["port"], week["week"], kind.value)] = week[kind.value]
    return found


def _sum_over_orgs(expected, orgs) -> dict[tuple[str, str, str], int]:
    total: Counter[tuple[str, str, str]] = Counter()
    for (org, port, week, kind), n in expected.items():
        if org in orgs:
            total[(port, week, kind.value)] += n
    return dict(total)
