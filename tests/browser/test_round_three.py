"""Web client, round three (issue 27): what a clerk still tripped over, at the widths offices use.

Each test is one thing a clerk meets: the 操作 column in view at 1280 and 1366 px, the demo
statistics, an unknown ID on 申請資格查詢, the shared ID budget, a locked pass, state that must
not leak between tabs, a network failure, the history's withdrawn rows and the polish items.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAST_RESORT_MS
from tests.browser.test_web_client import open_tab as open_listed_tab
from tests.browser.test_web_client import wait_for_list
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "1280x800": {"width": 1280, "height": 800},
    "1366x768": {"width": 1366, "height": 768},
    "390x844": {"width": 390, "height": 844},
}
LIST_TABS = {
    "company": [
        "records/own6", "records/other6", "records/own5", "records/other5",
        "reinstatement/own", "reinstatement/other", "reinstatement/history",
    ],
    "port_officer": [
        "records/own6", "records/other6", "records/own5", "records/other5",
        "reinstatement/own", "reinstatement/other", "reinstatement/history",
    ],
    "admin": ["records/own6", "records/own5", "reinstatement/own", "reinstatement/history"],
}  # fmt: skip
ACTION_TABS = ("reinstatement/own", "reinstatement/other", "reinstatement/history")


def _signed_in_page(browser: Any, runtime: Runtime, role: str, viewport: dict[str, int]) -> Any:
    """A page signed in as ``role`` in a fresh context of the given viewport."""
    context = browser.new_context(
        base_url=runtime.base_url, viewport=viewport, locale="zh-TW", timezone_id="Asia/Taipei"
    )
    context.set_default_timeout(LAST_RESORT_MS)
    page = context.new_page()
    user = runtime.user(role)
    page.goto("/#/login")
    page.locator(f"button[data-username='{user['username']}']").click()
    # signed in: the home screen is on (not the sign-in page's own heading)
    page.wait_for_function("() => !location.hash.includes('login')")
    page.locator("#account:not([hidden])").wait_for()
    return page


@pytest.fixture
def signed_in_at(browser: Any, runtime: Runtime) -> Iterator[Callable[[str, dict[str, int]], Any]]:
    """A page signed in as ``role`` in a fresh context of the given viewport."""
    pages: list[Any] = []

    def open_page(role: str, viewport: dict[str, int]) -> Any:
        pages.append(_signed_in_page(browser, runtime, role, viewport))
        return pages[-1]

    yield open_page
    for page in pages:
        page.context.close()


@pytest.fixture(scope="module")
def signed_in_once_at(browser: Any, runtime: Runtime) -> Iterator[Callable[[str, dict[str, int]], Any]]:
    """One signed-in page per (role, viewport), kept for the module's read-only layout tests:
    a new context signed in costs Chromium about 1.7 CPU seconds, a change of tab about 0.2."""
    pages: dict[tuple[str, int, int], Any] = {}

    def page_at(role: str, viewport: dict[str, int]) -> Any:
        key = (role, viewport["width"], viewport["height"])
        if key not in pages:
            pages[key] = _signed_in_page(browser, runtime, role, viewport)
        return pages[key]

    yield page_at
    for page in pages.values():
        page.context.close()


def open_tab(page: Any, screen: str, tab: str) -> None:
    """The tab, once its own list and (but on the history) its count have loaded."""
    open_listed_tab(page, screen, tab)
    if tab != "history":
        # The tab's count comes just after the list (GET /summary) and may wrap its label on a
        # phone: positions are measured once the tab bar has its final height.
        page.locator(f"#tab-{tab} .tab-count").wait_for()


def _box_inside(page: Any, locator: Any) -> bool:
    """The element's whole box is inside the viewport (to within a sub-pixel)."""
    box = locator.bounding_box()
    view = page.viewport_size
    return (
        box is not None
        and box["x"] >= -0.5
        and box["x"] + box["width"] <= view["width"] + 0.5
        and box["y"] >= -0.5
        and box["y"] + box["height"] <= view["height"] + 0.5
    )


