"""Admin › Email: what is waiting, failing and sent, and a retry — never a message's body, which can hold
someone's sign-in link. A school's admin sees their own staff's mail; `flask worker status` tells a health
check whether a worker is alive."""

from datetime import timedelta

from sqlalchemy import select

from walkthrough.audit.models import AuditEvent
from walkthrough.auth.models import Role
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage, OutboxStatus, WorkerBeat
from walkthrough.outbox.services import send_email
from walkthrough.worker.jobs import sweep

SECRET_LINK = "https://walkthrough.example/auth/reset/very-secret-token"


def _reset_mail(person, status=OutboxStatus.QUEUED, attempts=0):
    message = send_email(to=person.email, kind="auth/reset_password", person=person, link=SECRET_LINK, minutes=60)
    message.status, message.attempts = status, attempts
    if status == OutboxStatus.FAILED:
        message.error = "451 4.3.0 Try again later"
    db.session.commit()
    return message


def test_admins_see_each_message_and_its_state_but_never_its_body(app, client, auth, make_school, make_user):
    school = make_school("Cedar Creek")
    admin = make_user(Role.ADMIN, school=school, email="principal@school.example")
    teacher = make_user(Role.TEACHER, school=school, email="maya@school.example")
    elsewhere = make_user(Role.TEACHER, school=make_school("Oak Hill"), email="omar@school.example")
    failed = _reset_mail(teacher, OutboxStatus.FAILED, attempts=9)
    _reset_mail(elsewhere)
    auth.login(admin.email)

    page = client.get("/admin/email").get_data(as_text=True)
    assert "maya@school.example" in page and "Failed" in page and "451 4.3.0" in page
    assert "omar@school.example" not in page  # another school's staff
    assert "very-secret-token" not in page and "Reset your" not in page
    assert "No worker has been seen" in page

    failing = client.get("/admin/email?show=failed").get_data(as_text=True)
    assert "maya@school.example" in failing
    assert "maya@school.example" not in client.get("/admin/email?show=sent").get_data(as_text=True)

    retried = client.post(f"/admin/email/{failed.id}/retry")
    assert retried.status_code == 302
    db.session.refresh(failed)
    assert failed.status == OutboxStatus.QUEUED and failed.attempts == 0
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "email_retried"))
    assert audit is not None and audit.actor_id == admin.id


def test_a_district_admin_sees_every_school_and_no_one_elses_mail_can_be_retried_by_a_school(
    app, client, auth, make_school, make_user
):
    district = make_user(Role.ADMIN, email="dee@district.example")
    school_admin = make_user(Role.ADMIN, school=make_school("Cedar Creek"), email="sal@school.example")
    elsewhere = make_user(Role.TEACHER, school=make_school("Oak Hill"), email="omar@school.example")
    message = _reset_mail(elsewhere, OutboxStatus.FAILED, attempts=9)
    auth.login(district.email)
    assert "omar@school.example" in client.get("/admin/email").get_data(as_text=True)
    auth.logout()
    auth.login(school_admin.email)
    assert client.post(f"/admin/email/{message.id}/retry").status_code == 404
    db.session.refresh(message)
    assert message.status == OutboxStatus.FAILED


def test_the_worker_heartbeat_shows_on_the_page_and_in_worker_status(app, client, auth, make_user, runner):
    admin = make_user(Role.ADMIN, email="dee@district.example")
    assert runner.invoke(args=["worker", "status"]).exit_code == 1

    sweep()  # what the worker does every minute
    status = runner.invoke(args=["worker", "status"])
    assert status.exit_code == 0 and "alive" in status.output
    auth.login(admin.email)
    assert "Running:" in client.get("/admin/email").get_data(as_text=True)

    beat = db.session.scalar(select(WorkerBeat))
    beat.seen_at = utcnow() - timedelta(minutes=4)
    db.session.commit()
    assert runner.invoke(args=["worker", "status"]).exit_code == 1


def test_a_page_of_fifty_and_the_next(app, client, auth, make_user):
    admin = make_user(Role.ADMIN, email="dee@district.example")
    teacher = make_user(Role.TEACHER, email="maya@school.example")
    for _ in range(51):
        send_email(to=teacher.email, kind="auth/reset_password", person=teacher, link=SECRET_LINK, minutes=60)
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/admin/email").get_data(as_text=True)
    assert first.count('class="card"') == 50 and "Older" in first
    second = client.get("/admin/email?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 1 and "Newer" in second
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 51
