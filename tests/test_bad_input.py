"""Hostile and nonsense input never produces a server error on any route."""

import io
from datetime import time

import pytest
from sqlalchemy import select

from tests.permission_world import build_world, database_fingerprint, sign_in_as
from tests.test_access import every_route
from walkthrough.auth.models import User
from walkthrough.coverage.models import CoverageRequest
from walkthrough.demo.district import DEMO_PASSWORD
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage
from walkthrough.text import LINE_BREAK_IN_NAME

JUNK = {
    "name": "<script>alert(1)</script>",
    "email": "not an email",
    "day": "31/02/2026",
    "local_start": "25:99",
    "local_end": "",
    "capacity": "99999999999999999999999",
    "period_id": "abc",
    "protocol_id": "-1",
    "host_id": "1e9",
    "school_id": "💥",
    "roles": ["wizard"],
    "days": ["funday"],
    "field_count": "-5",
    "action": "up:999",
    "weeks": "NaN",
    "cutoff_hours": "-1",
    "year_first_day": "yesterday",
    "reply": "x" * 30_000,
    "reflection": "\x00\x01",
    "observer_id": "0",
    "first_slot_id": "1",
    "second_slot_id": "1",
    "q": "%' OR 1=1 --",
    "invite_new": "maybe",
    "coach_id": "[]",
}


@pytest.mark.parametrize(
    "who",
    [
        "maya.ortiz@district.example",
        "dana.whitfield@district.example",
        "jordan.lee@district.example",
        "alex.kim@district.example",
    ],
)
def test_no_route_answers_500_to_junk(app, runner, auth, client, who):
    runner.invoke(args=["demo", "seed"])
    auth.login(who, password=DEMO_PASSWORD)
    for endpoint, method, path in every_route(app):
        if endpoint in ("auth.logout", "static"):
            continue
        for target in (path, path.replace("/1", "/2")):
            if method == "GET":
                responses = [client.get(target, query_string=JUNK)]
            else:
                responses = [
                    client.post(target, data=JUNK),
                    client.post(target, data=JUNK, headers={"HX-Request": "true"}),
                    client.post(target, json={"changes": [{"key": "x" * 50, "op": "text"}, None, 7]}),
                    client.post(
                        target,
                        data={
                            "file": (io.BytesIO(b"\x89PNG junk"), "x.csv"),
                            "photo": (io.BytesIO(b"GIF89a"), "x.jpg"),
                        },
                        content_type="multipart/form-data",
                    ),
                ]
            for response in responses:
                response.close()
                assert response.status_code < 500, (who, endpoint, method, target, response.status_code)


HUGE = "9" * 40  # no database column holds this; SQLite and psycopg both raise on it


@pytest.mark.parametrize(
    "who, method, path, data",
    [
        ("substitute", "POST", "/coverage/jobs/accept", {"request_id": [HUGE, "1"]}),
        ("school_admin", "POST", "/coverage/assign", {"request_id": HUGE, "cover_id": HUGE, "school_id": HUGE}),
        ("school_admin", "POST", "/coverage/approval", {"signup_id": HUGE, "decision": "approve"}),
        ("school_admin", "POST", "/coverage/pool", {"substitute_id": HUGE}),
        ("school_admin", "GET", f"/coverage/board?school_id={HUGE}", None),
        ("school_admin", "GET", f"/admin/people?page={HUGE}", None),
        ("school_admin", "GET", f"/reports/?school_id={HUGE}", None),
        ("district_admin", "POST", "/cohorts/meetings/1/attendance", {"present": [HUGE, "-1", "３"]}),
        ("teacher", "GET", f"/visits/?school_id={HUGE}&protocol_id={HUGE}&grade_band={'x' * 5000}", None),
        ("teacher", "GET", f"/observations/new?host={HUGE}", None),
        ("coach", "GET", "/coaching/?q=" + "ab" * 60_000, None),
        ("coach", "GET", "/coaching/find?q=" + "%_" * 60_000, None),
    ],
)
def test_ids_too_big_for_any_column_and_huge_searches_are_answered_kindly(
    shared_app, same_world, who, method, path, data
):
    client = shared_app.test_client()
    sign_in_as(client, same_world.people[who])
    response = client.open(path, method=method, data=data)
    assert response.status_code < 500, response.status_code


