"""統計 and 通知設定 in Chromium against the local runtime (SPEC §9 v1.1, §11).

The statistics come from a scripted timeline run through the runtime's controls (the daily
and 06:00 jobs over twelve weeks); the chart's bars must be those numbers, and the same
numbers are in a table for screen readers. A screenshot of the chart is kept in
tests/artifacts/browser/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, CHANGED
from tests.e2e.runtime import Runtime

pytestmark = [pytest.mark.browser, pytest.mark.long]

FIRST_DAY = date(2025, 3, 3)  # a Monday
DAYS = 12 * 7
UTRON = ("ORG-UTRON", "優創科技股份有限公司")
BUSY = "KHPS113-000999"  # used every day: keeps KH's gate feed alive (SPEC §4)


def _upsert(pass_no: str, org: tuple[str, str], port: str, valid_from: date) -> dict[str, Any]:
    return {
        "Source": "portpass.issuance",
        "DetailType": "PassUpserted",
        "Detail": json.dumps(
            {
                "passNo": pass_no,
                "holderId": f"P{pass_no[-6:]}X",
                "holderName": "王測試",
                "orgId": org[0],
                "orgName": org[1],
                "port": port,
                "passType": "REGULAR",
                "validFrom": valid_from.isoformat(),
                "validTo": (valid_from + timedelta(days=3 * 365)).isoformat(),
                "status": "ACTIVE",
                "version": 1,
            }
        ),
    }


def _passage(pass_no: str, at: str) -> dict[str, Any]:
    detail = {"gateId": "AP-G01", "passages": [{"passNo": pass_no, "passedAt": at}]}
    return {"Source": "portpass.gates", "DetailType": "GatePassagesRecorded", "Detail": json.dumps(detail)}


def _taipei(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}+08:00"


@pytest.fixture
def timeline(runtime: Runtime) -> Iterator[dict[str, int]]:
    """Twelve weeks of daily and 06:00 runs over passes of 優創科技 at KH; the demo data is
    reloaded before the next browser test (``CHANGED``)."""
    runtime.reset(seed=False)
    runtime.switch_suspensions(True)  # a new stack is paused (SPEC §11)
    admin = runtime.token("admin")
    utron = runtime.token("utron")
    try:
        runtime.set_clock(_taipei(FIRST_DAY - timedelta(days=1), "10:00:00"))
        entries = [_upsert(BUSY, UTRON, "KH", FIRST_DAY - timedelta(days=30))]
        for k in range(24):  # 5 months old every 3 days: warned on FIRST_DAY + 3k, suspended a month later
            valid_from = date(2024, 10, 3) + timedelta(days=3 * k)
            entries.append(_upsert(f"KHPS114-{k + 1:06d}", UTRON, "KH", valid_from))
        for start in range(0, len(entries), 10):
            runtime.ok("POST", "/_local/events", {"Entries": entries[start : start + 10]})
        suspended_total = 0
        applied: set[str] = set()
        for offset in range(DAYS):
            day = FIRST_DAY + timedelta(days=offset)
            runtime.set_clock(_taipei(day, "01:00:00"))
            runtime.ok("POST", "/_local/events", {"Entries": [_passage(BUSY, _taipei(day, "00:30:00"))]})
            runtime.run_schedule("ActivationFunction", _taipei(day, "06:00:00")) if offset else None
            run = runtime.run_schedule("DailyInactivityFunction", _taipei(day, "02:00:00"))
            suspended_total += run["suspended"]
            if not run["suspended"]:
                continue  # a day without a suspension brings no new row to reinstate
            runtime.set_clock(_taipei(day, "10:00:00"))
            # every other newly suspended pass is reinstated by its company the same day
            own = runtime.ok("GET", "/reinstatable-passes?scope=own&pageSize=100", token=utron)["items"]
            for row in own:
                if (
                    row["reinstatement"] is None
                    and row["passNo"] not in applied
                    and int(row["passNo"][-2:]) % 2
                ):
                    runtime.ok("POST", f"/passes/{row['passNo']}/reinstatement", {}, token=utron)
                    applied.add(row["passNo"])
        runtime.set_clock(_taipei(FIRST_DAY + timedelta(days=DAYS - 1), "12:00:00"))
        stats = runtime.ok("GET", "/statistics?weeks=12", token=admin)
        (kh,) = [p for p in stats["ports"] if p["port"] == "KH"]
        yield {
            "suspended": sum(w["suspended"] for w in kh["weekly"]),
            "activated": sum(w["activated"] for w in kh["weekly"]),
            "expected_suspended": suspended_total,
        }
    finally:
        runtime.ok("DELETE", "/_local/clock")
        runtime.holds = CHANGED


def test_the_statistics_tab_charts_weekly_suspensions_and_reinstatements(
    page: Any, runtime: Runtime, timeline: dict[str, int]
) -> None:
    # Given twelve weeks of suspensions and reinstatements at KH
    assert timeline["suspended"] == timeline["expected_suspended"] > 0
    assert timeline["activated"] > 0
    # When the admin opens 統計
    page.goto("/#/login")
    page.locator("button[data-username='admin']").click()
    page.get_by_role("heading", name="人員通行記錄").wait_for()
    page.get_by_role("link", name="統計").click()
    page.get_by_role("heading", name="高雄港：每週停用與恢復").wait_for()
    # Then the KH chart has twelve weeks of bars whose heights carry the same numbers
    chart = page.locator("svg.stat-chart[data-port='KH']")
    expect(chart).to_be_visible()
    bars = chart.locator("rect[data-series='suspended']")
    assert bars.count() == 12
    drawn = sum(int(v) for v in bars.evaluate_all("rs => rs.map(r => r.dataset.value)"))
    assert drawn == timeline["suspended"]
    activated = chart.locator("rect[data-series='activated']").evaluate_all(
        "rs => rs.map(r => +r.dataset.value)"
    )
    assert sum(activated) == timeline["activated"]
    # And the same numbers are in a table for screen readers, in zh-TW
    table = page.get_by_role("table", name="高雄港 每週異動（件）")
    assert table.locator("tbody tr").count() == 12
    assert "停用" in table.locator("thead").inner_text()
    current = page.get_by_role("table", name="目前名單筆數")
    expect(current).to_contain_text("高雄港")
    chart.screenshot(path=str(ARTIFACTS / "statistics_chart_KH.png"))
    # When the table view is asked for, the chart gives way to the visible table
    page.get_by_role("button", name="以表格檢視").click()
    expect(page.locator("svg.stat-chart")).to_have_count(0)
    expect(table).to_be_visible()


def test_the_settings_screen_saves_recipients_and_names_a_bad_address(page: Any, runtime: Runtime) -> None:
    # Given a company user on 通知設定
    page.goto("/#/login")
    page.locator("button[data-username='utron']").click()
    page.get_by_role("heading", name="人員通行記錄").wait_for()
    page.get_by_role("link", name="通知設定").click()
    page.get_by_role("heading", name="通知設定").wait_for()
    # When a malformed address is saved
    page.get_by_label("收件人 1").fill("ops@utron.example")
    page.get_by_label("收件人 2").fill("not an address")
    page.get_by_label("寄送每日摘要").check()
    page.get_by_role("button", name="儲存").click()
    # Then that field is marked, with the API's message
    expect(page.get_by_label("收件人 2")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#settings-error")).to_be_visible()
    # When it is corrected and saved
    page.get_by_label("收件人 2").fill("hr@utron.example")
    page.get_by_role("button", name="儲存").click()
    expect(page.locator("#settings-flash")).to_have_text("通知設定已儲存。")
    # Then the company's settings hold both addresses
    saved = runtime.ok("GET", "/notification-settings", token=runtime.token("utron"))
    assert saved == {**saved, "emails": ["ops@utron.example", "hr@utron.example"], "digest": True}
    runtime.ok("PUT", "/notification-settings", {"emails": [], "digest": False}, token=runtime.token("utron"))
