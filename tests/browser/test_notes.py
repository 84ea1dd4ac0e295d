"""Taking notes on a phone in a real browser: autosave, offline and back, two devices, photos, a11y."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from tests.browser.conftest import new_tab, screenshot, sign_in, wait_until
from tests.browser.test_phone import check_phone_fit, serious_violations
from walkthrough.auth.models import User
from walkthrough.extensions import db
from walkthrough.observations.models import EvidenceEntry, NoteSlot, Observation

pytestmark = pytest.mark.browser

OBSERVER = "maya.ortiz@district.example"
HOST = "jordan.lee@district.example"


def in_database(live_app, query):
    with live_app.app_context():
        return query()


def user_id(live_app, email):
    return in_database(live_app, lambda: db.session.scalar(select(User.id).where(User.email == email)))


def start_visit(page, live_app, protocol="Noticings and wonderings") -> int:
    page.goto("/observations/new")
    page.get_by_label("Whose class are you visiting?").select_option(value=str(user_id(live_app, HOST)))
    page.get_by_label("Protocol").select_option(label=protocol)
    page.get_by_role("button", name="Start notes").click()
    page.wait_for_url(re.compile(r".*/observations/\d+$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def wait_saved(page):
    page.locator("#save-status", has_text="Saved").wait_for(timeout=10_000)


def server_note(live_app, observation_id):
    def read():
        slots = {
            s.name: s.value
            for s in db.session.scalars(select(NoteSlot).where(NoteSlot.observation_id == observation_id))
        }
        entries = db.session.scalars(
            select(EvidenceEntry)
            .where(EvidenceEntry.observation_id == observation_id, EvidenceEntry.deleted.is_(False))
            .order_by(EvidenceEntry.recorded_at)
        ).all()
        return slots, [slots.get(e.slot, "") for e in entries]

    return in_database(live_app, read)


def add_evidence(page, text):
    page.get_by_role("button", name="+ Evidence").tap()
    page.locator(".evidence-entry textarea").last.fill(text)


def photo_file(tmp_path) -> str:
    path = tmp_path / "board.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_notes_survive_going_offline_and_sync_once_each(phone, live_app, tmp_path):
    sign_in(phone, OBSERVER)
    observation_id = start_visit(phone, live_app)
    noticings = phone.get_by_role("textbox", name="I noticed…")
    noticings.fill("Students worked in pairs.")
    add_evidence(phone, "Pair 3 used a number line")
    add_evidence(phone, "Teacher asked: how do you know?")
    wait_saved(phone)
    phone.get_by_label("Add a photo").set_input_files(photo_file(tmp_path))
    phone.get_by_role("button", name="Upload photo").tap()
    phone.locator(".photo-grid img").wait_for()
    screenshot(phone, "note-editor-phone")

    phone.context.set_offline(True)
    noticings.fill("Students worked in pairs. Then they swapped roles.")
    add_evidence(phone, "Written while offline")
    phone.locator("#save-status", has_text="Offline — kept on this phone").wait_for(timeout=10_000)
    slots, entries = server_note(live_app, observation_id)
    assert slots["noticings"] == "Students worked in pairs." and len(entries) == 2

    phone.context.set_offline(False)
    wait_saved(phone)
    slots, entries = server_note(live_app, observation_id)
    assert slots["noticings"] == "Students worked in pairs. Then they swapped roles."
    assert entries == ["Pair 3 used a number line", "Teacher asked: how do you know?", "Written while offline"]
    assert in_database(live_app, lambda: len(db.session.get(Observation, observation_id).photos)) == 1

    phone.reload()
    assert (
        phone.get_by_role("textbox", name="I noticed…").input_value()
        == "Students worked in pairs. Then they swapped roles."
    )
    assert [t.input_value() for t in phone.locator(".evidence-entry textarea").all()] == entries
    check_phone_fit(phone)
    assert serious_violations(phone) == []


def test_typing_offline_then_reloading_offline_loses_nothing(phone, live_app):
    sign_in(phone, OBSERVER)
    observation_id = start_visit(phone, live_app)
    phone.get_by_role("textbox", name="I noticed…").fill("Before the tunnel.")
    wait_saved(phone)
    phone.context.set_offline(True)
    phone.get_by_role("textbox", name="I noticed…").fill("Before the tunnel. Inside the tunnel.")
    add_evidence(phone, "Kept on the phone")
    phone.locator("#save-status", has_text="Offline").wait_for()
    phone.context.set_offline(False)
    phone.reload()  # the page comes back from the server, which has only the first sentence...
    wait_saved(phone)  # ...and the phone's queue restores and sends the rest
    slots, entries = server_note(live_app, observation_id)
    assert slots["noticings"] == "Before the tunnel. Inside the tunnel."
    assert entries == ["Kept on the phone"]


def test_the_same_note_on_two_devices_keeps_both_sides(chromium, live_server, live_app):
    phone = new_tab(chromium, live_server)
    laptop = new_tab(chromium, live_server, viewport={"width": 1280, "height": 900})
    try:
        sign_in(phone, OBSERVER)
        sign_in(laptop, OBSERVER)
        observation_id = start_visit(phone, live_app)
        laptop.goto(f"/observations/{observation_id}")
        phone.get_by_role("textbox", name="I wonder…").fill("From the phone: why pairs?")
        wait_saved(phone)
        laptop.get_by_role("textbox", name="I wonder…").fill("From the laptop: who chose the groups?")
        wait_saved(laptop)
        slots, _ = server_note(live_app, observation_id)
        assert "From the phone: why pairs?" in slots["wonderings"]
        assert "From the laptop: who chose the groups?" in slots["wonderings"]
        assert laptop.get_by_role("textbox", name="I wonder…").input_value() == slots["wonderings"]
        phone.reload()
        assert phone.get_by_role("textbox", name="I wonder…").input_value() == slots["wonderings"]
    finally:
        phone.context.close()
        laptop.context.close()


def test_the_nudge_points_out_judgment_and_still_saves(phone, live_app):
    sign_in(phone, OBSERVER)
    observation_id = start_visit(phone, live_app)
    phone.get_by_role("textbox", name="I noticed…").fill("Great job with the boring worksheet")
    nudge = phone.locator("#nudge-noticings")
    nudge.locator("mark", has_text="Great job").wait_for()
    assert "boring" in nudge.inner_text()
    wait_saved(phone)
    assert server_note(live_app, observation_id)[0]["noticings"] == "Great job with the boring worksheet"


def test_sharing_and_the_hosts_view_on_a_phone(chromium, live_server, live_app):
    observer = new_tab(chromium, live_server)
    host = new_tab(chromium, live_server)
    try:
        sign_in(observer, OBSERVER)
        observation_id = start_visit(observer, live_app, protocol="Learning walk with look-fors")
        observer.get_by_role("radio", name="Seen").first.check()
        observer.locator(".tally").first.tap()
        observer.get_by_role("textbox", name="What students told us").fill("We're learning to compare fractions.")
        wait_saved(observer)
        assert serious_violations(observer) == []
        observer.get_by_role("link", name="Finish: reflect and share").tap()
        observer.wait_for_url("**/finish")
        check_phone_fit(observer)
        assert serious_violations(observer) == []
        observer.get_by_label("Your reflection").fill("I'll try the fraction strips.")
        observer.get_by_label("Share my notes").check()
        observer.get_by_role("button", name="Save").tap()
        observer.wait_for_url("**/observations/")

        sign_in(host, HOST)
        host.goto(f"/observations/{observation_id}")
        assert "We're learning to compare fractions." in host.content()
        assert "seen 1 time" in host.content()
        check_phone_fit(host)
        assert serious_violations(host) == []
        host.get_by_label("Your reply").fill("Thank you. Pairs next week.")
        host.get_by_role("button", name="Send your reply").tap()
        host.locator(".flash", has_text="reply is sent").wait_for()
    finally:
        observer.context.close()
        host.context.close()


def test_the_protocol_library_on_a_phone(phone):
    sign_in(phone, "sam.rivera@district.example")
    phone.goto("/protocols/")
    check_phone_fit(phone)
    assert serious_violations(phone) == []
    phone.get_by_role("link", name="Instructional rounds").tap()
    phone.wait_for_url(re.compile(r".*/protocols/\d+$"))
    check_phone_fit(phone)
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Make a copy to adapt").tap()
    phone.wait_for_url("**/edit")
    check_phone_fit(phone)
    assert serious_violations(phone) == []


def test_the_merge_library_loads_on_the_first_keystroke_not_before(phone, live_app):
    """It is half of the editor's script weight; a visitor who only reads their notes never needs it."""
    sign_in(phone, OBSERVER)
    start_visit(phone, live_app)
    loaded = "() => [...document.scripts].some(s => s.src.includes('diff_match_patch'))"
    assert phone.evaluate(loaded) is False
    phone.get_by_role("textbox", name="I noticed…").type("Students compared")
    wait_until(phone, "() => typeof window.diff_match_patch === 'function'")
    wait_saved(phone)
    assert phone.console_errors == []
