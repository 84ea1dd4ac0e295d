"""A worker killed with SIGKILL in the middle of handing a message to the mail server: the message is not
lost, and the next worker sends it once, after the dead worker's lease on it runs out."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from sqlalchemy import select

from tests.conftest import PROJECT_ROOT
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage, OutboxStatus, WorkerBeat
from walkthrough.outbox.services import send_email


@contextmanager
def worker(database_url: str, queue_file, smtp_port: int, log_path):
    environment = {
        **os.environ,
        "WALKTHROUGH_FAULT_DATABASE_URL": database_url,
        "WALKTHROUGH_QUEUE_URL": f"sqlite:///{queue_file}",
        "WALKTHROUGH_SMTP_PORT": str(smtp_port),
    }
    log = open(log_path, "a")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.faults.worker_app", "worker", "run", "--threads", "2"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        log.close()
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _status(message_id: int) -> OutboxMessage:
    db.session.rollback()
    found = db.session.get(OutboxMessage, message_id)
    db.session.refresh(found)
    db.session.commit()  # no read transaction held open while the worker writes
    return found


def _wait_for(condition, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError("the worker did not get there in time")


def test_a_message_a_killed_worker_was_sending_is_sent_once_by_the_next(
    app, database_url, make_user, smtp_server, tmp_path
):
    controller, inbox = smtp_server
    inbox.stall = True  # the mail server hangs after the worker has claimed the message
    person = make_user(email="maya@school.example")
    record = send_email(to=person.email, kind="auth/reset_password", person=person, link="https://x/r", minutes=60)
    db.session.commit()
    message_id = record.id
    queue_file, log_path = tmp_path / "queue.sqlite", tmp_path / "worker.log"

    with worker(database_url, queue_file, controller.port, log_path) as first:
        assert inbox.stalled.wait(60), "the first worker never reached the mail server"
        first.send_signal(signal.SIGKILL)
        first.wait()
    claimed = _status(message_id)
    assert claimed.status == OutboxStatus.SENDING and claimed.attempts == 1
    inbox.stall = False
    assert inbox.messages == []

    time.sleep(2.5)  # the dead worker's two-second lease runs out
    with worker(database_url, queue_file, controller.port, log_path) as second:
        _wait_for(lambda: _status(message_id).status == OutboxStatus.SENT)
        _wait_for(lambda: db.session.scalar(select(db.func.count(WorkerBeat.name))) >= 1)
        time.sleep(1)  # room for a second, wrong delivery to show up
        assert second.poll() is None, log_path.read_text()
    assert len(inbox.messages) == 1 and inbox.messages[0].rcpt_tos == ["maya@school.example"]
    assert _status(message_id).attempts == 2
