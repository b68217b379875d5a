"""The manual's screens, used as a person would: sign in, tabs, filters, paging, reinstatement,
history sort, CSV export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser

SUCCESS = "申請恢復成功，通行證將於翌日06:00恢復使用"
RECORD_TABS = {
    "所屬通行證 6個月未通行": "own6",
    "非所屬通行證 6個月未通行": "other6",
    "所屬通行證 5個月未通行": "own5",
    "非所屬通行證 5個月未通行": "other5",
}
OWN_INACTIVE_COLUMNS = [
    "通行證號",
    "身分證號",
    "姓名",
    "有效起日",
    "有效迄日",
    "最近通行時間",
    "比對日期",
    "領證港區",
    "通行證狀態",
]
OTHER_INACTIVE_COLUMNS = [c for c in OWN_INACTIVE_COLUMNS if c != "身分證號"]
REINSTATABLE_COLUMNS = [
    "通行證號",
    "身分證號",
    "姓名",
    "有效起日",
    "有效迄日",
    "最近通行時間",
    "領證港區",
    "通行證狀態",
    "操作",
]
HISTORY_COLUMNS = [
    "通行證號",
    "身分證字號",
    "姓名",
    "領證港區",
    "申請恢復日期",
    "恢復通行時間",
    "執行人",
    "狀態",
]
RANGE = re.compile(r"顯示第 (\d+) 至 (\d+) 項結果，共 (\d+) 項")
# v1.1: the 5-month tabs show 預計停用日; the own reinstatement tab a 全選 column; the history
# a 撤回申請 column (操作)
OWN_REINSTATABLE_COLUMNS = ["全選", *REINSTATABLE_COLUMNS]
HISTORY_COLUMNS_V11 = [*HISTORY_COLUMNS, "操作"]


def with_expected_suspension(columns: list[str]) -> list[str]:
    at = columns.index("比對日期") + 1
    return [*columns[:at], "預計停用日", *columns[at:]]


# ---------------------------------------------------------------- helpers
def tab_named(page: Any, label: str) -> Any:
    """A tab by its label; since v1.1 the label carries its count from GET /summary: 「… (27)」."""
    return page.get_by_role("tab", name=re.compile(rf"^{re.escape(label)}( \([\d,]+\))?$"))


def choose_tab(page: Any, label: str) -> None:
    """The tab, once its own list has loaded: the route changes on ``hashchange``, after the click
    has returned, so the previous tab's list (loaded, not busy) may still be on screen then."""
    tab = tab_named(page, label)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    wait_for_list(page)


def sign_in(page: Any, runtime: Runtime, role: str = "company") -> dict[str, Any]:
    user = runtime.user(role)
    page.goto("/#/login")
    page.locator(f"button[data-username='{user['username']}']").click()
    page.get_by_role("heading", name="人員通行記錄").wait_for()
    return user


def open_tab(page: Any, screen: str, tab: str) -> None:
    """The tab by its address, once its own list has loaded (as ``choose_tab``: the route
    changes on ``hashchange``, after the navigation has returned)."""
    page.goto(f"/#/{screen}/{tab}")
    page.locator(f"#tab-{tab}[aria-selected='true']").wait_for()
    wait_for_list(page)


def wait_for_list(page: Any) -> None:
    page.locator("#table-wrap:not([aria-busy])").wait_for()
    page.locator("#list-range").filter(has_text=RANGE).wait_for()


def list_range(page: Any) -> tuple[int, int, int]:
    match = RANGE.search(page.locator("#list-range").inner_text())
    assert match, "the footer shows 顯示第 a 至 b 項結果，共 N 項"
    first, last, total = (int(g) for g in match.groups())
    return first, last, total


def headers(page: Any) -> list[str]:
    return [re.sub(r"[▲▼]", "", t).strip() for t in page.locator("table.list thead th").all_inner_texts()]


def column(page: Any, label: str) -> list[str]:
    index = headers(page).index(label) + 1
    return page.locator(f"#list-body tr[data-pass-no] td:nth-child({index})").all_inner_texts()


