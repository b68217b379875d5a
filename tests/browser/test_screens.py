"""Every screen at 1280x800, 1366x900 and at 390x844: a screenshot (tests/artifacts/screens/, `make
screenshots`) and axe-core with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.a11y import violations
from tests.browser.conftest import LAST_RESORT_MS, REPO
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.browser

SCREENS_DIR = REPO / "tests" / "artifacts" / "screens"
WIDTHS = {
    "desktop-1280": {"width": 1280, "height": 800},
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _sign_in(page: Any, runtime: Runtime, role: str) -> None:
    user = runtime.user(role)
    page.goto("/#/login")
    page.locator(f"button[data-username='{user['username']}']").click()
    # signed in once the client has left the login screen (its own h1 is there before)
    page.wait_for_url(lambda url: "#/login" not in url)
    page.locator("#main h1").wait_for()


def _list(page: Any, route: str) -> None:
    page.goto(f"/#/{route}")
    page.locator("#table-wrap:not([aria-busy])").wait_for()
    page.locator("#list-range").filter(has_text="顯示第").wait_for()


def _grant_dialog(page: Any) -> None:
    _list(page, "reinstatement/other")
    page.locator("#list-body button:not([disabled])", has_text="停用恢復").first.click()
    page.locator("#grant-dialog[open]").wait_for()


def _confirm_dialog(page: Any) -> None:
    _list(page, "reinstatement/own")
    page.locator("#list-body button:not([disabled])", has_text="停用恢復").first.click()
    page.locator("#confirm-dialog[open]").wait_for()


def _eligibility(page: Any) -> None:
    page.goto("/#/eligibility")
    page.get_by_label("身分證號:").fill("S123456784")
    page.get_by_role("button", name="查詢").click()
    page.locator("#eligibility-result li").first.wait_for()


def _search_error(page: Any) -> None:
    _list(page, "records/own6")
    if not page.get_by_label("通行證號:").is_visible():  # folded on a phone
        page.locator(".filter-box > summary").click()
    page.get_by_label("通行證號:").fill("KHP1")
    page.get_by_role("button", name="查詢").click()
    page.locator("#f-pass-no-error").filter(has_text="KHPS112-000045").wait_for()


def _statistics(page: Any) -> None:
    page.goto("/#/statistics")
    page.locator("svg.stat-chart").first.wait_for()


def _suspensions(page: Any) -> None:
    page.goto("/#/suspensions")
    page.locator("#switch-history").wait_for()


def _settings(page: Any) -> None:
    page.goto("/#/settings")
    page.locator("#settings-form").wait_for()


def _eligibility_unknown(page: Any) -> None:
    page.goto("/#/eligibility")
    page.get_by_label("身分證號:").fill("W200007913")  # valid, but no pass was ever issued to it
    page.get_by_role("button", name="查詢").click()
    page.locator("#eligibility-result h2").wait_for()


def _network_failure(page: Any) -> None:
    _list(page, "records/own6")
    page.route("**/inactive-passes?**", lambda route: route.abort())
    page.locator("form.filters").evaluate("form => form.requestSubmit()")  # folded away on a phone
    page.locator("#page-error #retry").wait_for()
    page.unroute("**/inactive-passes?**")


def _exemptions(page: Any) -> None:
    page.goto("/#/exemptions")
    page.locator("#exemption-list-range, #exemption-list-error:not([hidden])").first.wait_for()


def _alerts(page: Any) -> None:
    page.goto("/#/alerts")
    page.locator("#alert-list-range, #alert-list-error:not([hidden])").first.wait_for()


def _login(page: Any) -> None:
    page.goto("/#/login")
    page.locator(".user-card").first.wait_for()


# name -> (role or None for signed out, how to reach it)
SCREENS: dict[str, tuple[str | None, Callable[[Any], None]]] = {
    "login": (None, _login),
    "company-records-own6": ("company", lambda p: _list(p, "records/own6")),
    "company-records-other6": ("company", lambda p: _list(p, "records/other6")),
    "company-records-own5": ("company", lambda p: _list(p, "records/own5")),
    "company-records-other5": ("company", lambda p: _list(p, "records/other5")),
    "company-records-search-error": ("company", _search_error),
    "company-reinstatement-own": ("company", lambda p: _list(p, "reinstatement/own")),
    "company-reinstatement-other": ("company", lambda p: _list(p, "reinstatement/other")),
    "company-reinstatement-history": ("company", lambda p: _list(p, "reinstatement/history")),
    "company-confirm-dialog": ("company", _confirm_dialog),
    "company-grant-dialog": ("company", _grant_dialog),
    "company-network-failure": ("company", _network_failure),
    "company-statistics": ("company", _statistics),
    "company-settings": ("company", _settings),
    "officer-records-own6": ("port_officer", lambda p: _list(p, "records/own6")),
    "officer-records-own5": ("port_officer", lambda p: _list(p, "records/own5")),
    "officer-reinstatement-own": ("port_officer", lambda p: _list(p, "reinstatement/own")),
    "officer-reinstatement-other": ("port_officer", lambda p: _list(p, "reinstatement/other")),
    "officer-reinstatement-history": ("port_officer", lambda p: _list(p, "reinstatement/history")),
    "admin-records-own6": ("admin", lambda p: _list(p, "records/own6")),
    "admin-reinstatement-own": ("admin", lambda p: _list(p, "reinstatement/own")),
    "admin-eligibility": ("admin", _eligibility),
    "admin-statistics": ("admin", _statistics),
    "admin-suspensions": ("admin", _suspensions),
    "officer-exemptions": ("port_officer", _exemptions),
    "company-exemptions": ("company", _exemptions),
    "company-alerts": ("company", _alerts),
    "issuer-eligibility-unknown": ("issuer", _eligibility_unknown),
    "issuer-eligibility": ("issuer", _eligibility),
}


@pytest.fixture(scope="module")
def signed_in(browser: Any, runtime: Runtime) -> Iterator[Callable[[str | None, str], Any]]:
    """One browser context per (role, width), reused by every screen of that role."""
    contexts: dict[tuple[str | None, str], Any] = {}

    def page_for(role: str | None, width: str) -> Any:
        key = (role, width)
        if key not in contexts:
            context = browser.new_context(
                base_url=runtime.base_url, viewport=WIDTHS[width], locale="zh-TW", timezone_id="Asia/Taipei"
            )
            context.set_default_timeout(LAST_RESORT_MS)
            page = context.new_page()
            if role:
                _sign_in(page, runtime, role)
            contexts[key] = page
        return contexts[key]

    yield page_for
    for page in contexts.values():
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_has_no_serious_accessibility_violation(
    signed_in: Callable[[str | None, str], Any], screen: str, width: str
) -> None:
    # Given the screen, reached as its user would
    role, reach = SCREENS[screen]
    page = signed_in(role, width)
    page.keyboard.press("Escape")  # a dialog left open by the previous screen
    reach(page)
    # Then its screenshot is kept for review
    (SCREENS_DIR / width).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS_DIR / width / f"{screen}.png"), full_page=True)
    if width == "phone":  # what a phone shows before any scrolling
        page.screenshot(path=str(SCREENS_DIR / width / f"{screen}.first-screen.png"))
    # And axe-core finds nothing serious or critical
    assert violations(page) == []
    # And the page never scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]


def test_the_accessibility_check_reports_a_serious_violation_when_there_is_one(
    signed_in: Callable[[str | None, str], Any],
) -> None:
    # Given a screen into which a control without a name is put (axe: button-name, critical)
    page = signed_in(None, "desktop")
    _login(page)
    page.evaluate(
        "document.querySelector('#main').append(Object.assign(document.createElement('button'), {id: 'x'}))"
    )
    # Then the check used on every screen reports it
    found = violations(page)
    page.evaluate("document.querySelector('#x').remove()")
    assert any("button-name" in line for line in found), found