def _no_sideways_scroll(page: Any) -> bool:
    return bool(
        page.evaluate(
            """() => document.documentElement.scrollWidth <= window.innerWidth
              && [...document.querySelectorAll('#table-wrap')]
                .every((w) => w.scrollWidth <= w.clientWidth + 1)"""
        )
    )


# ---------------------------------------------------------------- 1. the main action in view
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", LIST_TABS)
def test_every_list_tab_shows_the_first_rows_status_and_action_without_sideways_scrolling(
    signed_in_once_at: Callable[[str, dict[str, int]], Any], role: str, viewport: str
) -> None:
    # Given a user of this role at an office (or phone) screen size
    page = signed_in_once_at(role, VIEWPORTS[viewport])
    for route in LIST_TABS[role]:
        # When he opens each list tab
        open_tab(page, *route.split("/"))
        row = page.locator("#list-body tr[data-pass-no]").first
        status_label = "狀態" if route.endswith("history") else "通行證狀態"
        cells = [row.locator(f"td[data-label='{status_label}']")]
        if route in ACTION_TABS:
            cells.append(row.locator("td[data-label='操作']"))
        if route.endswith("5"):
            cells.append(row.locator("td[data-label='預計停用日']"))
        # Then the page and the table never scroll sideways
        assert _no_sideways_scroll(page), route
        # And the first row's status (and action, and 預計停用日) are inside the viewport
        for cell in cells:
            cell.scroll_into_view_if_needed()
            assert _box_inside(page, cell), (route, cell.get_attribute("data-label"), cell.bounding_box())


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", LIST_TABS)
def test_a_keyboard_focused_action_is_fully_visible(
    signed_in_once_at: Callable[[str, dict[str, int]], Any], role: str, viewport: str
) -> None:
    # Given the own reinstatement tab with a pass that may be reinstated
    page = signed_in_once_at(role, VIEWPORTS[viewport])
    open_tab(page, "reinstatement", "own")
    action = page.locator("#list-body td[data-label='操作'] button:not([disabled])").first
    # When the keyboard brings the focus to its 停用恢復
    action.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert action.evaluate("b => b === document.activeElement")
    # Then the whole button is inside the viewport and not cut by the table's box
    assert _box_inside(page, action), action.bounding_box()
    clipped = action.evaluate(
        """b => { const r = b.getBoundingClientRect();
          const w = b.closest('#table-wrap').getBoundingClientRect();
          return r.left < w.left || r.right > w.right; }"""
    )
    assert not clipped
    assert _no_sideways_scroll(page)