def pass_numbers(page: Any) -> list[str]:
    return [r.get_attribute("data-pass-no") for r in page.locator("#list-body tr[data-pass-no]").all()]


def first_reinstatable_row(page: Any) -> Any:
    row = page.locator("#list-body tr[data-pass-no]").filter(
        has=page.locator("button:not([disabled])", has_text="停用恢復")
    )
    assert row.count() > 0, "the demo data has a pass to reinstate on this tab"
    return row.first


def search(page: Any, **fields: str) -> None:
    labels = {"port": "領證港區:", "holder_id": "身分證字號:", "pass_no": "通行證號:", "status": "狀態:"}
    for name, value in fields.items():
        field = page.get_by_label(labels[name])
        if name in ("port", "status"):
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="查詢").click()
    wait_for_list(page)


def a_fresh_reinstatable_row(page: Any, runtime: Runtime, tab: str) -> tuple[Any, str]:
    """Fresh demo data and a company user on the reinstatement tab ``tab``: its first row, pass number."""
    runtime.reset()
    sign_in(page, runtime)
    open_tab(page, "reinstatement", tab)
    row = first_reinstatable_row(page)
    return row, row.get_attribute("data-pass-no")


def clear_holder_id(runtime: Runtime, pass_no: str) -> str:
    """The holder's full ID, as the admin (who owns every pass) reads it through the API."""
    token = runtime.token(runtime.user("admin")["username"])
    answer = runtime.ok("GET", f"/reinstatable-passes?scope=own&passNo={pass_no}", token=token)
    return str(answer["items"][0]["holderId"])


def download_csv(page: Any) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="匯出 CSV").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- tests
def test_sign_in_page_lists_the_demo_users_and_signs_in(page: Any, runtime: Runtime) -> None:
    # Given the sign-in page of the local runtime
    page.goto("/")
    page.get_by_role("heading", name="登入（本機示範帳號）").wait_for()
    # Then every demo user is offered
    expect(page.locator(".user-card")).to_have_count(len(runtime.users()))  # listed after the heading
    # When a company user signs in
    user = sign_in(page, runtime)
    # Then the inactivity records show, with the user's name in the header
    assert user["name"] in page.locator("#who").inner_text()
    first_tab = tab_named(page, "所屬通行證 6個月未通行")
    expect(first_tab).to_have_attribute("aria-selected", "true")


def test_every_tab_shows_rows_with_the_manuals_columns(page: Any, runtime: Runtime) -> None:
    # Given a company user on 人員通行記錄
    sign_in(page, runtime)
    wait_for_list(page)
    notice = page.get_by_role("note", name="注意事項").inner_text()
    assert "申請恢復使用，請至系統功能「未通行停用恢復申請」提出申請" in notice
    # When each of the four tabs is chosen, Then it lists rows under the manual's columns
    for label, tab in RECORD_TABS.items():
        choose_tab(page, label)
        page.wait_for_url(f"**/#/records/{tab}")
        expected = OWN_INACTIVE_COLUMNS if tab.startswith("own") else OTHER_INACTIVE_COLUMNS
        if tab.endswith("5"):
            expected = with_expected_suspension(expected)
        assert headers(page) == expected, label
        assert len(pass_numbers(page)) > 0, f"{label} has rows"
    # And on 未通行停用恢復申請 the three tabs do too
    page.get_by_role("link", name="未通行停用恢復申請").click()
    for label, expected in (
        ("所屬通行證", OWN_REINSTATABLE_COLUMNS),
        ("非所屬通行證", REINSTATABLE_COLUMNS),
        ("恢復歷程查詢", HISTORY_COLUMNS_V11),
    ):
        choose_tab(page, label)
        assert headers(page) == expected, label
        assert len(pass_numbers(page)) > 0, f"{label} has rows"
    assert "提交註銷申請時，無法進行停用恢復。" in page.get_by_role("note", name="注意事項").inner_text()


