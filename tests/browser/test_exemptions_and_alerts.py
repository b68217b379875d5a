"""暫緩停用 and 通行異常警示 on the screens (SPEC §12), against the local runtime's demo data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_client import sign_in, wait_for_list
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser


def _open(page: Any, screen: str) -> None:
    page.goto(f"/#/{screen}")
    page.locator(f"#{'exemption' if screen == 'exemptions' else 'alert'}-list-range").filter(
        has_text="顯示第"
    ).wait_for()


def test_an_officer_exempts_a_warned_pass_until_a_date_and_ends_it_early(
    page: Any, fresh_demo: Runtime
) -> None:
    # Given a warned pass of the officer's ports
    token = fresh_demo.token("kh-officer")
    warned = fresh_demo.ok("GET", "/inactive-passes?tier=5&scope=own", token=token)["items"][0]["passNo"]
    until = (datetime.now(ZoneInfo("Asia/Taipei")).date() + timedelta(days=30)).isoformat()
    sign_in(page, fresh_demo, "port_officer")
    _open(page, "exemptions")
    # When he exempts it until a date, with a reason
    page.get_by_label("通行證號:").fill(warned)
    page.get_by_label("暫緩至:").fill(until)
    page.get_by_label("暫緩原因:").fill("出海工作三個月")
    page.get_by_role("button", name="設定暫緩").click()
    page.locator("#exemption-flash").filter(has_text=f"{warned}：已暫緩停用至 {until}").wait_for()
    # Then the list shows it with the date, the reason and who set it
    row = page.locator(f"#exemption-list-body tr[data-pass-no='{warned}']")
    assert until in row.inner_text()
    assert "出海工作三個月" in row.inner_text()
    assert "高雄審核測試帳號" in row.inner_text()
    # And the pass has left the 5-month list
    listed = fresh_demo.ok("GET", f"/inactive-passes?tier=5&scope=own&passNo={warned}", token=token)
    assert listed["total"] == 0
    # When he ends it early
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"結束暫緩 {warned}").click()
    page.locator("#exemption-flash").filter(has_text=f"{warned}：已結束暫緩停用。").wait_for()
    # Then it is no longer listed (once the list is read again)
    expect(page.locator(f"#exemption-list-body tr[data-pass-no='{warned}']")).to_have_count(0)


def test_an_exemption_with_no_reason_is_explained_at_its_field_and_not_sent(
    page: Any, runtime: Runtime
) -> None:
    # Given the officer's form
    sign_in(page, runtime, "port_officer")
    _open(page, "exemptions")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "PUT" else None)
    # When a pass number and a date are given without a reason
    page.get_by_label("通行證號:").fill("KHPS112-000045")
    page.get_by_label("暫緩至:").fill(
        (datetime.now(ZoneInfo("Asia/Taipei")).date() + timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name="設定暫緩").click()
    # Then the reason's field says so and nothing was sent
    page.locator("#exempt-reason-error").filter(has_text="請填寫暫緩原因").wait_for()
    assert sent == []


def test_a_company_reads_its_passes_exemptions_without_changing_them(page: Any, runtime: Runtime) -> None:
    # Given a company user on 暫緩停用
    sign_in(page, runtime, "company")
    _open(page, "exemptions")
    # Then its passes' exemptions are listed, with no form and no 結束暫緩
    assert page.locator("#exemption-list-body tr[data-pass-no]").count() > 0
    assert page.locator("#exemption-form").count() == 0
    assert page.get_by_role("button", name="結束暫緩").count() == 0


def test_a_suspended_pass_refused_at_a_gate_is_on_the_alerts_and_on_its_row(
    page: Any, runtime: Runtime
) -> None:
    # Given the demo's suspended pass refused at a gate (蘇小西, KHPS112-000067)
    sign_in(page, runtime, "company")
    # When the company opens 通行異常警示
    _open(page, "alerts")
    row = page.locator("#alert-list-body tr[data-pass-no='KHPS112-000067']")
    # Then the refusal is listed with its gate and time
    assert "KH-GATE-03" in row.inner_text()
    assert row.locator("td[data-label='遭拒時間']").inner_text().count("/") == 2
    # And the pass's row on the reinstatement list says when it was last refused
    page.goto("/#/reinstatement/own")
    page.locator("#tab-own[aria-selected='true']").wait_for()
    wait_for_list(page)
    page.get_by_label("通行證號:").fill("KHPS112-000067")
    page.get_by_role("button", name="查詢").click()
    page.locator("#list-range").filter(has_text="共 1 項").wait_for()
    status = page.locator("#list-body tr[data-pass-no='KHPS112-000067'] td[data-label='通行證狀態']")
    assert "最近遭拒通行" in status.inner_text()
