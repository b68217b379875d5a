"""The web client in Debian's Chromium, driven by Playwright, against the local runtime.

The worker's local runtime (``worker_runtime``, tests/conftest.py) with the demo data loaded
at a module's start unless the browser tests already hold it; tests that change data start
from `POST /_local/reset {"seed": true}`, and after every browser test the end-to-end
``demo`` fixture reloads the data before it trusts it. Every test leaves a screenshot in
tests/artifacts/browser/.

Waits end on a signal (an element, a response): the timeouts below are a last resort against
a hang, long enough that a busy machine never fails a correct test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.runtime import Runtime

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
LAST_RESORT_MS = 120_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without Chromium the browser tests are skipped, with the reason shown by `-ra`."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install it with `apt-get install chromium` (.ci/run does)"
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="module")
def runtime(worker_runtime: Runtime) -> Runtime:
    """The worker's runtime holding the demo data set, as the browser tests left it (their
    own changes included), else reloaded."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if worker_runtime.holds not in ("demo", BROWSER):
        worker_runtime.reset(seed=True)
    worker_runtime.holds = BROWSER
    return worker_runtime


BROWSER = "demo, maybe changed by the browser tests"


@pytest.fixture(autouse=True)
def demo_data_maybe_changed(request: pytest.FixtureRequest) -> Iterator[None]:
    """A browser test may change the demo data through the client (even after reloading it):
    the end-to-end ``demo`` fixture then reloads it."""
    runtime = request.getfixturevalue("runtime") if "runtime" in request.fixturenames else None
    yield
    if runtime is not None and runtime.holds == "demo":
        runtime.holds = BROWSER


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=LAST_RESORT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, runtime: Runtime, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=runtime.base_url,
        viewport={"width": 1280, "height": 900},
        locale="zh-TW",
        timezone_id="Asia/Taipei",
        accept_downloads=True,
    )
    context.set_default_timeout(LAST_RESORT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"
