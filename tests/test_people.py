"""Admins finding and changing people."""

import io

from sqlalchemy import func, select

from walkthrough.auth.models import Role, User
from walkthrough.auth.people import CANNOT_CHANGE_OWN_ROLES, GRADE_BAND_INVALID
from walkthrough.extensions import db
from walkthrough.roster.models import RosterUpload


def person_form(person, **changes):
    form = {
        "name": person.name,
        "email": person.email,
        "roles": [r.value for r in person.roles],
        "school_id": person.school_id or 0,
        "subjects": person.subjects,
        "grade_band": person.grade_band,
        "active": "y",
    }
    return form | changes


def test_search_narrows_the_list_in_place_for_htmx(client, auth, make_user):
    auth.login(make_user(Role.ADMIN, name="Dana Admin"))
    make_user(name="Maya Ortiz")
    make_user(name="Sam Rivera", email="sam@school.example")
    response = client.get("/admin/people?q=ortiz", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "Maya Ortiz" in fragment and "Sam Rivera" not in fragment
    page = client.get("/admin/people?q=SAM@").get_data(as_text=True)
    assert "<html" in page and "Sam Rivera" in page and 'value="SAM@"' in page


def test_search_treats_wildcards_literally(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    make_user(name="Maya Ortiz")
    assert "Nobody matches" in client.get("/admin/people?q=%25").get_data(as_text=True)


def test_filter_by_role(client, auth, make_user):
    auth.login(make_user(Role.ADMIN, name="Dana Admin"))
    make_user(Role.SUBSTITUTE, name="Alex Sub")
    make_user(Role.TEACHER, name="Maya Teacher")
    page = client.get("/admin/people?role=substitute").get_data(as_text=True)
    assert "Alex Sub" in page and "Maya Teacher" not in page


def test_admin_changes_roles_and_details(client, auth, make_user, make_school):
    school = make_school()
    auth.login(make_user(Role.ADMIN))
    person = make_user(Role.TEACHER, school=school)
    response = client.post(
        f"/admin/people/{person.id}",
        data=person_form(person, roles=["teacher", "coach"], subjects="Math ; Science", grade_band="6-8"),
    )
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.roles == {Role.TEACHER, Role.COACH}
    assert person.subjects == "Math; Science" and person.grade_band == "6-8"


def test_a_bad_grade_band_is_shown_beside_the_field_with_input_kept(client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    person = make_user(Role.TEACHER)
    response = client.post(f"/admin/people/{person.id}", data=person_form(person, grade_band="13-15", name="New Name"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and GRADE_BAND_INVALID in page and 'value="New Name"' in page
    db.session.expire_all()
    assert db.session.get(User, person.id).name != "New Name"


def test_an_admin_cannot_change_their_own_roles(client, auth, make_user):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post(f"/admin/people/{admin.id}", data=person_form(admin, roles=["teacher"]))
    assert response.status_code == 422
    assert CANNOT_CHANGE_OWN_ROLES.replace("'", "&#39;") in response.get_data(as_text=True)
    db.session.expire_all()
    assert Role.ADMIN in db.session.get(User, admin.id).roles


def test_a_deactivated_person_is_signed_out_at_once(app, auth, make_user):
    admin_client, teacher_client = app.test_client(), app.test_client()
    type(auth)(admin_client).login(make_user(Role.ADMIN))
    teacher = make_user(Role.TEACHER)
    type(auth)(teacher_client).login(teacher)
    assert teacher_client.get("/").status_code == 200
    admin_client.post(f"/admin/people/{teacher.id}", data=person_form(teacher, active=""))
    assert teacher_client.get("/").status_code == 302


def test_resending_an_invitation(client, auth, make_user, outbox):
    auth.login(make_user(Role.ADMIN))
    newcomer = make_user(Role.TEACHER, password=None)
    client.post(f"/admin/people/{newcomer.id}/invite")
    assert [m.subject for m in outbox(newcomer.email)] == ["You're invited to Walkthrough"]
    signed_up = make_user(Role.TEACHER)
    response = client.post(f"/admin/people/{signed_up.id}/invite", follow_redirects=True)
    assert "already set a password" in response.get_data(as_text=True) and outbox(signed_up.email) == []


def test_an_oversized_upload_is_refused_before_it_is_read(app, client, auth, make_user):
    auth.login(make_user(Role.ADMIN))
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/admin/roster", data={"file": (io.BytesIO(b"x" * 5000), "big.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RosterUpload)) == 0