def test_other_rows_show_masked_names_and_no_holder_id(page: Any, runtime: Runtime) -> None:
    # Given a company user on 非所屬通行證 6個月未通行
    sign_in(page, runtime)
    open_tab(page, "records", "other6")
    # Then no name is shown in full: every one of three or more characters has ○ inside
    names = column(page, "姓名")
    assert names
    assert all("○" in name for name in names if len(name) >= 2)
    # And on the reinstatement list the holder IDs end in ****
    open_tab(page, "reinstatement", "other")
    assert all(value.endswith("****") or set(value) == {"*"} for value in column(page, "身分證號"))


def test_a_port_filter_narrows_the_list(page: Any, runtime: Runtime) -> None:
    # Given 所屬通行證 6個月未通行 for the admin (every pass is his own, over every port)
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    _, _, total = list_range(page)
    port = column(page, "領證港區")[0]
    # When the list is filtered by the port of its first row
    search(page, port=port)
    # Then fewer rows remain, all of that port
    _, _, narrowed = list_range(page)
    assert 0 < narrowed < total
    assert set(column(page, "領證港區")) == {port}
    # And a pass number narrows it to that one pass
    pass_no = pass_numbers(page)[0]
    search(page, pass_no=pass_no)
    assert pass_numbers(page) == [pass_no]
    assert list_range(page) == (1, 1, 1)


def test_a_status_filter_keeps_only_that_status(page: Any, runtime: Runtime) -> None:
    # Given 所屬通行證 6個月未通行, whose rows are suspended or (suspended, then) expired
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    # When filtered by 停用中(因未通行)
    search(page, status="停用中(因未通行)")
    # Then every row carries that status
    assert set(column(page, "通行證狀態")) == {"停用中(因未通行)"}


def test_paging_moves_through_the_list(page: Any, runtime: Runtime) -> None:
    # Given a list of more than ten rows
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    first_page = pass_numbers(page)
    assert list_range(page)[:2] == (1, 10)
    # When 下一頁 is pressed
    page.get_by_role("button", name="下一頁").click()
    page.locator("#list-range", has_text="顯示第 11 至").wait_for()
    # Then the next ten rows show, none of the first page's
    second_page = pass_numbers(page)
    assert len(second_page) > 0
    assert not set(first_page) & set(second_page)
    assert page.get_by_role("button", name="第 2 頁").get_attribute("aria-current") == "page"
    # When page 1 is chosen by its number, Then the first rows are back
    page.get_by_role("button", name="第 1 頁").click()
    page.locator("#list-range", has_text="顯示第 1 至 10 ").wait_for()
    assert pass_numbers(page) == first_page
    # When 25 rows a page are asked for, Then 25 show (or all, when fewer)
    page.get_by_label("顯示").select_option("25")
    page.locator("#list-range", has_text="顯示第 1 至 ").wait_for()
    wait_for_list(page)
    _, last, total = list_range(page)
    assert last == min(25, total) == len(pass_numbers(page))


def test_own_reinstatement_end_to_end(page: Any, runtime: Runtime) -> None:
    # Given a company user on 未通行停用恢復申請 / 所屬通行證
    row, pass_no = a_fresh_reinstatable_row(page, runtime, "own")
    # When 停用恢復 is pressed, Then a confirmation asks 確定 / 取消
    row.get_by_role("button", name=f"停用恢復 {pass_no}").click()
    confirm = page.locator("#confirm-dialog")
    expect(confirm.get_by_role("button", name="確定")).to_be_visible()
    assert pass_no in confirm.inner_text()
    # When 確定, Then the system answers with the manual's message
    confirm.get_by_role("button", name="確定").click()
    message = page.locator("#message-dialog")
    message.get_by_text(SUCCESS).wait_for()
    message.get_by_role("button", name="確定").click()
    # And the row can no longer be applied for, its pending application shown
    row = page.locator(f"#list-body tr[data-pass-no='{pass_no}']")
    expect(row.get_by_role("button", name=f"停用恢復 {pass_no}")).to_be_disabled()
    expect(row.locator(".blocked-reason")).to_contain_text("06:00")
    expect(page.locator("#flash")).to_contain_text(SUCCESS)
    # And the history lists the application, pending
    choose_tab(page, "恢復歷程查詢")
    search(page, pass_no=pass_no)
    assert pass_numbers(page) == [pass_no]
    assert column(page, "狀態") == ["待生效"]


