"""The server dies and comes back in the middle of a phone's offline-sync burst: every line typed
offline reaches the database exactly once."""

import os
import re
import signal

import pytest
from sqlalchemy import select

from tests.browser.conftest import demo_app, new_tab, sign_in
from tests.browser.test_notes import add_evidence, wait_saved
from tests.faults.servers import children_of, free_port, gunicorn
from walkthrough.auth.models import User
from walkthrough.extensions import db
from walkthrough.observations.models import EvidenceEntry, NoteSlot

pytestmark = pytest.mark.browser

LINES = [f"Offline line {n}: group {n % 4} compared strategies" for n in range(12)]


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('restart') / 'restart.sqlite'}"
    app = demo_app(url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        host_id = db.session.scalar(select(User.id).where(User.email == "jordan.lee@district.example"))
    return app, url, host_id


def _saved(app, observation_id):
    with app.app_context():
        texts = {
            s.name: s.value
            for s in db.session.scalars(select(NoteSlot).where(NoteSlot.observation_id == observation_id))
        }
        entries = db.session.scalars(select(EvidenceEntry).where(EvidenceEntry.observation_id == observation_id)).all()
        return [texts.get(e.slot, "") for e in sorted(entries, key=lambda e: e.recorded_at)]


@pytest.mark.parametrize("kill_after_ms", [300, 900])  # before the burst lands, and after it but before the reply
def test_a_server_restart_during_an_offline_burst_loses_and_doubles_nothing(chromium, demo_database, kill_after_ms):
    app, url, host_id = demo_database
    port = free_port()
    with gunicorn(url, port=port) as first:
        page = new_tab(chromium, f"http://127.0.0.1:{port}")
        sign_in(page, "maya.ortiz@district.example")
        page.goto("/observations/new")
        page.get_by_label("Whose class are you visiting?").select_option(value=str(host_id))
        page.get_by_label("Protocol").select_option(label="Noticings and wonderings")
        page.get_by_role("button", name="Start notes").click()
        page.wait_for_url(re.compile(r".*/observations/\d+$"))
        observation_id = int(page.url.rsplit("/", 1)[1])

        page.context.set_offline(True)
        for line in LINES:
            add_evidence(page, line)
        page.locator("#save-status", has_text="Offline").wait_for(timeout=10_000)
        # A slow phone network, so the burst is still in the air when the server dies.
        network = page.context.new_cdp_session(page)
        network.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 600, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.context.set_offline(False)
        page.wait_for_timeout(kill_after_ms)  # the burst is on its way...
        for pid in [first.pid, *children_of(first.pid)]:
            os.kill(pid, signal.SIGKILL)  # ...and the whole server dies under it
        first.wait()
        print(f"\n{len(_saved(app, observation_id))} of {len(LINES)} lines had arrived when the server died")

    with gunicorn(url, port=port):
        wait_saved(page)
        page.wait_for_timeout(500)
        assert _saved(app, observation_id) == LINES
        page.reload()
        assert [t.input_value() for t in page.locator(".evidence-entry textarea").all()] == LINES
        page.context.close()
