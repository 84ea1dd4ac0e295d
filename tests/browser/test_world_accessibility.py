"""axe on every page of the permission world, rendered by Chromium at phone size with its styles and
scripts, as the page's most privileged reader sees it (they see the most controls). No violation of any
impact is allowed: a "minor" one is still someone who can't use the page."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.conftest import PHONE
from tests.permission_world import sign_in_as
from tests.world_pages import html_pages
from walkthrough.extensions import db

pytestmark = pytest.mark.browser

ORIGIN = "http://world.test"


def _serve_from(app, client):
    """Every request the tab makes goes to the Flask app in this process, signed in as the reader.
    Playwright calls this on its own greenlet, which doesn't see the test's app context: it pushes one."""

    def serve(route):
        with app.app_context():
            _answer(route, client)

    return serve


def _answer(route, client) -> None:
    asked = route.request
    parts = urlsplit(asked.url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        route.abort()
        return
    response = client.open(
        parts.path + (f"?{parts.query}" if parts.query else ""),
        method=asked.method,
        headers={k: v for k, v in asked.headers.items() if k.lower().startswith(("hx-", "x-", "accept"))},
        data=asked.post_data_buffer,
    )
    route.fulfill(status=response.status_code, headers=dict(response.headers), body=response.get_data())
    response.close()
    db.session.expire_all()


def test_no_page_in_the_world_has_any_accessibility_violation(chromium, shared_app, same_world):
    context = chromium.new_context(base_url=ORIGIN, service_workers="block", **PHONE)
    context.add_init_script(AXE_SCRIPT)  # in every page from the start, rather than sent to each one
    clients, found, checked = {}, [], 0
    try:
        pages = [(page.kind, page.path) for page in html_pages(shared_app, same_world)]
        for kind, path in pages:
            if kind not in clients:
                clients[kind] = shared_app.test_client()
                if kind != "anonymous":
                    sign_in_as(clients[kind], same_world.people[kind])
                tab = context.new_page()
                tab.route("**/*", _serve_from(shared_app, clients[kind]))
                clients[kind].tab = tab
            tab = clients[kind].tab
            tab.goto(path)
            checked += 1
            for violation in tab.evaluate("axe.run({resultTypes: ['violations']})")["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{kind} {path}: {violation['id']} ({violation['impact']}) at {targets}")
    finally:
        context.close()
    assert checked > 250
    assert not found, "\n".join(found)
