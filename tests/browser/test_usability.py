"""The web client for real users (phones, roles, errors, lockout, dialogs, feedback, focus, CSV
names, wording), each at the width where a reader found it failing."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_client import (
    SUCCESS,
    a_fresh_reinstatable_row,
    clear_holder_id,
    download_csv,
    first_reinstatable_row,
    open_tab,
    pass_numbers,
    sign_in,
    wait_for_list,
)
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TAIPEI_OFFSET = timedelta(hours=8)


def taipei_tomorrow() -> str:
    return ((datetime.now(UTC) + TAIPEI_OFFSET).date() + timedelta(days=1)).strftime("%Y/%m/%d")


def inside_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


# ---------------------------------------------------------------- 1. phones
def test_on_a_phone_each_row_is_a_card_with_its_status_and_action_in_view(
    page: Any, runtime: Runtime
) -> None:
    # Given a company user on a 390 px phone, on the reinstatement list of his own passes
    page.set_viewport_size(PHONE)
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    row = first_reinstatable_row(page)
    # Then the row's status and its 停用恢復 button are on screen, labelled, without scrolling sideways
    status = row.locator("td[data-label='通行證狀態']")
    button = row.get_by_role("button", name=re.compile("停用恢復"))
    assert inside_viewport(page, status)
    assert inside_viewport(page, button)
    assert status.evaluate("td => getComputedStyle(td, '::before').content") == '"通行證狀態"'
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("#table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth")


def test_on_a_phone_every_tab_fits_with_its_whole_label(page: Any, runtime: Runtime) -> None:
    # Given the four tabs of 人員通行記錄 on a phone
    page.set_viewport_size(PHONE)
    sign_in(page, runtime)
    open_tab(page, "records", "own6")
    tabs = page.get_by_role("tab")
    assert tabs.count() == 4
    # Then each is on screen and shows its whole label
    for index in range(4):
        tab = tabs.nth(index)
        assert inside_viewport(page, tab), tab.inner_text()
        assert tab.evaluate("t => t.scrollWidth <= t.clientWidth"), tab.inner_text()


def test_on_a_phone_the_notice_box_and_filters_fold_so_the_list_starts_on_the_first_screen(
    page: Any, runtime: Runtime
) -> None:
    # Given a phone
    page.set_viewport_size(PHONE)
    sign_in(page, runtime)
    open_tab(page, "records", "own6")
    # Then the notice box is folded, the first row is on the first screen
    notice = page.get_by_role("note", name="注意事項")
    expect(notice.locator("details")).not_to_have_attribute("open", "")
    first_row = page.locator("#list-body tr[data-pass-no]").first
    assert first_row.bounding_box()["y"] < PHONE["height"]
    # When the notice's summary is pressed, Then the notices show
    notice.locator("summary").click()
    expect(notice.get_by_text("申請恢復使用，請至系統功能")).to_be_visible()
    # And the filters open from their own summary
    page.locator(".filter-box > summary").click()
    expect(page.get_by_label("通行證號:")).to_be_visible()


def tab_labels(page: Any) -> list[str]:
    """The tabs' labels without their counts (「所屬通行證 6個月未通行 (27)」, SPEC §9 /summary)."""
    return [re.sub(r" \([\d,]+\)$", "", text) for text in page.get_by_role("tab").all_inner_texts()]


# ---------------------------------------------------------------- 2. roles
def test_an_admin_gets_no_tabs_of_other_passes(page: Any, runtime: Runtime) -> None:
    # Given the admin (SPEC §5: every pass is his own, none is another's)
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    # Then 人員通行記錄 offers only the own tabs, and 未通行停用恢復申請 own and history
    assert tab_labels(page) == ["所屬通行證 6個月未通行", "所屬通行證 5個月未通行"]
    open_tab(page, "reinstatement", "own")
    assert tab_labels(page) == ["所屬通行證", "恢復歷程查詢"]
    # And an address of another's tab leads to the first tab instead
    page.goto("/#/records/other6")
    page.wait_for_url("**/#/records/own6")
    # And he has the eligibility look-up
    expect(page.get_by_role("link", name="申請資格查詢")).to_be_visible()


