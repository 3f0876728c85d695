"""Browser tests drive Debian's chromium (never a downloaded browser) against a live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are
# ordinary synchronous ones.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Debian's chromium; PARLEY_CHROMIUM points elsewhere on a machine that keeps it elsewhere.
CHROMIUM = Path(os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("PARLEY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and PARLEY_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); "
                    "set PARLEY_REQUIRE_BROWSER=1 to make this a failure")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page; console errors and failed requests are collected for the test to check."""
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: page.problems.append(f"console {message.type}: {message.text}")
        if message.type == "error" else None,
    )
    yield page
    context.close()
