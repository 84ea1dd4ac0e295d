"""The app as `flask worker run` sees it in the worker fault test: the test's database, a queue file, the
test's SMTP server and a short lease, so a dead worker's message is taken over in seconds, not minutes."""

import os

from tests.conftest import base_test_config
from walkthrough import create_app

app = create_app(
    base_test_config(os.environ["WALKTHROUGH_FAULT_DATABASE_URL"])
    | {
        "TESTING": False,
        "QUEUE_URL": os.environ["WALKTHROUGH_QUEUE_URL"],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": int(os.environ["WALKTHROUGH_SMTP_PORT"]),
        "OUTBOX_LEASE_SECONDS": 2,
    }
)