def test_cancelling_the_confirmation_applies_nothing(page: Any, runtime: Runtime) -> None:
    # Given the confirmation of an own reinstatement
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "own")
    row = first_reinstatable_row(page)
    pass_no = row.get_attribute("data-pass-no")
    button = row.get_by_role("button", name=f"停用恢復 {pass_no}")
    button.click()
    page.locator("#confirm-dialog[open]").wait_for()
    # When Esc is pressed
    page.keyboard.press("Escape")
    # Then the dialog closes, focus is back on the button and the row is still reinstatable
    page.locator("#confirm-dialog:not([open])").wait_for(state="attached")
    expect(button).to_be_focused()
    expect(button).to_be_enabled()


def test_others_reinstatement_with_a_wrong_then_the_right_id(page: Any, runtime: Runtime) -> None:
    # Given a company user on 非所屬通行證 and the holder's full ID of a row
    row, pass_no = a_fresh_reinstatable_row(page, runtime, "other")
    holder_id = clear_holder_id(runtime, pass_no)
    assert holder_id not in page.content(), "the other's clear ID is not on the page"
    # When 停用恢復 is pressed, Then the holder's ID is asked for first
    row.get_by_role("button", name=f"停用恢復 {pass_no}").click()
    dialog = page.locator("#grant-dialog")
    field = dialog.get_by_label("身分證號")
    expect(field).to_be_focused()
    # When a wrong ID is entered (Enter submits)
    field.fill("WRONG0001")
    field.press("Enter")
    # Then the mismatch and the attempts left show in the dialog, which stays open
    dialog.get_by_text("還可再試 4 次").wait_for()
    expect(dialog.locator("#grant-error")).to_contain_text("身分證號不符")
    # When the right ID is entered
    field.fill(holder_id)
    dialog.get_by_role("button", name="確定").click()
    # Then the application succeeds
    page.locator("#message-dialog").get_by_text(SUCCESS).wait_for()
    page.locator("#message-dialog").get_by_role("button", name="確定").click()
    expect(page.locator(f"#list-body tr[data-pass-no='{pass_no}'] button")).to_be_disabled()


def test_others_reinstatement_locks_out_after_five_wrong_ids(page: Any, runtime: Runtime) -> None:
    # Given the holder-ID dialog of another's pass
    runtime.reset()
    sign_in(page, runtime)
    open_tab(page, "reinstatement", "other")
    row = first_reinstatable_row(page)
    row.get_by_role("button", name=re.compile("停用恢復")).click()
    dialog = page.locator("#grant-dialog")
    field = dialog.get_by_label("身分證號")
    error = dialog.locator("#grant-error")
    # When four wrong IDs are entered, Then the tries left count down from 4 to 1
    for left in range(4, 0, -1):
        field.fill("WRONG0001")
        field.press("Enter")
        error.filter(has_text=f"還可再試 {left} 次").wait_for()
    # When the fifth is wrong, Then the pass is locked, until when is said, and 確定 is disabled
    field.fill("WRONG0001")
    field.press("Enter")
    error.filter(has_text="已鎖定").wait_for()
    assert re.search(r"至 \d{4}/\d{2}/\d{2} \d{2}:\d{2}", error.inner_text())
    assert "稍後" not in error.inner_text()
    assert "{" not in error.inner_text()
    expect(dialog.get_by_role("button", name="確定")).to_be_disabled()
    expect(field).to_be_disabled()


