"""Web client, round three (issue 27): what a clerk still tripped over, at the widths offices use.

Each test is one thing a clerk meets: the 操作 column in view at 1280 and 1366 px, the demo
statistics, an unknown ID on 申請資格查詢, the shared ID budget, a locked pass, state that must
not leak between tabs, a network failure, the history's withdrawn rows and the polish items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.test_web_client import open_tab
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


@pytest.fixture
def signed_in_at(browser: Any, runtime: Runtime) -> Iterator[Callable[[str, dict[str, int]], Any]]:
    """A page signed in as ``role`` in a fresh context of the given viewport."""
    contexts: list[Any] = []

    def open_page(role: str, viewport: dict[str, int]) -> Any:
        context = browser.new_context(
            base_url=runtime.base_url, viewport=viewport, locale="zh-TW", timezone_id="Asia/Taipei"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        user = runtime.user(role)
        page.goto("/#/login")
        page.locator(f"button[data-username='{user['username']}']").click()
        page.locator("#main h1").wait_for()
        return page

    yield open_page
    for context in contexts:
        context.close()


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
              && [...document.querySelectorAll('#table-wrap')].every((w) => w.scrollWidth <= w.clientWidth + 1)"""
        )
    )


# ---------------------------------------------------------------- 1. the main action in view
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", LIST_TABS)
def test_every_list_tab_shows_the_first_rows_status_and_action_without_sideways_scrolling(
    signed_in_at: Callable[[str, dict[str, int]], Any], role: str, viewport: str
) -> None:
    # Given a user of this role at an office (or phone) screen size
    page = signed_in_at(role, VIEWPORTS[viewport])
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
    signed_in_at: Callable[[str, dict[str, int]], Any], role: str, viewport: str
) -> None:
    # Given the own reinstatement tab with a pass that may be reinstated
    page = signed_in_at(role, VIEWPORTS[viewport])
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
        """b => { const r = b.getBoundingClientRect(); const w = b.closest('#table-wrap').getBoundingClientRect();
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
    assert page.locator("#stat-quiet").count() == 0 or "高雄港" not in page.locator("#stat-quiet").inner_text()
