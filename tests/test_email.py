"""Email goes through the outbox: written with the action, delivered by the worker after the commit, retried
when the SMTP server fails, and sent once."""

from datetime import timedelta
from email import message_from_bytes, policy

from flask import abort

from tests.people_setup import link_in
from tests.smtp_setup import free_port
from walkthrough.access import public
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.outbox.delivery import BACKOFF_MINUTES, deliver_due
from walkthrough.outbox.models import OutboxMessage, OutboxStatus
from walkthrough.outbox.services import send_email


def use_smtp(app, controller):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)


def test_the_request_only_writes_the_message_and_the_worker_delivers_it_once(
    app, client, make_user, smtp_server, outbox
):
    controller, inbox = smtp_server
    use_smtp(app, controller)
    make_user(email="maya@school.example")
    client.post("/auth/forgot", data={"email": "maya@school.example"})
    assert inbox.messages == []  # nothing is sent in the request, so a slow mail server can't stall it
    [record] = outbox()
    assert record.status == OutboxStatus.QUEUED and record.kind == "auth/reset_password"

    assert deliver_due() == 1
    assert deliver_due() == 0
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["maya@school.example"]
    parsed = message_from_bytes(envelope.content, policy=policy.default)
    assert parsed["Subject"] == "Reset your Walkthrough password"
    assert parsed["Message-ID"] == record.message_id
    assert link_in(parsed.get_body(("plain",)).get_content()).startswith("/auth/reset/")
    db.session.refresh(record)
    assert record.status == OutboxStatus.SENT and record.attempts == 1 and record.sent_at is not None


def test_the_committed_message_is_handed_to_the_task_queue(app, client, make_user):
    queue = app.extensions["huey"]
    queue.flush()
    make_user(email="maya@school.example")
    client.post("/auth/forgot", data={"email": "maya@school.example"})
    [task] = queue.pending()
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert task.name == "deliver" and task.args == (message.id,)


def test_a_refusing_server_is_tried_again_with_back_off_and_the_message_arrives_once(app, make_user, smtp_server):
    controller, inbox = smtp_server
    use_smtp(app, controller)
    inbox.refuse_next = 2
    person = make_user(email="maya@school.example")
    send_email(to=person.email, kind="auth/reset_password", person=person, link="https://x.example/r", minutes=60)
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage))

    now = utcnow()
    assert deliver_due(now=now) == 0
    db.session.refresh(message)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1 and "451" in message.error
    assert message.next_attempt_at >= now + timedelta(minutes=BACKOFF_MINUTES[0])
    assert deliver_due(now=now) == 0  # not before its time
    later = message.next_attempt_at + timedelta(seconds=1)
    assert deliver_due(now=later) == 0
    db.session.refresh(message)
    assert message.attempts == 2 and message.next_attempt_at >= later + timedelta(minutes=BACKOFF_MINUTES[1])
    assert deliver_due(now=message.next_attempt_at + timedelta(seconds=1)) == 1
    assert deliver_due(now=message.next_attempt_at + timedelta(hours=9)) == 0
    assert inbox.refused == 2 and len(inbox.messages) == 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 3 and message.error == ""


def test_an_unreachable_server_fails_for_good_after_the_last_try_and_an_admin_can_retry(app, make_user, caplog):
    from walkthrough.outbox.delivery import try_again

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    person = make_user(email="maya@school.example")
    send_email(to=person.email, kind="auth/reset_password", person=person, link="https://x.example/r", minutes=60)
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage))
    when = utcnow()
    for _ in range(len(BACKOFF_MINUTES) + 1):
        deliver_due(now=when)
        db.session.refresh(message)
        when = (message.next_attempt_at or when) + timedelta(seconds=1)
    assert message.status == OutboxStatus.FAILED and message.attempts == len(BACKOFF_MINUTES) + 1
    assert "ConnectionRefusedError" in message.error
    assert any("failed for good" in r.getMessage() for r in caplog.records)

    assert try_again(message)
    db.session.commit()
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0


def test_a_permanent_refusal_is_not_retried(app, make_user, smtp_server):
    controller, inbox = smtp_server
    use_smtp(app, controller)

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"

    inbox.handle_RCPT = refuse
    person = make_user(email="gone@school.example")
    send_email(to=person.email, kind="auth/reset_password", person=person, link="https://x.example/r", minutes=60)
    db.session.commit()
    deliver_due()
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.status == OutboxStatus.FAILED and message.attempts == 1 and "550" in message.error


def test_without_smtp_the_worker_writes_the_message_to_the_log(app, client, make_user, outbox, caplog):
    make_user(email="maya@school.example")
    client.post("/auth/forgot", data={"email": "maya@school.example"})
    with caplog.at_level("INFO", logger="walkthrough.outbox.delivery"):
        assert deliver_due() == 1
    [record] = outbox()
    assert record.status == OutboxStatus.LOGGED and "/auth/reset/" in record.body
    assert any("/auth/reset/" in r.getMessage() for r in caplog.records)


def test_a_request_that_fails_after_writing_its_message_sends_nothing(make_app, make_user, smtp_server):
    controller, inbox = smtp_server
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, PROPAGATE_EXCEPTIONS=False)
    woken = []
    app.extensions["outbox_wake"] = woken.extend

    @app.route("/test/write-then-fail")
    @public
    def write_then_fail():
        send_email(to="maya@school.example", kind="auth/reset_password", person={"name": "Maya"}, link="x", minutes=1)
        abort(500)

    @app.route("/test/write")
    @public
    def write():
        send_email(to="maya@school.example", kind="auth/reset_password", person={"name": "Maya"}, link="x", minutes=1)
        db.session.commit()
        return "ok"

    with app.app_context():
        client = app.test_client()
        assert client.get("/test/write-then-fail").status_code == 500
        db.session.remove()
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
        assert woken == []
        assert deliver_due() == 0 and inbox.messages == []

        assert client.get("/test/write").status_code == 200
        db.session.remove()
        assert len(woken) == 1
        assert deliver_due() == 1 and len(inbox.messages) == 1
        db.session.execute(db.delete(OutboxMessage))
        db.session.commit()


def test_two_workers_at_once_send_a_message_once(app, make_user, smtp_server):
    """Both claim with a conditional UPDATE; the database lets one win."""
    from concurrent.futures import ThreadPoolExecutor

    from walkthrough.outbox.delivery import deliver

    controller, inbox = smtp_server
    use_smtp(app, controller)
    person = make_user(email="maya@school.example")
    for n in range(5):
        send_email(to=person.email, kind="auth/reset_password", person=person, link=f"https://x/{n}", minutes=60)
    db.session.commit()
    ids = list(db.session.scalars(db.select(OutboxMessage.id)))

    def worker(_):
        with app.app_context():
            try:
                return [deliver(message_id) for message_id in ids]
            finally:
                db.session.remove()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, range(4)))
    assert sum(status == OutboxStatus.SENT for result in results for status in result) == 5
    assert len(inbox.messages) == 5
