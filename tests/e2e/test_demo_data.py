"""The demo data set (SPEC §10): every list and tab has rows for the demo users, the manual's
sample holders are among them, and the history has more than one page."""

from __future__ import annotations

import pytest

from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.e2e

LIST_USERS = ("utron", "harbor", "kh-officer")
TABS = (
    "/inactive-passes?tier=6&scope=own",
    "/inactive-passes?tier=6&scope=other",
    "/inactive-passes?tier=5&scope=own",
    "/inactive-passes?tier=5&scope=other",
    "/reinstatable-passes?scope=own",
    "/reinstatable-passes?scope=other",
    "/reinstatements",
)
MANUAL_REINSTATABLE = {
    "KHPS112-000070",
    "KHPS112-000067",
    "KHPS112-000043",
    "KHPS112-000069",
    "KHPS112-000029",
}


def test_the_demo_users_cover_two_companies_an_officer_of_two_ports_an_admin_and_an_issuer(
    demo: Runtime,
) -> None:
    users = demo.users()
    companies = {u["orgId"] for u in users if u["role"] == "company"}
    officers = [u for u in users if u["role"] == "port_officer"]
    assert len(companies) >= 2
    assert any(len(u["ports"]) >= 2 for u in officers)
    assert {"admin", "issuer"} <= {u["role"] for u in users}
    assert all({"username", "name", "role", "orgId", "ports"} <= set(u) for u in users)


@pytest.mark.parametrize("username", LIST_USERS)
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_has_rows_for_the_demo_list_users(demo: Runtime, username: str, tab: str) -> None:
    page = demo.ok("GET", tab, token=demo.token(username))
    assert page["total"] > 0, f"{username} {tab}"
    assert page["items"]


@pytest.mark.parametrize("username", ["utron", "kh-officer"])
def test_the_history_has_more_than_one_page(demo: Runtime, username: str) -> None:
    token = demo.token(username)
    first = demo.ok("GET", "/reinstatements?page=1&pageSize=10", token=token)
    second = demo.ok("GET", "/reinstatements?page=2&pageSize=10", token=token)
    assert first["total"] > 10
    assert second["items"]
    assert {r["reinstatementId"] for r in first["items"]}.isdisjoint(
        r["reinstatementId"] for r in second["items"]
    )


def test_the_manuals_holders_are_on_their_screens(demo: Runtime) -> None:
    token = demo.token("utron")
    own6 = demo.ok("GET", "/inactive-passes?tier=6&passNo=KHPS112-000045", token=token)
    own5 = demo.ok("GET", "/inactive-passes?tier=5&passNo=KLPS112-000001", token=token)
    reinstatable = demo.ok("GET", "/reinstatable-passes?scope=own&pageSize=100", token=token)
    other = demo.ok("GET", "/reinstatable-passes?scope=other&passNo=KHPS109-010305", token=token)
    assert own6["items"][0]["holderName"] == "林學四"
    assert own5["items"][0]["holderName"] == "朱元輝"
    assert {row["passNo"] for row in reinstatable["items"]} >= MANUAL_REINSTATABLE
    assert other["items"][0]["holderName"] == "英○雨"
    assert other["items"][0]["holderId"].endswith("****")


def test_the_demo_history_has_pending_and_activated_reinstatements(demo: Runtime) -> None:
    rows = demo.ok("GET", "/reinstatements?pageSize=100", token=demo.token("utron"))["items"]
    statuses = {row["status"] for row in rows}
    assert {"PENDING", "ACTIVATED"} <= statuses
    assert "陳玉美" in {row["executor"] for row in rows}


def test_the_issuer_sees_a_suspended_holders_eligibility(demo: Runtime) -> None:
    admin, issuer = demo.token("admin"), demo.token("issuer")
    suspended = demo.ok("GET", "/inactive-passes?tier=6&status=SUSPENDED_INACTIVE", token=admin)["items"][0]
    answer = demo.ok("GET", f"/holders/{suspended['holderId']}/eligibility", token=issuer)
    assert answer["regular"]["allowed"] is False
    assert answer["singleVisit"]["allowed"] is True
    assert suspended["passNo"] in answer["suspendedPasses"]


def test_the_demo_data_is_what_todays_daily_job_would_have_made_of_it(demo: Runtime) -> None:
    # When the daily job runs now over the seeded data
    now = demo.ok("GET", "/_local/clock")["now"]
    summary = demo.run_schedule("DailyInactivityFunction", now)
    # Then the gate feed is recent (no fail-safe) and every pass already is in its state
    assert summary["failSafeTripped"] is False
    assert summary["warned"] == 0
    assert summary["suspended"] == 0
    assert summary["failed"] == 0


@pytest.mark.parametrize("username", ["admin", "kh-officer", "utron"])
def test_the_demo_history_total_is_the_number_of_rows_its_pages_hold(demo: Runtime, username: str) -> None:
    # Given a demo user's history (its total comes from the history counters)
    token = demo.token(username)
    first = demo.ok("GET", "/reinstatements?pageSize=100", token=token)
    # When every page of 10 is read, oldest first
    rows = [
        row["reinstatementId"]
        for page in range(1, -(-first["total"] // 10) + 1)
        for row in demo.ok("GET", f"/reinstatements?sort=appliedOn&page={page}", token=token)["items"]
    ]
    # Then the pages hold exactly `total` distinct rows, the same ones as the one large page
    assert len(rows) == len(set(rows)) == first["total"]
    assert set(rows) == {row["reinstatementId"] for row in first["items"]}


@pytest.mark.parametrize("username", ["utron", "kh-officer", "admin"])
@pytest.mark.parametrize("tab", ["/exemptions", "/alerts"])
def test_the_demo_has_an_exemption_and_an_alert_for_the_company_and_its_port(
    demo: Runtime, username: str, tab: str
) -> None:
    # SPEC §12: the local runtime serves both routes from the template, with demo rows
    page = demo.ok("GET", tab, token=demo.token(username))
    assert page["total"] >= 1, f"{username} {tab}"
    assert page["items"]


def test_another_company_sees_neither_the_demo_exemption_nor_its_alert(demo: Runtime) -> None:
    token = demo.token("harbor")
    assert demo.ok("GET", "/exemptions", token=token)["total"] == 0
    assert demo.ok("GET", "/alerts", token=token)["total"] == 0
