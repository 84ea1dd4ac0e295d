"""Sensitive actions land in an audit log that admins read and nobody can change."""

from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import services as observations
from walkthrough.protocols.models import Protocol


def actions():
    return [
        (e.action, e.actor_email, e.detail) for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_failed_sign_ins_role_changes_shares_and_deletions_are_recorded(make_school, make_user, auth, client):
    school = make_school("Riverside")
    admin = make_user(Role.ADMIN, school=school, email="pat@school.example")
    teacher = make_user(Role.TEACHER, school=school, email="ana@school.example")
    host = make_user(Role.TEACHER, school=school, email="ben@school.example")
    client.post("/auth/login", data={"email": "Ana@School.example", "password": "not it"})
    auth.login(admin)
    client.post(
        f"/admin/people/{teacher.id}",
        data={
            "name": teacher.name,
            "email": teacher.email,
            "roles": ["teacher", "coach"],
            "school_id": school.id,
            "active": "y",
        },
    )
    auth.logout()
    auth.login(teacher)
    protocol = db.session.scalar(db.select(Protocol).where(Protocol.slug == "focus-question"))
    visit = observations.start_observation(observer=teacher, host=host, protocol=protocol)
    db.session.commit()
    client.post(f"/observations/{visit.id}/finish", data={"reflection": "Private words", "share_with_host": "y"})
    client.post(f"/observations/{visit.id}/finish", data={"reflection": "Private words"})
    client.post("/learning", data={"day": "2026-10-01", "kind": "webinar", "title": "Questioning", "minutes": "60"})
    entry = db.session.scalar(db.text("SELECT max(id) FROM learning_entries"))
    client.post(f"/learning/{entry}/delete")
    recorded = actions()
    kinds = [action for action, _, _ in recorded]
    assert kinds == ["login_failed", "roles_changed", "note_shared", "note_share_withdrawn", "deleted"], recorded
    assert recorded[0][1] == "ana@school.example"
    assert recorded[1][2] == {"person": "ana@school.example", "before": ["teacher"], "after": ["coach", "teacher"]}
    assert recorded[1][1] == "pat@school.example"
    assert "Private words" not in str(recorded)  # the log says what happened, never what the notes say
    assert recorded[4][2]["what"] == "learning entry"


def test_admins_read_the_log_and_nothing_can_change_it(make_school, make_user, auth, client, app):
    school = make_school("Riverside")
    other = make_school("Lincoln")
    district = make_user(Role.ADMIN, name="District Dana")
    principal = make_user(Role.ADMIN, school=school, name="Principal Pat")
    elsewhere = make_user(Role.ADMIN, school=other, name="Principal Lou")
    client.post("/auth/login", data={"email": "nobody@school.example", "password": "x"})
    auth.login(elsewhere)
    client.get("/reports/summary.csv?section=release").close()
    auth.logout()
    auth.login(principal)
    mine = client.get("/admin/audit").get_data(as_text=True)
    assert "Principal Lou" not in mine and "nobody@school.example" not in mine  # other schools' staff
    auth.logout()
    auth.login(district)
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "Principal Lou" in everything and "nobody@school.example" in everything
    assert "Failed sign-in" in client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    auth.logout()
    teacher = make_user(Role.TEACHER, school=school)
    auth.login(teacher)
    assert client.get("/admin/audit").status_code == 403
    writes = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "audit" in rule.rule and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert writes == []