def test_the_issuer_sees_only_the_eligibility_look_up(page: Any, runtime: Runtime) -> None:
    # Given the issuance system's account, signed in
    user = runtime.user("issuer")
    page.goto("/#/login")
    page.locator(f"button[data-username='{user['username']}']").click()
    # Then it lands on 申請資格查詢, with no list screens and no permission banner
    page.get_by_role("heading", name="申請資格查詢").wait_for()
    expect(page.get_by_role("link", name="人員通行記錄")).to_be_hidden()
    expect(page.get_by_role("link", name="未通行停用恢復申請")).to_be_hidden()
    assert "此帳號無此功能權限" not in page.content()
    page.goto("/#/records/own6")
    page.wait_for_url("**/#/eligibility")


def test_a_machine_token_of_the_issuance_system_gets_the_look_up_by_its_scope(
    page: Any, runtime: Runtime
) -> None:
    # Given the issuance system signed in with client credentials: an access token that carries
    # its scope, not custom:role (only the page's reading of the claims is exercised here)
    claims: dict[str, Any] = {
        "sub": "IssuerMachineClient",
        "client_id": "IssuerMachineClient",
        "scope": "portpass/issuer",
    }
    claims["exp"] = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    page.goto("/#/login")
    page.evaluate(f"sessionStorage.setItem('portpass.session', JSON.stringify({{token: 'e30.{payload}.x'}}))")
    # When it opens a list's address
    page.goto("/#/records/own6")
    # Then it is taken to 申請資格查詢, the only screen it can use
    page.wait_for_url("**/#/eligibility")
    page.get_by_role("heading", name="申請資格查詢").wait_for()
    expect(page.get_by_role("link", name="人員通行記錄")).to_be_hidden()


