"""Browser tests: Debian's Chromium driven by Playwright against a live test server.

Playwright's own browser download is not used (the machine has no such network access): the
tests launch /usr/bin/chromium, which the Makefile installs from Debian when it is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CQO_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make browser-deps'")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for
    # set-up are ordinary blocking calls and safe here. Set only while browsers run, so that no
    # other test (the production deploy check, say) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright: Any) -> Iterator[object]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


# The full demo, once per database and run: (its context, the snapshot of its rows).
_FULL_DEMO: dict[str, tuple[Any, Any]] = {}


@pytest.fixture
def full_demo(live_server: Any) -> Any:
    """The full demo (``demo_build(scale="small")``, every builder, the inspection year too), as
    ``cqo demo`` makes it. Building it costs about 30 s of CPU, so the first test that asks for
    it builds it and takes a snapshot of the database (``cqo.testing.snapshot``); every later
    test gets the same rows put back, after the previous test's database was emptied."""
    from django.db import connection

    from cqo.core.demo import demo_build
    from cqo.testing.snapshot import snapshot_restore, snapshot_take

    key = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    if key in _FULL_DEMO:
        ctx, snapshot = _FULL_DEMO[key]
        snapshot_restore(connection, snapshot)
        return ctx
    ctx = demo_build(scale="small")
    _FULL_DEMO[key] = (ctx, snapshot_take(connection))
    return ctx


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
