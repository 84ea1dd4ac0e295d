"""A live server with the demo district, and Debian's Chromium driven by Playwright at phone size."""

import gc
import os
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.no_signal import cut_off_without_signal, everyone_regains_signal
from tests.conftest import PROJECT_ROOT, base_test_config, migrate_to_head
from walkthrough import create_app
from walkthrough.demo.cli import seed_demo_district
from walkthrough.extensions import db

CHROMIUM = os.environ.get("WALKTHROUGH_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("WALKTHROUGH_REQUIRE_BROWSER") == "1"
BROWSER_SKIP_REASON = f"browser tests skipped: Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 780}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def demo_app(url: str, **overrides):
    """An app on a fresh database at url, holding the demo district."""
    migrate_to_head(url)
    app = create_app(base_test_config(url) | {"WTF_CSRF_ENABLED": True, "TESTING": False} | overrides)
    with app.app_context():
        seed_demo_district()
        db.session.commit()
    return app


# The dev server leaves a static file it was sending to the garbage collector when the browser drops the
# connection (a tab closed mid-favicon); the warning lands in whichever test is running when it is
# collected. It is the test server's loose end, not the app's (gunicorn closes what it was sending).
DROPPED_STATIC_FILE = r"ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning"


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.filterwarnings(DROPPED_STATIC_FILE))
            # One worker runs every browser test, so one Chromium and one live server serve them all.
            item.add_marker(pytest.mark.xdist_group("browser"))


@contextmanager
def serving(app, port: int = 0):
    """The app on a real threaded server on a free port (or the one given); yields its base address."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
        # A tab closed while the dev server was sending it a static file (the favicon, say) leaves that
        # file to the garbage collector: the server's loose end, not the app's, so it is collected quietly here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind the live server; tests use it to look in the database."""
    return demo_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite'}")


@pytest.fixture(autouse=True)
def _signal_back_after_each_test():
    yield
    everyone_regains_signal()


@pytest.fixture(scope="session")
def live_server(live_app):
    cut_off_without_signal(live_app)
    with serving(live_app) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"WALKTHROUGH_REQUIRE_BROWSER=1 but Chromium is not at {CHROMIUM}")
        pytest.skip(BROWSER_SKIP_REASON)
    from playwright.sync_api import sync_playwright

    # Lets tests see (and cut off, when a phone "loses signal") what the service worker fetches itself:
    # Playwright's offline switch alone doesn't reach a service worker (microsoft/playwright#2311).
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_tab(chromium, live_server, service_worker: bool = False, **size):
    """A fresh browser tab (phone-sized unless told) that records script errors, CSP violations and
    broken assets. Chromium logs every 4xx page as a console error; pages answer 422 or 404 on
    purpose, so those are left out here and failed assets are caught from the responses instead."""
    # Without its service worker unless a test is about it: the worker fetches a dozen pages to keep
    # offline each time someone signs in, which only slows tests about something else.
    context = chromium.new_context(
        base_url=live_server, service_workers="allow" if service_worker else "block", **(size or PHONE)
    )
    page = context.new_page()
    page.console_errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.console_errors.append(message.text)

    def on_response(response):
        if response.request.resource_type in ("stylesheet", "script", "image", "font") and response.status >= 400:
            page.console_errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def phone(chromium, live_server):
    page = new_tab(chromium, live_server)
    yield page
    page.context.close()


def sign_in(page, email: str, password: str = "walkthrough-demo") -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def wait_until(page, expression: str, arg=None, timeout_ms: int = 15_000) -> None:
    """Until expression (JavaScript, maybe a promise, as `page.evaluate` takes it) comes true in the page.
    Not `page.wait_for_function`: it takes a promise itself as the true value, so a check of the service
    worker's caches (all promises) passed at once and a test lost signal before the pages it waited for were
    kept; and once its first look comes out false it looks again with `eval`, which our Content Security
    Policy refuses."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_ms} ms: {expression}")
        page.wait_for_timeout(100)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