# ---------------------------------------------------------------- 2. the demo statistics
def test_the_demo_statistics_show_weeks_with_changes_on_one_scale_across_ports(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given the demo data, whose passes were suspended and reinstated over the last weeks
    page = signed_in_at("admin", VIEWPORTS["1280x800"])
    # When the admin opens 統計
    page.goto("/#/statistics")
    page.locator("svg.stat-chart").first.wait_for()
    charts = page.locator("svg.stat-chart")
    # Then several ports have a chart, with bars of weeks that had suspensions or reinstatements
    assert charts.count() >= 2
    drawn = page.locator("svg.stat-chart rect").evaluate_all("rs => rs.map(r => +r.dataset.value)")
    assert sum(1 for value in drawn if value > 0) >= 3
    suspended = page.locator("svg.stat-chart rect[data-series='suspended']").evaluate_all(
        "rs => rs.map(r => +r.dataset.value)"
    )
    assert sum(suspended) > 0
    # And every chart has the same scale, so a taller bar is a larger number whatever the port
    tops = set(charts.evaluate_all("cs => cs.map(c => c.dataset.yMax)"))
    assert len(tops) == 1, tops
    assert int(tops.pop()) >= max(drawn)
    # And the page does not say that no port had changes
    quiet = page.locator("#stat-quiet")
    assert quiet.count() == 0 or "高雄港" not in quiet.inner_text()


# ---------------------------------------------------------------- helpers of the data-changing tests
def valid_taiwan_ids(count: int, first_letter: str = "Q") -> list[str]:
    """Made-up IDs with a valid check digit (SPEC §2): shapes the client and the API accept."""
    codes = {"Q": 24, "W": 32}
    found: list[str] = []
    body = 100000000
    while len(found) < count:
        body += 7919
        digits = f"{body:09d}"
        candidate = f"{first_letter}2{digits[1:8]}"
        code = codes[first_letter]
        weights = (8, 7, 6, 5, 4, 3, 2, 1)
        total = (
            code // 10
            + (code % 10) * 9
            + sum(int(d) * w for d, w in zip(candidate[1:], weights, strict=True))
        )
        found.append(candidate + str((10 - total % 10) % 10))
    return found


def tab_count(page: Any, tab_id: str) -> int:
    badge = page.locator(f"#tab-{tab_id} .tab-count")
    badge.wait_for()
    return int(badge.inner_text().strip(" ()").replace(",", ""))


def open_grant_dialog(page: Any) -> Any:
    row = (
        page.locator("#list-body tr[data-pass-no]")
        .filter(has=page.locator("button:not([disabled])", has_text="停用恢復"))
        .first
    )
    pass_no = row.get_attribute("data-pass-no")
    row.get_by_role("button", name="停用恢復").click()
    page.locator("#grant-dialog[open]").wait_for()
    return pass_no


# ---------------------------------------------------------------- 3. no such holder
def test_eligibility_of_an_unknown_id_says_the_id_is_unknown_instead_of_allowed(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given the issuance system's look-up
    page = signed_in_at("issuer", VIEWPORTS["1280x800"])
    page.goto("/#/eligibility")
    # When an ID of a valid shape that no pass was ever issued to is looked up
    page.get_by_label("身分證號:").fill(valid_taiwan_ids(1, "W")[0])
    page.get_by_role("button", name="查詢").click()
    # Then the screen says the ID is unknown, and lists no 可申請
    page.locator("#eligibility-unknown").wait_for()
    assert "查無此身分證號" in page.locator("#eligibility-unknown").inner_text()
    assert page.locator("#eligibility-result").get_by_text("可申請").count() == 0
    # When a holder on record is looked up, Then the three verdicts are listed as before
    page.get_by_label("身分證號:").fill("S123456784")
    page.get_by_role("button", name="查詢").click()
    page.locator("#eligibility-result li").first.wait_for()
    assert page.locator("#eligibility-result li").count() == 3
    assert page.locator("#eligibility-unknown").count() == 0


# ---------------------------------------------------------------- 4. one ID budget of 20
def test_the_id_dialog_and_the_id_search_say_they_draw_on_one_budget_of_20(
    fresh_demo: Runtime, signed_in_at: Callable[[str, dict[str, int]], Any]
) -> None:
    # Given a company user whose ID search on others' passes found nobody (a counted miss)
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "records", "other6")
    page.get_by_label("身分證字號:").fill(valid_taiwan_ids(1, "W")[0])
    page.get_by_role("button", name="查詢").click()
    note = page.locator("#attempts-note")
    note.filter(has_text="尚可查詢").wait_for()
    assert "尚可查詢 19 次" in note.inner_text()
    assert "共用" in note.inner_text()
    # When he opens 取得權限 on another company's pass, before typing anything
    open_tab(page, "reinstatement", "other")
    open_grant_dialog(page)
    budget = page.locator("#grant-budget").inner_text()
    # Then the dialog says the budget is shared with the lists' ID searches, 20 in 24 hours, 19 left
    assert "共用" in budget
    assert "20" in budget
    assert "尚可驗證或查詢 19 次" in budget


def test_a_check_digit_typo_in_the_id_dialog_is_named_and_not_sent(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given the 取得權限 dialog of another company's pass
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "other")
    open_grant_dialog(page)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    # When an ID whose last digit does not fit is typed (A123456789 with its last digit mistyped)
    page.get_by_label("身分證號", exact=True).fill("A123456788")
    page.locator("#grant-submit").click()
    # Then the dialog says the check digit is wrong, and nothing was sent (no attempt spent)
    error = page.locator("#grant-error")
    error.filter(has_text="檢查碼").wait_for()
    assert "最後一碼" in error.inner_text()
    assert sent == []


# ---------------------------------------------------------------- 5. a locked pass looks locked
def test_a_locked_pass_shows_it_is_locked_on_its_row_before_any_id_is_typed(
    fresh_demo: Runtime, signed_in_at: Callable[[str, dict[str, int]], Any]
) -> None:
    # Given a company user who typed five wrong IDs for another company's pass (SPEC §5: locked)
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "other")
    pass_no = open_grant_dialog(page)
    for wrong in valid_taiwan_ids(5):
        page.get_by_label("身分證號", exact=True).fill(wrong)
        page.locator("#grant-submit").click()
        page.locator("#grant-error").filter(has_text="身分證號").wait_for()
        page.wait_for_function("() => !document.querySelector('#grant-submit[aria-busy]')")
    assert page.locator("#grant-submit").is_disabled()
    page.locator("#grant-cancel").click()
    # When he comes back to the list later (a reload)
    page.reload()
    open_tab(page, "reinstatement", "other")
    # Then the pass's row says it is locked, and until when, and its 停用恢復 cannot be pressed
    row = page.locator(f"#list-body tr[data-pass-no='{pass_no}']")
    reason = row.locator(".locked-reason")
    assert "驗證已鎖定至" in reason.inner_text()
    assert row.get_by_role("button", name=f"停用恢復 {pass_no}").is_disabled()
    # And the other passes of the list are not shown as locked
    assert page.locator("#list-body .locked-reason").count() == 1


