"""v1.1 in the web client, as a company and a port officer would use it (SPEC §6, §9 v1.1):
預計停用日 and tab counts, a batch of three, a withdrawal, 所屬公司, the passNo hint, and the
texts of "will be voided" and of a 409 on a pending pass."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_client import (
    column,
    headers,
    list_range,
    open_tab,
    sign_in,
    tab_named,
    wait_for_list,
)
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser

COUNTED = re.compile(r"^(?P<label>.+) \((?P<count>[\d,]+)\)$")


def taipei_today() -> date:
    return datetime.now(ZoneInfo("Asia/Taipei")).date()


def tab_count(page: Any, label: str) -> int:
    tab = tab_named(page, label)
    expect(tab).to_have_text(re.compile(r"\(\d[\d,]*\)$"))
    match = COUNTED.match(tab.inner_text().strip())
    assert match, tab.inner_text()
    return int(match["count"].replace(",", ""))


def test_a_company_sees_expected_suspension_dates_and_the_tab_counts(page: Any, runtime: Runtime) -> None:
    runtime.reset(seed=True)
    # Given a company user on 所屬通行證 5個月未通行
    sign_in(page, runtime)
    open_tab(page, "records", "own5")
    # Then the rows carry 預計停用日, and those due within 7 days are highlighted
    assert "預計停用日" in headers(page)
    dates = column(page, "預計停用日")
    assert dates, "the demo data warns some of the company's passes"
    index = headers(page).index("預計停用日") + 1
    cells = page.locator(f"#list-body tr[data-pass-no] td:nth-child({index})")
    soon = taipei_today() + timedelta(days=7)
    for i in range(cells.count()):
        text = cells.nth(i).inner_text()
        highlighted = "due-soon" in (cells.nth(i).get_attribute("class") or "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            assert highlighted == (date.fromisoformat(text) <= soon), text
        else:
            assert text == "不會停用（證件先到期）"
            assert not highlighted
    # And every tab shows its count, equal to its list's total
    for label, tab in (("所屬通行證 5個月未通行", "own5"), ("所屬通行證 6個月未通行", "own6")):
        open_tab(page, "records", tab)
        assert tab_count(page, label) == list_range(page)[2], label
    assert tab_count(page, "非所屬通行證 6個月未通行") > 0
    # And the pass-number field says that 4 leading characters are enough
    expect(page.locator("#f-pass-no-hint")).to_contain_text("前 4 碼")
    expect(page.get_by_label("通行證號:")).to_have_attribute(
        "aria-describedby", re.compile(r"\bf-pass-no-hint\b")
    )


def test_a_company_applies_for_three_passes_in_one_batch_and_withdraws_one(
    page: Any, runtime: Runtime
) -> None:
    runtime.reset(seed=True)
    # Given a company user on its own reinstatement tab, 100 rows a page
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    before = tab_count(page, "所屬通行證")
    page.locator("#page-size").select_option("100")
    wait_for_list(page)
    boxes = page.locator("#list-body input.select-pass:not([disabled])")
    assert boxes.count() >= 3, "the demo data has three own passes to reinstate"
    # When three passes are ticked and 批次停用恢復 is pressed
    chosen = []
    for i in range(3):
        boxes.nth(i).check()
        chosen.append(boxes.nth(i).locator("xpath=ancestor::tr").get_attribute("data-pass-no"))
    batch_button = page.get_by_role("button", name="批次停用恢復（已選 3 筆）")
    batch_button.click()
    # Then one confirmation lists the three passes
    confirm = page.locator("#batch-confirm")
    expect(confirm).to_be_visible()
    for pass_no in chosen:
        expect(confirm).to_contain_text(pass_no)
    confirm.get_by_role("button", name="確定").click()
    # And the result says 成功 3 筆、失敗 0 筆
    result = page.locator("#batch-result")
    expect(result.locator("#batch-summary")).to_have_text("成功 3 筆、失敗 0 筆")
    result.get_by_role("button", name="確定").click()
    expect(page.locator("#flash")).to_contain_text("成功 3 筆、失敗 0 筆")
    wait_for_list(page)
    # And the three rows now say they will be reinstated at 06:00
    for pass_no in chosen:
        expect(page.locator(f"#list-body tr[data-pass-no='{pass_no}']")).to_contain_text("已申請恢復，將於")
    # And the own tab counts three passes fewer still to apply for (issue 27; listed until 06:00)
    expect(tab_named(page, "所屬通行證")).to_have_text(re.compile(rf"\({before - 3}\)$"))

    # When one of them is withdrawn from the history
    open_tab(page, "reinstatement", "history")
    target = page.locator(f"#list-body tr[data-pass-no='{chosen[1]}']").filter(
        has=page.get_by_role("button", name=f"撤回申請 {chosen[1]}")
    )
    target.get_by_role("button", name=f"撤回申請 {chosen[1]}").click()
    dialog = page.locator("#withdraw-confirm")
    expect(dialog).to_contain_text(chosen[1])
    dialog.get_by_role("button", name="確定撤回").click()
    expect(page.locator("#flash")).to_contain_text(f"{chosen[1]}：已撤回恢復申請。")
    wait_for_list(page)
    # Then the history shows two 待生效 and one 已撤回 (SPEC §9 v1.2: newest date first, then by
    # pass number, so today's rows of other applicants may stand between the batch's)
    page.locator("#page-size").select_option("100")
    wait_for_list(page)
    status_column = headers(page).index("狀態")
    statuses = {
        pass_no: page.locator(f"#list-body tr[data-pass-no='{pass_no}']")
        .first.locator("td")
        .nth(status_column)
        .inner_text()
        for pass_no in chosen
    }
    assert {k: v.split("（")[0] for k, v in statuses.items()} == {
        chosen[0]: "待生效",
        chosen[1]: "已撤回",
        chosen[2]: "待生效",
    }
    assert "陳玉美" in statuses[chosen[1]]  # who withdrew it, and when (issue 27)
    # And the withdrawn pass can be applied for again on the own tab
    open_tab(page, "reinstatement", "own")
    page.locator("#page-size").select_option("100")
    wait_for_list(page)
    row = page.locator(f"#list-body tr[data-pass-no='{chosen[1]}']")
    expect(row.get_by_role("button", name=f"停用恢復 {chosen[1]}")).to_be_enabled()


def test_a_port_officer_sees_the_company_of_each_own_pass(page: Any, runtime: Runtime) -> None:
    # Given the Kaohsiung port officer on his own 6-month list
    sign_in(page, runtime, role="port_officer")
    open_tab(page, "records", "own6")
    # Then 所屬公司 is a column, filled on every row
    assert headers(page)[:2] == ["通行證號", "所屬公司"]
    companies = column(page, "所屬公司")
    assert companies
    assert all(name and name != "—" for name in companies)
    # And on the reinstatement tab too, but never on another port's (other) list
    open_tab(page, "reinstatement", "own")
    assert "所屬公司" in headers(page)
    open_tab(page, "records", "other6")
    assert "所屬公司" not in headers(page)


def test_the_client_tells_who_applied_first_and_that_an_application_will_be_voided(
    page: Any, runtime: Runtime
) -> None:
    sign_in(page, runtime)
    wait_for_list(page)
    detail = {"location": "pass", "appliedOn": "2026-12-02", "effectiveAt": "2026-12-03T06:00:00+08:00"}
    pending = {"status": "PENDING", "effectiveAt": "2026-12-03T06:00:00+08:00", "willBeVoided": True}
    voided = {"status": "VOIDED", "statusLabel": "已作廢", "voidReasonLabel": "通行證已逾期"}
    texts = page.evaluate(
        """async ([detail, pending, voided]) => {
          const f = await import("/features.js");
          const conflict = (own) => f.pendingConflictText(
            { code: "REINSTATEMENT_PENDING", details: [{ ...detail, byOwnGrantee: own }] });
          const willBeVoided = f.willBeVoidedText(
            { reinstatement: { ...pending, voidReasonLabel: "已提交註銷申請" } });
          return [conflict(false), conflict(true), willBeVoided, f.historyStatusText(voided)];
        }""",
        [detail, pending, voided],
    )
    assert texts == [
        "此通行證已於 2026/12/02 由其他單位申請恢復，將於 2026/12/03 06:00 恢復使用。",
        "此通行證已於 2026/12/02 由貴單位申請恢復，將於 2026/12/03 06:00 恢復使用。",
        "已申請恢復，但已提交註銷申請，申請將於 2026/12/03 06:00 作廢，不會恢復使用。",
        "已作廢（通行證已逾期）",
    ]


def own_reinstatable(runtime: Runtime, token: str, port: str) -> list[str]:
    page = runtime.ok("GET", f"/reinstatable-passes?scope=own&port={port}&pageSize=100", token=token)
    return [row["passNo"] for row in page["items"] if row["canReinstate"]]


def test_a_batch_entry_that_another_unit_applied_for_meanwhile_fails_with_who_applied_first(
    page: Any, runtime: Runtime
) -> None:
    runtime.reset(seed=True)
    company = runtime.token("utron")
    # Given a company user with two of its Kaohsiung passes ticked on its own tab
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    page.get_by_label("領證港區:").select_option(label="高雄港")
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    first, second = own_reinstatable(runtime, company, "KH")[:2]
    for pass_no in (first, second):
        page.get_by_role("checkbox", name=f"選取 {pass_no}").check()
    # And meanwhile the Kaohsiung port officer applies for the second one
    officer = runtime.token("kh-officer")
    runtime.ok("POST", f"/passes/{second}/reinstatement", {}, token=officer)
    # When the company sends its batch
    page.get_by_role("button", name="批次停用恢復（已選 2 筆）").click()
    page.locator("#batch-confirm").get_by_role("button", name="確定").click()
    # Then one succeeded and one failed, saying another unit applied first and when it takes effect
    result = page.locator("#batch-result")
    expect(result.locator("#batch-summary")).to_have_text("成功 1 筆、失敗 1 筆")
    expect(result.locator(".batch-failures")).to_contain_text(
        re.compile(
            rf"{second}：此通行證已於 \d{{4}}/\d{{2}}/\d{{2}} 由其他單位申請恢復，將於 .* 06:00 恢復使用。"
        )
    )
    result.get_by_role("button", name="確定").click()


def test_a_pending_application_on_a_pass_with_a_cancellation_says_it_will_be_voided(
    page: Any, runtime: Runtime
) -> None:
    runtime.reset(seed=True)
    company = runtime.token("utron")
    pass_no = own_reinstatable(runtime, company, "KH")[0]
    # Given the company's application on its pass, then a cancellation submitted for the pass
    runtime.ok("POST", f"/passes/{pass_no}/reinstatement", {}, token=company)
    now = datetime.now(ZoneInfo("Asia/Taipei")).isoformat(timespec="seconds")
    runtime.put_events(
        {
            "source": "portpass.issuance",
            "detailType": "CancellationSubmitted",
            "detail": {"passNo": pass_no, "at": now},
        }
    )
    # When the company looks at its own reinstatement tab and at the history
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    page.get_by_label("通行證號:").fill(pass_no)
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    # Then the row says the application will be voided, and why
    expect(page.locator(f"#list-body tr[data-pass-no='{pass_no}']")).to_contain_text(
        "已申請恢復，但已提交註銷申請，申請將於"
    )
    open_tab(page, "reinstatement", "history")
    page.get_by_label("通行證號:").fill(pass_no)
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    expect(page.locator("#list-body tr[data-pass-no]").first).to_contain_text(
        "待生效（將作廢：已提交註銷申請）"
    )
