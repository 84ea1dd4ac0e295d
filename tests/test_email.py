"""Email goes through a real SMTP server when one is configured."""

import socket

import pytest
from aiosmtpd.controller import Controller

from tests.people_setup import link_in


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_password_reset_email_is_delivered_over_smtp(app, client, make_user, smtp_server, outbox):
    controller, inbox = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    make_user(email="maya@school.example")
    client.post("/auth/forgot", data={"email": "maya@school.example"})
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["maya@school.example"]
    text = envelope.content.decode()
    assert "Subject: Reset your Walkthrough password" in text
    assert link_in(text).startswith("/auth/reset/")
    [record] = outbox()
    assert record.delivery == "smtp"


def test_unreachable_smtp_server_is_logged_and_the_request_still_works(app, client, make_user, outbox, caplog):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    make_user(email="maya@school.example")
    response = client.post("/auth/forgot", data={"email": "maya@school.example"})
    assert response.status_code == 200
    [record] = outbox()
    assert record.delivery == "failed" and record.error
    assert any("Email to maya@school.example failed" in r.getMessage() for r in caplog.records)


def test_without_smtp_email_goes_to_the_outbox_and_the_log(app, client, make_user, outbox, caplog):
    make_user(email="maya@school.example")
    with caplog.at_level("INFO", logger="walkthrough.outbox.services"):
        client.post("/auth/forgot", data={"email": "maya@school.example"})
    [record] = outbox()
    assert record.delivery == "log" and "/auth/reset/" in record.body
    assert any("/auth/reset/" in r.getMessage() for r in caplog.records)
