"""Every page of the permission world as the people allowed to read it see it: the set the markup checks
(Nu HTML checker, axe) run over, so a new page is checked as soon as the permission table names it."""

from collections.abc import Iterator
from dataclasses import dataclass

from tests.permission_world import KINDS, sign_in_as, url_in_world
from tests.test_permission_matrix import MATRIX
from walkthrough.extensions import db

# Pages anyone may open signed out; their links carry tokens, so only the ones without are listed.
SIGNED_OUT_PAGES = ["/auth/login", "/auth/forgot", "/no-such-page"]


@dataclass(frozen=True)
class Page:
    kind: str
    path: str
    html: str


def readers(endpoint: str) -> list[str]:
    allowed, _ = MATRIX[(endpoint, "GET")]
    return [kind for kind in KINDS if kind in allowed]


def page_paths(app, world, every_reader: bool = True) -> Iterator[tuple[str, str]]:
    """(kind, path) for every GET page; one reader per page unless every_reader."""
    for path in SIGNED_OUT_PAGES:
        yield "anonymous", path
    for endpoint, method in sorted(MATRIX):
        if method != "GET":
            continue
        kinds = readers(endpoint)
        for kind in kinds if every_reader else kinds[-1:]:
            yield kind, url_in_world(app, endpoint, world.ids)


def html_pages(app, world, every_reader: bool = True) -> Iterator[Page]:
    """The full HTML pages (not downloads, redirects or htmx fragments) the world's readers get, with the
    CSRF fields production renders (the test app leaves them out)."""
    clients = {}
    csrf = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield from _fetch(app, world, every_reader, clients)
    finally:
        app.config["WTF_CSRF_ENABLED"] = csrf


def _fetch(app, world, every_reader, clients) -> Iterator[Page]:
    for kind, path in page_paths(app, world, every_reader):
        if kind not in clients:
            clients[kind] = app.test_client()
            if kind != "anonymous":
                sign_in_as(clients[kind], world.people[kind])
        response = clients[kind].get(path)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if response.status_code in (200, 404) and html.startswith("<!doctype"):
            yield Page(kind, path, html)
        response.close()
        db.session.expire_all()