# ---------------------------------------------------------------- 6. hidden state
def test_a_pass_number_filter_is_not_carried_to_the_next_tab(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given a pass-number filter searched on 所屬通行證 6個月未通行
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "records", "own6")
    page.get_by_label("通行證號:").fill("KHPS112-000045")
    page.get_by_role("button", name="查詢").click()
    page.locator("#list-range").filter(has_text="共 1 項").wait_for()
    # When the next tab is chosen
    page.locator("#tab-other6").click()
    page.locator("#tab-other6[aria-selected='true']").wait_for()  # routed on hashchange, after the click
    wait_for_list(page)
    # Then its pass-number field is empty and its list is not filtered by it
    assert page.get_by_label("通行證號:").input_value() == ""
    assert page.locator("#list-body tr[data-pass-no]").count() > 0


def test_a_batch_selection_is_kept_across_pages_with_a_select_all_of_the_page(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given the own reinstatement tab of the admin, ten rows a page
    page = signed_in_at("admin", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "own")
    boxes = page.locator("#list-body input.select-pass:not([disabled])")
    first = boxes.first.locator("xpath=ancestor::tr").get_attribute("data-pass-no")
    boxes.first.check()
    # When he turns to page 2 and selects the whole page with 全選本頁
    page.get_by_role("button", name="第 2 頁").click()
    page.locator("#pager [aria-current='page']").filter(has_text="2").wait_for()
    wait_for_list(page)
    on_page_two = boxes.count()
    page.get_by_role("button", name="全選本頁").click()
    # Then the selection holds both pages' passes
    note = page.locator("#selection-note")
    assert note.inner_text() == f"已選 {on_page_two + 1} 筆（換頁後仍保留）"
    # And back on page 1 the first pass is still ticked
    page.get_by_role("button", name="第 1 頁").click()
    page.locator("#pager [aria-current='page']").filter(has_text="1").wait_for()
    wait_for_list(page)
    assert page.locator(f"#list-body tr[data-pass-no='{first}'] input.select-pass").is_checked()
    # When the history tab is opened, Then no batch control or selection banner is on it
    page.locator("#tab-history").click()
    page.locator("#tab-history[aria-selected='true']").wait_for()  # routed on hashchange, after the click
    wait_for_list(page)
    assert page.locator("#batch-bar").count() == 0
    assert page.locator("#selection-note").count() == 0
    assert not page.get_by_role("button", name="批次停用恢復").is_visible()


# ---------------------------------------------------------------- 7. network failure
def test_a_network_failure_says_one_thing_offers_a_retry_and_keeps_the_tab_counts(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given a list with its tab counts
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "records", "own6")
    count = tab_count(page, "own6")
    # When the network fails on the next search
    page.route("**/inactive-passes?**", lambda route: route.abort())
    page.route("**/summary", lambda route: route.abort())
    page.get_by_role("button", name="查詢").click()
    error = page.locator("#page-error")
    error.filter(has_text="無法連線至伺服器").wait_for()
    # Then the banner and the table say the same thing, nobody is told to fix the filters
    assert "無法連線至伺服器" in page.locator("#list-body").inner_text()
    assert "修正查詢條件" not in page.locator("#main").inner_text()
    # And the tab counts are still there
    assert tab_count(page, "own6") == count
    # When the network is back and 重新載入 is pressed, Then the list is back and the banner gone
    page.unroute("**/inactive-passes?**")
    page.unroute("**/summary")
    error.get_by_role("button", name="重新載入").click()
    wait_for_list(page)
    assert page.locator("#page-error").is_hidden()
    assert page.locator("#list-body tr[data-pass-no]").count() > 0


# ---------------------------------------------------------------- 8. history and polish
def test_a_withdrawn_application_shows_when_and_who_and_no_future_reinstatement_time(
    fresh_demo: Runtime, signed_in_at: Callable[[str, dict[str, int]], Any]
) -> None:
    # Given a company's application, withdrawn by its applicant
    token = fresh_demo.token("utron")
    own = fresh_demo.ok("GET", "/reinstatable-passes?scope=own&pageSize=100", token=token)["items"]
    pass_no = next(row["passNo"] for row in own if row["canReinstate"])
    applied = fresh_demo.ok("POST", f"/passes/{pass_no}/reinstatement", {}, token=token)
    fresh_demo.ok("DELETE", f"/reinstatements/{applied['reinstatementId']}", token=token)
    # When the history is filtered to that pass
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "history")
    page.get_by_label("通行證號:").fill(pass_no)
    page.get_by_role("button", name="查詢").click()
    row = page.locator("#list-body tr[data-pass-no]").filter(has_text="已撤回").first
    row.wait_for()
    # Then its status says when and by whom it was withdrawn, and no reinstatement time is promised
    status = row.locator("td[data-label='狀態']").inner_text()
    assert "陳玉美" in status
    assert re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", status), status
    assert row.locator("td[data-label='恢復通行時間']").inner_text() == "不恢復（已撤回）"