def test_the_history_sorts_by_application_date_both_ways(page: Any, runtime: Runtime) -> None:
    # Given the reinstatement history at 100 rows a page
    sign_in(page, runtime, role="admin")
    open_tab(page, "reinstatement", "history")
    page.get_by_label("顯示").select_option("100")
    wait_for_list(page)
    header = page.locator("th[aria-sort]")
    # Then it is newest first by default
    newest_first = column(page, "申請恢復日期")
    assert len(set(newest_first)) > 1, "the demo history spans several dates"
    assert newest_first == sorted(newest_first, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    # When the arrow of 申請恢復日期 is pressed, Then oldest first
    page.get_by_role("button", name=re.compile("申請恢復日期")).click()
    page.locator("th[aria-sort='ascending']").wait_for()
    wait_for_list(page)
    oldest_first = column(page, "申請恢復日期")
    assert oldest_first == sorted(oldest_first)
    assert oldest_first[0] < newest_first[0]
    # When it is pressed again, Then newest first again
    page.get_by_role("button", name=re.compile("申請恢復日期")).click()
    page.locator("th[aria-sort='descending']").wait_for()
    wait_for_list(page)
    assert column(page, "申請恢復日期") == newest_first


def test_csv_export_downloads_the_whole_list_with_a_bom(page: Any, runtime: Runtime) -> None:
    # Given 所屬通行證 6個月未通行 of the admin, more than one page long
    sign_in(page, runtime, role="admin")
    open_tab(page, "records", "own6")
    _, _, total = list_range(page)
    assert total > 10
    # When it is exported
    name, data = download_csv(page)
    # Then the file is UTF-8 with a BOM, the screen's columns, and every row of the list
    assert re.fullmatch(r"人員通行記錄_所屬6個月_\d{4}-\d{2}-\d{2}\.csv", name)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    # (an admin's own rows carry 所屬公司 since v1.1)
    assert rows[0] == [OWN_INACTIVE_COLUMNS[0], "所屬公司", *OWN_INACTIVE_COLUMNS[1:]]
    assert len(rows) - 1 == total
    assert [r[0] for r in rows[1:11]] == pass_numbers(page)


def test_csv_export_of_other_passes_has_no_clear_id(page: Any, runtime: Runtime) -> None:
    # Given a company user's lists of others' passes
    sign_in(page, runtime)
    open_tab(page, "records", "other6")
    # When the inactivity list is exported, Then it has no holder ID column at all
    name, data = download_csv(page)
    assert re.fullmatch(r"人員通行記錄_非所屬6個月_\d{4}-\d{2}-\d{2}\.csv", name)
    rows = csv_rows(data)
    assert rows[0] == OTHER_INACTIVE_COLUMNS
    assert len(rows) > 1
    # And the names are masked as on the screen
    assert [r[1] for r in rows[1:11]] == column(page, "姓名")
    # When the reinstatement list of others' passes is exported, Then every ID is masked
    open_tab(page, "reinstatement", "other")
    name, data = download_csv(page)
    assert re.fullmatch(r"未通行停用恢復申請_非所屬_\d{4}-\d{2}-\d{2}\.csv", name)
    rows = csv_rows(data)
    ids = [r[rows[0].index("身分證號")] for r in rows[1:]]
    assert ids
    assert all(value.endswith("****") or set(value) == {"*"} for value in ids)


def test_the_history_export_is_one_server_request_for_the_whole_filtered_list(
    page: Any, runtime: Runtime
) -> None:
    # Given the admin's reinstatement history
    sign_in(page, runtime, role="admin")
    open_tab(page, "reinstatement", "history")
    _, _, total = list_range(page)
    assert total > 1
    asked: list[Any] = []
    page.on("request", lambda request: asked.append(request) if "/reinstatements" in request.url else None)
    # When it is exported
    name, data = download_csv(page)
    # Then one request asked the server for CSV (SPEC §9 v1.1), none paged through the list
    assert [request.headers.get("accept") for request in asked] == ["text/csv"]
    assert "page=" not in asked[0].url
    # And the file is the server's: named by the list and the date, BOM, the screen's columns
    assert re.fullmatch(r"恢復歷程查詢_\d{4}-\d{2}-\d{2}\.csv", name)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == HISTORY_COLUMNS
    assert len(rows) - 1 == total
    assert [r[0] for r in rows[1:11]] == pass_numbers(page)


def test_a_refused_export_shows_the_servers_message(page: Any, runtime: Runtime) -> None:
    # Given the history, and a server refusing the export with its error envelope
    sign_in(page, runtime, role="admin")
    open_tab(page, "reinstatement", "history")
    message = "匯出資料超過 50,000 筆，請增加查詢條件後再匯出。"
    envelope = {"error": {"code": "EXPORT_TOO_LARGE", "message": message, "details": []}}

    def refuse(route: Any) -> None:
        if route.request.headers.get("accept") == "text/csv":
            route.fulfill(status=400, content_type="application/json", body=json.dumps(envelope))
        else:
            route.continue_()

    page.route("**/reinstatements*", refuse)
    # When the export is asked for, Then the page shows the server's zh-TW message
    page.get_by_role("button", name="匯出 CSV").click()
    expect(page.locator("#page-error")).to_have_text(message)
    expect(page.get_by_role("button", name="匯出 CSV")).to_be_enabled()


def test_tabs_follow_the_arrow_keys(page: Any, runtime: Runtime) -> None:
    # Given the first tab of 人員通行記錄, focused
    sign_in(page, runtime)
    wait_for_list(page)
    first = tab_named(page, "所屬通行證 6個月未通行")
    first.focus()
    # When → is pressed, Then the next tab is focused and shown
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/#/records/other6")
    second = tab_named(page, "非所屬通行證 6個月未通行")
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-selected", "true")
    wait_for_list(page)
    assert headers(page) == OTHER_INACTIVE_COLUMNS
    # When ← is pressed from the first tab, Then it wraps to the last
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/#/records/own6")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/#/records/other5")
    expect(tab_named(page, "非所屬通行證 5個月未通行")).to_be_focused()


def test_a_rejected_token_returns_to_the_sign_in_page(page: Any, runtime: Runtime) -> None:
    # Given a signed-in user whose token the API no longer accepts
    sign_in(page, runtime)
    wait_for_list(page)
    page.evaluate("sessionStorage.setItem('portpass.session', JSON.stringify({token: 'not.a.jwt'}))")
    # When a list is asked for
    tab_named(page, "所屬通行證 5個月未通行").click()
    # Then the sign-in page says why, in zh-TW
    page.wait_for_url("**/#/login")
    expect(page.get_by_role("alert").first).to_contain_text("請重新登入")
    expect(page.locator(".user-card").first).to_be_visible()


def test_oidc_mode_sends_the_user_to_the_identity_provider_with_pkce(page: Any, runtime: Runtime) -> None:
    # Given the client deployed with auth "oidc" (config.js as a deployment writes it)
    config = """window.PORTPASS_CONFIG = {apiBase: "", auth: "oidc", oidc: {
        issuer: "https://idp.example",
        authorizationEndpoint: "https://idp.example/oauth2/authorize",
        tokenEndpoint: "https://idp.example/oauth2/token", clientId: "portpass-web-client",
        redirectUri: "", scope: "openid profile", logoutEndpoint: ""}};"""
    page.route("**/config.js", lambda route: route.fulfill(body=config, content_type="text/javascript"))
    page.route("https://idp.example/**", lambda route: route.fulfill(body="the provider's sign-in page"))
    # When a signed-out user opens it
    page.goto("/#/reinstatement/own")
    page.wait_for_url("https://idp.example/**")
    # Then the provider is asked for an authorization code with a S256 PKCE challenge
    query = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "portpass-web-client"
    assert query["redirect_uri"] == runtime.base_url + "/"
    assert query["scope"] == "openid profile"
    assert query["code_challenge_method"] == "S256"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", query["code_challenge"])
    assert len(query["state"]) >= 16
    assert len(query["nonce"]) >= 16
