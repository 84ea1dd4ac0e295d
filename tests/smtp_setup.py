"""A real SMTP server (aiosmtpd) on a loopback port, which can refuse or stall like a real one does."""

import asyncio
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Keeps every message accepted. `refuse_next` answers the next n messages with a temporary 451;
    `stall` holds every conversation at RCPT until released (a server that hangs)."""

    def __init__(self):
        self.messages = []
        self.refuse_next = 0
        self.refused = 0
        self.stall = False
        self.stalled = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.stall:
            self.stalled.set()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next:
            self.refuse_next -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    inbox.stall = False
    controller.stop()