def test_a_list_prints_without_the_menu_filters_or_buttons_and_with_every_column(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given the officer's own reinstatement list
    page = signed_in_at("port_officer", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "own")
    # When it is printed
    page.emulate_media(media="print")
    # Then the menu, the filters and the buttons are not printed, and no column is cut
    for selector in ("#sidenav", ".filter-box", "#export-csv", "#pager"):
        assert not page.locator(selector).is_visible(), selector
    assert page.locator("#table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    assert page.locator("table.list thead th").filter(has_text="通行證狀態").is_visible()


def test_on_a_phone_the_checkboxes_and_the_sort_are_at_least_24_px(
    signed_in_at: Callable[[str, dict[str, int]], Any],
) -> None:
    # Given a company user on a phone
    page = signed_in_at("company", VIEWPORTS["390x844"])
    open_tab(page, "reinstatement", "own")
    # Then a row's checkbox is a target of 24 px at least
    box = page.locator("#list-body input.select-pass").first.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 24, box
    # And so is the history's sort
    open_tab(page, "reinstatement", "history")
    sort = page.locator("#sort-applied-on").bounding_box()
    assert sort is not None
    assert min(sort["width"], sort["height"]) >= 24, sort


def test_the_own_tab_count_drops_as_soon_as_a_pass_is_applied_for(
    fresh_demo: Runtime, signed_in_at: Callable[[str, dict[str, int]], Any]
) -> None:
    # Given the company's own reinstatement tab and its count
    page = signed_in_at("company", VIEWPORTS["1280x800"])
    open_tab(page, "reinstatement", "own")
    before = tab_count(page, "own")
    # When a pass is applied for
    row = (
        page.locator("#list-body tr[data-pass-no]")
        .filter(has=page.locator("button.btn-primary", has_text="停用恢復"))
        .first
    )
    row.get_by_role("button", name=re.compile("停用恢復")).click()
    page.locator("#confirm-dialog[open]").get_by_role("button", name="確定").click()
    page.locator("#message-dialog[open]").get_by_role("button", name="確定").click()
    wait_for_list(page)
    # Then the tab counts one pass fewer to apply for
    page.locator("#tab-own .tab-count").filter(has_text=f"({before - 1})").wait_for()
    assert tab_count(page, "own") == before - 1


def test_the_issuance_systems_header_names_it_in_zh_tw(browser: Any, runtime: Runtime) -> None:
    # Given the issuance system signed in with a token that names its machine client in English
    token = runtime.token("issuer")
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "portpass-issuance-client"
    english = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    context = browser.new_context(base_url=runtime.base_url, locale="zh-TW", timezone_id="Asia/Taipei")
    try:
        page = context.new_page()
        page.route(
            "**/_local/login",
            lambda route: route.fulfill(json={"token": f"{head}.{english}.{signature}"}),
        )
        page.goto("/#/login")
        page.locator("button[data-username='issuer']").click()
        page.locator("#main h1").filter(has_text="申請資格查詢").wait_for()
        # Then the header names it in zh-TW, with no English client name
        who = page.locator("#who").inner_text()
        assert who == "製證系統（機器帳號）"
    finally:
        context.close()


def test_the_admin_switches_suspensions_off_with_a_reason_and_sees_it_in_the_history(
    fresh_demo: Runtime, signed_in_at: Callable[[str, dict[str, int]], Any]
) -> None:
    # Given the admin on 停用開關 (the demo stack has suspensions on)
    page = signed_in_at("admin", VIEWPORTS["1280x800"])
    page.get_by_role("link", name="停用開關").click()
    page.locator("#switch-now").filter(has_text="已開啟").wait_for()
    # When he saves without a reason, Then he is asked for one and nothing changes
    page.get_by_label("關閉停用（只警示）").check()
    page.get_by_role("button", name="儲存變更").click()
    page.locator("#switch-reason-error").filter(has_text="請填寫變更原因").wait_for()
    assert fresh_demo.ok("GET", "/admin/suspensions", token=fresh_demo.token("admin"))["enabled"] is True
    # When he turns suspensions off with a reason
    page.get_by_label("變更原因（必填）").fill("KH 閘門資料中斷")
    page.get_by_role("button", name="儲存變更").click()
    page.locator("#switch-flash").filter(has_text="已關閉停用").wait_for()
    # Then the switch is off, and the history's newest line says who, when and why
    assert fresh_demo.ok("GET", "/admin/suspensions", token=fresh_demo.token("admin"))["enabled"] is False
    assert "已關閉" in page.locator("#switch-now").inner_text()
    newest = page.locator("#switch-history tbody tr").first
    assert newest.locator("td").nth(1).inner_text() == "關閉停用（只警示）"
    assert newest.locator("td").nth(2).inner_text() == "系統管理員"
    assert newest.locator("td").nth(3).inner_text() == "KH 閘門資料中斷"
    expect(page.locator("#switch-history tbody tr")).to_have_count(2)