def test_a_token_without_a_role_is_told_so_without_a_redirect_loop(page: Any, runtime: Runtime) -> None:
    # Given a token that names no role the client knows, and that the API accepts
    page.route("**/reference", lambda route: route.fulfill(json={"ports": [], "statuses": [], "notices": {}}))
    claims = {"sub": "someone", "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp())}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    page.goto("/#/login")
    page.evaluate(f"sessionStorage.setItem('portpass.session', JSON.stringify({{token: 'e30.{payload}.x'}}))")
    # When it opens the client, Then it says there is nothing to use
    page.goto("/#/records/own6")
    expect(page.get_by_role("alert")).to_contain_text("此帳號無可使用的功能")


def test_the_eligibility_look_up_says_which_passes_a_suspended_holder_may_apply_for(
    page: Any, runtime: Runtime
) -> None:
    # Given the issuer's look-up and the ID of a holder whose regular pass is suspended
    holder_id = clear_holder_id(runtime, "KHPS112-000067")
    user = runtime.user("issuer")
    page.goto("/#/login")
    page.locator(f"button[data-username='{user['username']}']").click()
    page.get_by_role("heading", name="申請資格查詢").wait_for()
    # When the ID is looked up
    page.get_by_label("身分證號:").fill(holder_id)
    page.get_by_role("button", name="查詢").click()
    result = page.locator("#eligibility-result")
    result.locator("li").first.wait_for()
    # Then 定期證 and 臨時證 are refused with the manual's reason, 當次證 allowed
    regular = result.locator("li[data-kind='regular']")
    expect(regular).to_contain_text("不可申請")
    expect(regular).to_contain_text("定期證停用期間")
    expect(result.locator("li[data-kind='temporary']")).to_contain_text("不可申請")
    expect(result.locator("li[data-kind='singleVisit']")).to_contain_text("可申請")
    expect(result).to_contain_text("KHPS112-000067")
    # When a partial ID is looked up, Then the field says what a full one looks like
    page.get_by_label("身分證號:").fill("S1234")
    page.get_by_role("button", name="查詢").click()
    expect(page.locator("#eligibility-error")).to_contain_text("A123456789")


# ---------------------------------------------------------------- 3. search errors
def test_a_partial_pass_number_is_explained_at_its_field_and_nothing_is_searched(
    page: Any, runtime: Runtime
) -> None:
    # Given a list
    sign_in(page, runtime)
    open_tab(page, "records", "own6")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/inactive-passes" in r.url else None)
    # When a malformed pass number is searched for
    page.get_by_label("通行證號:").fill("KHP1")
    page.get_by_role("button", name="查詢").click()
    # Then the error is at the field, with the expected format, and the field is marked invalid
    error = page.locator("#f-pass-no-error")
    expect(error).to_contain_text("KHPS112-000045")
    expect(page.get_by_label("通行證號:")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("通行證號:")).to_be_focused()
    # And no search ran: no request, no rows, no "顯示第 0 至 0 項結果"
    assert requests == []
    assert pass_numbers(page) == []
    expect(page.locator("#list-body")).to_contain_text("未查詢")
    expect(page.locator("#list-range")).to_have_text("")


def test_a_partial_holder_id_is_explained_and_清除_brings_the_whole_list_back(
    page: Any, runtime: Runtime
) -> None:
    # Given a list and its total
    sign_in(page, runtime)
    open_tab(page, "records", "own6")
    total = page.locator("#list-range").inner_text()
    # When a partial ID is searched for, Then the field says an ID is matched in full only
    page.get_by_label("身分證字號:").fill("E2245")
    page.get_by_role("button", name="查詢").click()
    expect(page.locator("#f-holder-id-error")).to_contain_text("不提供部分比對")
    expect(page.locator("#f-holder-id-error")).to_contain_text("A123456789")
    # When 清除 is pressed, Then the fields are empty, the error gone and the whole list back
    page.get_by_role("button", name="清除").click()
    wait_for_list(page)
    expect(page.get_by_label("身分證字號:")).to_have_value("")
    expect(page.locator("#f-holder-id-error")).to_have_text("")
    expect(page.locator("#list-range")).to_have_text(total)


def test_the_apis_refusal_of_an_id_lands_at_its_field_with_the_format(page: Any, runtime: Runtime) -> None:
    # Given a list
    sign_in(page, runtime)
    open_tab(page, "records", "own6")
    # When an ID of the right shape but a wrong check digit is searched for (the API's 400)
    page.get_by_label("身分證字號:").fill("A123456780")
    page.get_by_role("button", name="查詢").click()
    # Then the API's message and the expected format are at the field, and no search result shows
    error = page.locator("#f-holder-id-error")
    expect(error).to_contain_text("檢查碼")
    expect(error).to_contain_text("A123456789")
    expect(page.locator("#page-error")).to_be_hidden()
    expect(page.locator("#list-body")).to_contain_text("未查詢")
    expect(page.locator("#list-range")).to_have_text("")


def test_an_id_search_on_others_passes_says_it_is_counted_before_and_after(
    page: Any, runtime: Runtime
) -> None:
    # Given 非所屬通行證 6個月未通行 (SPEC §5: an ID filter there is a counted attempt)
    sign_in(page, runtime)
    open_tab(page, "records", "other6")
    # Then the ID field says so before any search
    expect(page.locator("#f-holder-id-hint")).to_contain_text("計入驗證次數")

    # When an ID is searched for and the API answers with the remaining budget
    def with_budget(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        body["attemptsLeft"] = 17
        route.fulfill(response=answer, json=body)

    page.route("**/inactive-passes?*holderId=*", with_budget)
    page.get_by_label("身分證字號:").fill("A123456789")
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    # Then the remaining searches are shown
    expect(page.locator("#attempts-note")).to_contain_text("尚可查詢 17 次")
    # When the budget is spent (429 with Retry-After), Then the field says until when
    page.unroute("**/inactive-passes?*holderId=*")
    page.route(
        "**/inactive-passes?*holderId=*",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "3600", "Content-Type": "application/json"},
            body=json.dumps(
                {
                    "error": {
                        "code": "TOO_MANY_ATTEMPTS",
                        "message": "身分證號錯誤次數過多，請稍後再試。",
                        "details": [],
                    }
                }
            ),
        ),
    )
    page.get_by_label("身分證字號:").fill("Q200007916")  # a valid ID (a check-digit typo is not sent)
    page.get_by_role("button", name="查詢").click()
    error = page.locator("#f-holder-id-error")
    expect(error).to_contain_text("鎖定至")
    assert re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", error.inner_text())
    assert "稍後" not in error.inner_text()
    expect(page.locator("#list-body")).to_contain_text("未查詢")


