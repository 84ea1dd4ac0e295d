"""Who can reach what. The URL map is walked so a new route can't be left open by accident."""

import re

import pytest

from walkthrough.access import is_public_endpoint
from walkthrough.auth.models import Role

# Every route an anonymous visitor may open. Adding to this list is a deliberate act.
PUBLIC_ENDPOINTS = {
    "static",
    "auth.login",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
    "auth.confirm_email",  # opened from the new address's mailbox, maybe on another device
    "auth.revert_email",  # "this wasn't me": whoever changed the address may hold every session
    "visits.feed",
    "offline.service_worker",  # the browser fetches the worker and the manifest without a session
    "offline.manifest",
    "notifications.unsubscribe",  # a mail provider's one-click POST (RFC 8058); the signed link is the key
    "auth.sso_start",  # signing in with the district's account (404 unless configured)
    "auth.sso_callback",  # the provider sends the browser back here; state, PKCE and the ID token are the keys
    "auth.sso_sign_out",  # after signing out of Walkthrough, on to the provider's sign-out
    "coverage.take_job",  # the one-tap link in a call-out email; the signed link names the substitute and job
}  # the calendar feed's secret address is its key


def _sample_value(converter):
    if type(converter).__name__ == "IntegerConverter":
        return 1
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0]
    return "x"


def every_route(app):
    for rule in app.url_map.iter_rules():
        values = {name: _sample_value(conv) for name, conv in rule._converters.items()}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_only_the_listed_routes_are_public(app):
    with app.test_request_context():
        marked_public = {rule.endpoint for rule in app.url_map.iter_rules() if is_public_endpoint(rule.endpoint)}
    assert marked_public == PUBLIC_ENDPOINTS


def test_every_other_route_sends_anonymous_visitors_to_sign_in(app, client):
    checked = 0
    for endpoint, method, path in every_route(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(path, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.location.startswith("/auth/login"), (endpoint, method)
        htmx = client.open(path, method=method, headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/auth/login")
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("role", [Role.TEACHER, Role.COACH, Role.SUBSTITUTE])
def test_admin_pages_refuse_everyone_else(app, client, auth, make_user, make_school, role):
    school = make_school()
    auth.login(make_user(role, school=school))
    admin_routes = [(e, m, p) for e, m, p in every_route(app) if e.startswith("admin.")]
    assert admin_routes
    for endpoint, method, path in admin_routes:
        response = client.open(path, method=method)
        assert response.status_code == 403, (endpoint, method, response.status_code)
        assert "isn&#39;t open to you" in response.get_data(as_text=True)


def test_navigation_shows_what_each_role_can_do(client, auth, make_user):
    auth.login(make_user(Role.TEACHER))
    page = client.get("/").get_data(as_text=True)
    assert "Roster import" not in page and "/admin/schools" not in page
    auth.logout()
    auth.login(make_user(Role.TEACHER, Role.ADMIN))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/schools"' in page and 'href="/admin/people"' in page and 'href="/admin/roster"' in page
    # Menus are rendered once per set of roles and page, then reused: never another role's, never another page's.
    auth.logout()
    auth.login(make_user(Role.TEACHER))
    for path in ("/", "/visits/", "/"):
        page = client.get(path).get_data(as_text=True)
        assert "/admin/schools" not in page
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
        assert current == [path] * 3  # the header's menu, the phone's bottom bar and its "More" list


def test_a_school_admin_manages_only_their_own_school(client, auth, make_user, make_school):
    from datetime import time

    from walkthrough.extensions import db
    from walkthrough.schools.services import save_period

    own, other = make_school("Own School"), make_school("Other School")
    period = save_period(school=other, period=None, name="Period 1", starts_at=time(8), ends_at=time(9), days=["mon"])
    db.session.commit()
    colleague, stranger = make_user(Role.TEACHER, school=own), make_user(Role.TEACHER, school=other)
    auth.login(make_user(Role.ADMIN, school=own))
    assert client.get(f"/admin/schools/{own.id}").status_code == 200
    assert client.get(f"/admin/schools/{other.id}").status_code == 403
    assert client.get(f"/admin/periods/{period.id}/edit").status_code == 403
    assert client.post(f"/admin/periods/{period.id}/delete").status_code == 403
    assert client.get(f"/admin/people/{colleague.id}").status_code == 200
    assert client.get(f"/admin/people/{stranger.id}").status_code == 403
    assert client.get("/admin/schools/new").status_code == 403
    listing = client.get("/admin/people").get_data(as_text=True)
    assert colleague.email in listing and stranger.email not in listing


def test_missing_things_are_404_for_admins(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    for path in ("/admin/schools/999", "/admin/people/999", "/admin/periods/999/edit", "/admin/roster/999"):
        response = client.get(path)
        assert response.status_code == 404 and "couldn&#39;t find" in response.get_data(as_text=True)
