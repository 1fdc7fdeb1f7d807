"""Real-browser tests: headless Debian Chromium driven by Playwright against pytest-django's
live server.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
HERE = Path(__file__).resolve().parent
# Hosts the pages are known to ask for; the requests are aborted like any other, but do not fail
# the test. Wagtail's admin shows avatars from Gravatar unless WAGTAIL_GRAVATAR_PROVIDER_URL is
# None, which the project's settings do not set.
TOLERATED_HOSTS = {"www.gravatar.com", "gravatar.com"}


def pytest_collection_modifyitems(config, items):
    from tests.once import once

    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # What the browser sees does not depend on the database: once, on SQLite.
            item.add_marker(once)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless Chromium for the session; each user gets their own context."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `make browser` (needs root), then run the tests again.",
            pytrace=False,
        )
    from django.db import connections

    from playwright.sync_api import sync_playwright

    # Django keeps its connections in an asgiref Local that is a thread local while no event
    # loop runs, and a context variable once one does. Once Playwright has started, the test
    # thread therefore gets *new* connection objects, without the snapshot of the migrated
    # database that the test-database setup attached to the old ones; serialized rollback would
    # then silently restore nothing. Carry the snapshot over.
    snapshots = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    # Playwright's sync API runs an asyncio event loop in this (the main) thread, so from now on
    # Django sees a running loop and refuses ORM calls from the test and its fixtures
    # (SynchronousOnlyOperation: "You cannot call this from an async context"). Those calls
    # never run concurrently with Playwright's coroutines — each sync API call blocks until it
    # is done — and the live server answers in its own threads, so the check is a false alarm
    # here. Django reads the variable at each call, so setting it now is enough.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        for alias, contents in snapshots.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def results_dir():
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR


@pytest.fixture
def new_context(browser, live_server):
    """Makes a fresh browser context (own cookies, own session) that can only reach the live
    server: every other request is aborted and recorded, and the test fails if there was any."""
    origin = urlsplit(live_server.url)
    contexts = []
    blocked = []

    def only_live_server(route):
        url = urlsplit(route.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc) or url.scheme in (
            "data",
            "blob",
        ):
            route.continue_()
        else:
            if url.hostname not in TOLERATED_HOSTS:
                blocked.append(route.request.url)
            route.abort()

    def make():
        context = browser.new_context(
            base_url=live_server.url,
            locale="ru-RU",
            timezone_id="Europe/Moscow",
            viewport={"width": 1280, "height": 900},
            service_workers="block",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        context.route("**/*", only_live_server)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not blocked, f"the pages tried to reach beyond the live server: {blocked}"


@pytest.fixture
def site_tree(transactional_db, django_db_serialized_rollback, site_tree):
    """The shared ``site_tree``, but committed, so that the live server's thread sees it.

    ``transactional_db`` takes precedence over the ``db`` the shared fixture asks for. A
    transactional test's teardown empties the database, data migrations' rows included (the
    root page, the groups, the «Публикация материалов» workflow, the departments); serialized
    rollback restores them before each test.
    """
    return site_tree