# ---------------------------------------------------------------- 4. lockout
def test_a_locked_pass_stays_locked_when_its_dialog_is_opened_again(page: Any, runtime: Runtime) -> None:
    # Given another's pass whose verification answered 429 (Retry-After 2 hours)
    row, pass_no = a_fresh_reinstatable_row(page, runtime, "other")
    page.route(
        f"**/passes/{pass_no}/reinstatement",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "7200", "Content-Type": "application/json"},
            body=json.dumps(
                {
                    "error": {
                        "code": "TOO_MANY_ATTEMPTS",
                        "message": "身分證號錯誤次數過多，請稍後再試。",
                        "details": [],
                    }
                }
            ),
        ),
    )
    row.get_by_role("button", name=f"停用恢復 {pass_no}").click()
    dialog = page.locator("#grant-dialog")
    dialog.get_by_label("身分證號").fill("A123456789")
    dialog.get_by_label("身分證號").press("Enter")
    error = dialog.locator("#grant-error")
    expect(error).to_contain_text("鎖定至")
    expect(dialog.get_by_role("button", name="確定")).to_be_disabled()
    # When the dialog is closed and opened again
    dialog.get_by_role("button", name="取消").click()
    row.get_by_role("button", name=f"停用恢復 {pass_no}").click()
    # Then it still says until when, and 確定 cannot be pressed
    expect(error).to_contain_text("鎖定至")
    expect(dialog.get_by_role("button", name="確定")).to_be_disabled()


# ---------------------------------------------------------------- 5. the 取得權限 dialog
def test_the_grant_dialog_shows_the_masked_id_and_says_確定_also_applies(page: Any, runtime: Runtime) -> None:
    # Given another's pass, its full ID known to the caller
    row, pass_no = a_fresh_reinstatable_row(page, runtime, "other")
    masked = row.locator("td[data-label='身分證號']").inner_text()
    holder_id = clear_holder_id(runtime, pass_no)
    # When 停用恢復 is pressed
    row.get_by_role("button", name=f"停用恢復 {pass_no}").click()
    dialog = page.locator("#grant-dialog")
    # Then the dialog shows the masked ID being verified and says 確定 also files the application
    expect(dialog.locator("#grant-masked")).to_contain_text(masked)
    expect(dialog).to_contain_text("同時提出停用恢復申請")
    # When the right ID is given
    dialog.get_by_label("身分證號").fill(holder_id)
    dialog.get_by_role("button", name="確定").click()
    page.locator("#message-dialog").get_by_role("button", name="確定").click()
    # Then the banner explains why the list stays masked while the history shows the person
    expect(page.locator("#flash")).to_contain_text("「恢復歷程查詢」將顯示其完整資料")
    expect(page.locator(f"#list-body tr[data-pass-no='{pass_no}'] td[data-label='身分證號']")).to_have_text(
        masked
    )
    open_tab(page, "reinstatement", "history")
    page.get_by_label("通行證號:").fill(pass_no)
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    expect(page.locator("#list-body td[data-label='身分證字號']")).to_have_text(holder_id)


