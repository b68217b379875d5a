"""The web client in Debian's Chromium, driven by Playwright, against the local runtime.

The worker's local runtime (``worker_runtime``, tests/conftest.py) with the demo data loaded
at a module's start unless the browser tests already hold it; tests that change data start
from `POST /_local/reset {"seed": true}` (``fresh_demo``), and after every browser test the
end-to-end ``demo`` fixture reloads the data before it trusts it. A test that leaves data
the other browser tests must not meet (``fresh_demo``, the statistics timeline) marks the
runtime ``CHANGED`` instead of reloading at once: the next browser test reloads it first,
unless it starts from a fresh reload itself (one reload between two ``fresh_demo`` tests, not
two). Every test leaves a screenshot of its first screen in tests/artifacts/browser/ (the
whole page when it failed).

Waits end on a signal (an element, a response): the timeouts below are a last resort against
a hang, long enough that a busy machine never fails a correct test.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
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


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Records whether the test's own body failed, for the ``page`` fixture's screenshot."""
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


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
CHANGED = "changed by a browser test: reload before the next one"


@pytest.fixture(autouse=True)
def demo_data_maybe_changed(request: pytest.FixtureRequest) -> Iterator[None]:
    """A browser test may change the demo data through the client (even after reloading it):
    the end-to-end ``demo`` fixture then reloads it. Data a test marked ``CHANGED`` is
    reloaded before the next browser test (``fresh_demo`` reloads it itself)."""
    runtime = request.getfixturevalue("runtime") if "runtime" in request.fixturenames else None
    if runtime is not None and runtime.holds == CHANGED and "fresh_demo" not in request.fixturenames:
        runtime.reset(seed=True)
    yield
    if runtime is not None and runtime.holds == "demo":
        runtime.holds = BROWSER


@pytest.fixture
def fresh_demo(runtime: Runtime) -> Iterator[Runtime]:
    """The demo data as seeded (budgets, locks and applications of earlier tests gone); after
    the test the data is marked ``CHANGED``, so the next browser test starts from a reload."""
    runtime.reset(seed=True)
    yield runtime
    runtime.holds = CHANGED


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
    # the first screen of a passed test (a full-page PNG of a long list costs seconds); the
    # whole page of a failed one
    failed = request.node.stash.get(CALL_FAILED, False)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=failed)
    context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"