def test_a_nul_character_anywhere_is_refused_with_a_reason(app, make_school, make_user):
    world = build_world(make_school, make_user)
    client = app.test_client()
    sign_in_as(client, world.people["observer"])
    before = database_fingerprint()
    for response in (
        client.post(f"/coverage/request/{world.ids['cover']}/plans", data={"notes": "Worksheets\x00 on the desk"}),
        client.get("/visits/", query_string={"subject": "math\x00"}),
    ):
        assert response.status_code == 400
        assert "NUL" in response.get_data(as_text=True)
    assert database_fingerprint() == before
    saved = client.post(
        f"/observations/{world.ids['observation']}/changes",
        json={
            "changes": [
                {
                    "key": "nul-in-notes",
                    "op": "text",
                    "slot": "focus",
                    "value": "a\x00b",
                    "base": "",
                    "base_revision": 1,
                }
            ]
        },
    )
    assert saved.status_code == 200 and saved.get_json()["results"][0]["value"].endswith("ab")


@pytest.mark.parametrize("who", ["observer", "coach", "district_admin"])
def test_stray_query_strings_on_any_page_never_give_a_500(shared_app, same_world, who):
    """Arguments a page doesn't expect (another person's id, a method override, nonsense years and days, an
    outside next=) are ignored or refused, on every page the matrix lists."""
    from tests.permission_world import url_in_world
    from tests.test_permission_matrix import MATRIX

    app, world = shared_app, same_world
    client = app.test_client()
    sign_in_as(client, world.people[who])
    strays = ("?_method=POST", "?coachee_id=1", "?year=abc&page=-1", "?school_id=x&day=2026-13-45", "?next=//evil")
    failed = []
    for endpoint, method in MATRIX:
        if method == "GET":
            url = url_in_world(app, endpoint, world.ids)
            for stray in strays:
                response = client.get(url + stray)
                response.close()
                if response.status_code >= 500:
                    failed.append((url + stray, response.status_code))
    assert failed == []


@pytest.mark.parametrize("name", ["Maya\nOrtiz", "Maya\r\nOrtiz", "Maya\tOrtiz", "Maya\u2028Ortiz", "Maya\x1bOrtiz"])
def test_a_line_break_in_a_name_is_refused_beside_the_field_with_the_text_kept(client, auth, make_user, name):
    person = make_user(name="Maya Ortiz")
    auth.login(person)
    response = client.post("/account", data={"profile-name": name, "profile-submit": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and LINE_BREAK_IN_NAME in page
    db.session.expire_all()
    assert db.session.get(User, person.id).name == "Maya Ortiz"


def test_a_name_stored_with_a_line_break_breaks_no_sign_up_email_or_cover(school_day, client, auth):
    """Stored before the rule (or by hand): sign-ups, their emails and the admin's cover booking still work."""
    from tests.coverage_setup import visit

    d = school_day
    d["observer"].name, d["host"].name = "Maya\nObserver", "Jordan\r\nHost"
    db.session.commit()
    visit(d, time(9), time(9, 50))  # in a taught period, so the class needs cover
    request = db.session.scalar(select(CoverageRequest))
    auth.login(d["admin"])
    fields = {
        "school_id": d["school"].id,
        "day": d["day"].isoformat(),
        "request_id": request.id,
        "cover_id": d["sub"].id,
    }
    assert client.get(f"/coverage/board?school_id={d['school'].id}&day={d['day'].isoformat()}").status_code == 200
    assert client.post("/coverage/assign", data=fields, headers={"HX-Request": "true"}).status_code == 200
    assert client.get(f"/coverage/board.csv?school_id={d['school'].id}&day={d['day'].isoformat()}").status_code == 200
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert len(subjects) >= 2 and all("\n" not in subject and "\r" not in subject for subject in subjects)