# ---------------------------------------------------------------- 6-8. feedback, success text, focus
def test_applying_shows_progress_then_the_manuals_sentence_and_the_date_and_focus_returns_to_the_row(
    page: Any, runtime: Runtime
) -> None:
    # Given an own pass to reinstate, and an API that answers only when the test lets it
    _, pass_no = a_fresh_reinstatable_row(page, runtime, "own")
    held: list[Any] = []
    page.route(f"**/passes/{pass_no}/reinstatement", lambda route: held.append(route))
    button = page.locator(f"#list-body tr[data-pass-no='{pass_no}'] td.action button")
    button.click()
    page.locator("#confirm-dialog").get_by_role("button", name="確定").click()
    # Then while the request runs the row's button is disabled, busy and says so
    page.wait_for_function("() => document.querySelector('[aria-busy=true] .spinner') !== null")
    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_contain_text("申請中")
    # When the API answers
    held[0].continue_()
    # Then the manual's sentence comes first, then the date it means
    message = page.locator("#message-text")
    expect(message).to_contain_text(SUCCESS)
    assert message.inner_text().startswith(SUCCESS)
    expect(message).to_contain_text(f"{taipei_tomorrow()} 06:00")
    page.locator("#message-dialog").get_by_role("button", name="確定").click()
    # And the focus is on the row that was acted on, not on the banner
    focused = page.locator(f"#list-body tr[data-pass-no='{pass_no}'] td.key")
    expect(focused).to_be_focused()
    expect(page.locator("#flash")).to_contain_text(taipei_tomorrow())


# ---------------------------------------------------------------- 9. CSV names
def test_the_csv_file_name_carries_the_list_its_filters_and_the_date(page: Any, runtime: Runtime) -> None:
    # Given the admin's suspended list filtered by port and status
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    page.get_by_label("領證港區:").select_option(label="高雄港")
    page.get_by_label("狀態:").select_option(label="停用中(因未通行)")
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)
    # When it is exported, Then the name says which list, which filters and which day
    name, _ = download_csv(page)
    today = (datetime.now(UTC) + TAIPEI_OFFSET).strftime("%Y-%m-%d")
    assert name == f"人員通行記錄_所屬6個月_高雄港_停用中(因未通行)_{today}.csv"


# ---------------------------------------------------------------- 11. wording
def test_the_manuals_wording_header_breadcrumb_officer_ports_and_no_single_option_filter(
    page: Any, runtime: Runtime
) -> None:
    # Given the port officer of KH and AP
    sign_in(page, runtime, role="port_officer")
    open_tab(page, "records", "own6")
    # Then the header reads 通行證資訊網/FA and names his ports
    expect(page.locator(".brand")).to_have_text("通行證資訊網/FA")
    expect(page.locator("#who-ports")).to_contain_text("高雄港")
    expect(page.locator("#who-ports")).to_contain_text("安平港")
    # And a breadcrumb gives the menu path
    crumbs = page.get_by_role("navigation", name="目前位置")
    assert crumbs.locator("li").all_inner_texts() == [
        "通行記點異常紀錄",
        "人員通行記錄",
        "所屬通行證 6個月未通行",
    ]
    # And the 5-month tab, whose rows have one status, has no 狀態 filter
    open_tab(page, "records", "own5")
    expect(page.get_by_label("狀態:")).to_have_count(0)
    # And the history pager says 前一頁, as the manual
    open_tab(page, "reinstatement", "history")
    expect(page.locator("#pager").get_by_role("button", name="前一頁")).to_be_visible()
    expect(page.locator("#pager").get_by_role("button", name="上一頁")).to_have_count(0)


def test_between_phone_and_desktop_the_table_says_it_scrolls(page: Any, runtime: Runtime) -> None:
    # Given a window too narrow for the reinstatement table but wider than a phone
    page.set_viewport_size({"width": 900, "height": 900})
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    # Then the table scrolls in its box, and says so
    assert page.locator("#table-wrap").evaluate("w => w.scrollWidth > w.clientWidth")
    expect(page.locator("#scroll-hint")).to_be_visible()
    # When the window is wide enough, Then the hint goes
    page.set_viewport_size({"width": 1600, "height": 900})
    expect(page.locator("#scroll-hint")).to_be_hidden()
