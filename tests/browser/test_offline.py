"""The phone as the app: installable, pages that open without signal, notes and photos made offline that
arrive exactly once, and a shared phone that forgets its person at sign-out."""

import re

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, new_tab, screenshot, sign_in, wait_until
from tests.browser.no_signal import lose_signal, regain_signal, unanswered
from tests.browser.test_notes import HOST, OBSERVER, in_database, photo_file, server_note, start_visit, user_id
from tests.browser.test_phone import check_phone_fit
from walkthrough.auth.models import User
from walkthrough.extensions import db
from walkthrough.observations import services
from walkthrough.observations.models import Observation, Photo
from walkthrough.offline import routes as offline_routes
from walkthrough.protocols.models import Protocol

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium, live_server):
    """A phone tab with the service worker, which these tests are about."""
    page = new_tab(chromium, live_server, service_worker=True)
    yield page
    page.context.close()


def worker_ready(page) -> None:
    """Until the service worker is active. (Not necessarily in charge of this page: a page that loaded while
    the worker was installing may stay its own until the next one, as in any browser.)"""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def wait_kept(page, path: str) -> None:
    """Until the service worker has a copy of path and has noted whose it is. (Looked up with a cache's name,
    never opened: opening a cache makes it.)"""
    wait_until(
        page,
        """path => Promise.all([
            caches.match(path, { cacheName: "walkthrough-person" }),
            caches.match("/__walkthrough/person", { cacheName: "walkthrough-meta" }).then(r => r && r.json()),
        ]).then(([copy, meta]) => !!copy && !!meta && !!meta.person)""",
        path,
    )


def test_walkthrough_is_installable_on_a_phone(chromium, live_server, tmp_path):
    # A profile on disk: Chromium never offers to install from an incognito window, which test tabs are.
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server, **PHONE
    )
    try:
        phone = context.new_page()
        sign_in(phone, OBSERVER)
        worker_ready(phone)
        manifest = phone.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
        assert manifest["display"] == "standalone" and manifest["short_name"] == "Walkthrough"
        assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
        session = context.new_cdp_session(phone)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        context.close()


def test_reloading_a_note_offline_shows_it_with_every_unsent_word(phone, live_app):
    sign_in(phone, OBSERVER)
    worker_ready(phone)
    observation_id = start_visit(phone, live_app)
    noticings = phone.get_by_role("textbox", name="I noticed…")
    noticings.fill("Before the signal went.")
    phone.locator("#save-status", has_text="Saved").wait_for(timeout=10_000)
    wait_kept(phone, f"/observations/{observation_id}")

    lose_signal(phone)
    noticings.fill("Before the signal went. Written with no signal.")
    phone.locator("#save-status", has_text="Offline").wait_for(timeout=10_000)
    phone.reload()
    noticings = phone.get_by_role("textbox", name="I noticed…")
    assert noticings.input_value() == "Before the signal went. Written with no signal."
    noticings.fill("Before the signal went. Written with no signal. And after reloading.")
    screenshot(phone, "offline-reloaded-note")

    phone.goto("/coverage/jobs")  # a page the phone doesn't keep
    assert phone.get_by_role("heading", name="You're offline").is_visible()
    screenshot(phone, "offline-page")
    assert phone.get_by_role("link", name="Notes: Jordan Lee").count() >= 1  # the note just started
    check_phone_fit(phone)

    regain_signal(phone)
    phone.goto(f"/observations/{observation_id}")
    phone.locator("#save-status", has_text="Saved").wait_for(timeout=10_000)
    slots, _ = server_note(live_app, observation_id)
    assert slots["noticings"] == "Before the signal went. Written with no signal. And after reloading."


def test_an_open_door_visit_started_offline_is_created_once_with_its_photos(phone, live_app, tmp_path):
    sign_in(phone, OBSERVER)
    phone.goto("/observations/new")
    worker_ready(phone)
    protocol_id = int(
        phone.get_by_label("Protocol").locator("option", has_text="Noticings and wonderings").get_attribute("value")
    )
    wait_kept(phone, f"/observations/draft/{protocol_id}")

    lose_signal(phone)
    phone.get_by_label("Whose class are you visiting?").select_option(value=str(user_id(live_app, HOST)))
    phone.get_by_label("Protocol").select_option(value=str(protocol_id))
    phone.get_by_role("button", name="Start notes").click()
    phone.wait_for_url(re.compile(r".*/observations/draft/\d+\?key=[0-9a-f]{32}$"))
    phone.get_by_role("heading", name="Visit to Jordan Lee").wait_for()
    phone.get_by_role("textbox", name="I noticed…").fill("Started in the stairwell with no signal.")
    phone.get_by_label("Add a photo").set_input_files(photo_file(tmp_path))
    phone.get_by_role("button", name="Upload photo").tap()
    phone.locator("#photos-waiting", has_text="1 photo waiting to upload").wait_for()
    phone.get_by_label("Add a photo").set_input_files(photo_file(tmp_path))
    phone.get_by_role("button", name="Upload photo").tap()
    phone.locator("#photos-waiting", has_text="2 photos waiting to upload").wait_for()
    phone.reload()  # offline: the draft comes from the phone, its typing and photos still there
    assert phone.get_by_role("textbox", name="I noticed…").input_value() == "Started in the stairwell with no signal."
    phone.locator("#photos-waiting", has_text="2 photos waiting to upload").wait_for()
    screenshot(phone, "offline-draft-note")
    key = phone.url.rsplit("key=", 1)[1]
    with_key = select(func.count(Observation.id)).where(Observation.client_key == key)
    assert in_database(live_app, lambda: db.session.scalar(with_key)) == 0, "created while offline"

    regain_signal(phone)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.locator("#save-status", has_text="Saved").wait_for(timeout=15_000)
    phone.locator("#photos-waiting").wait_for(state="hidden", timeout=15_000)
    phone.reload()  # online, the draft's address leads to the note itself
    phone.wait_for_url(re.compile(r".*/observations/\d+$"))
    observation_id = int(phone.url.rsplit("/", 1)[1])
    assert in_database(live_app, lambda: db.session.scalar(with_key)) == 1
    assert in_database(live_app, lambda: db.session.get(Observation, observation_id).client_key) == key
    slots, _ = server_note(live_app, observation_id)
    assert slots["noticings"] == "Started in the stairwell with no signal."
    photos = in_database(
        live_app, lambda: db.session.scalar(select(func.count(Photo.id)).where(Photo.observation_id == observation_id))
    )
    assert photos == 2
    assert phone.locator(".photo-grid img").count() == 2


def test_signing_out_leaves_nothing_of_the_person_on_the_phone(phone, live_app):
    sign_in(phone, OBSERVER)
    worker_ready(phone)
    wait_kept(phone, "/visits/mine")
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/auth/login")
    wait_until(
        phone,
        "caches.keys().then(names => !names.some(n => n === 'walkthrough-person' || n === 'walkthrough-meta'))",
        timeout_ms=10_000,
    )
    kept = phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('walkthrough:'))")
    assert kept == []


def test_a_new_release_takes_over_without_losing_unsent_words(phone, live_app, monkeypatch):
    sign_in(phone, OBSERVER)
    worker_ready(phone)
    observation_id = start_visit(phone, live_app)
    wait_kept(phone, f"/observations/{observation_id}")
    old_worker = phone.evaluate("caches.keys().then(names => names.filter(n => n.startsWith('walkthrough-static-')))")

    phone.context.route("**/changes", unanswered)  # the words can't be sent while the release arrives
    noticings = phone.get_by_role("textbox", name="I noticed…")
    noticings.fill("Typed just before the update.")
    phone.locator("#save-status", has_text="Offline").wait_for(timeout=10_000)

    monkeypatch.setattr(offline_routes, "SHELL_FILES", [*offline_routes.SHELL_FILES, "icons/icon-512.png"])
    phone.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    wait_until(  # the new worker's files are kept and it has taken over (its activation's refresh is done)
        phone,
        """old => caches.keys()
            .then(names => names.some(n => n.startsWith('walkthrough-static-') && !old.includes(n)))
            .then(kept => kept && navigator.serviceWorker.getRegistration())
            .then(r => !!r && !r.installing && !r.waiting && !!r.active && r.active.state === 'activated')""",
        old_worker,
    )
    assert noticings.input_value() == "Typed just before the update."

    lose_signal(phone)
    phone.reload()  # the new worker serves the kept page; the words are still on the phone
    assert phone.get_by_role("textbox", name="I noticed…").input_value() == "Typed just before the update."
    regain_signal(phone)
    phone.context.unroute("**/changes", unanswered)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.locator("#save-status", has_text="Saved").wait_for(timeout=15_000)
    slots, _ = server_note(live_app, observation_id)
    assert slots["noticings"] == "Typed just before the update."


def test_the_observer_reads_the_hosts_reply_on_the_note_page(phone, live_app):
    def shared_and_answered():
        observer, host = (db.session.scalar(select(User).where(User.email == e)) for e in (OBSERVER, HOST))
        protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "noticings-wonderings"))
        note = services.start_observation(observer=observer, host=host, protocol=protocol)
        services.share(observation=note, actor=observer, with_host=True, coach=None, reflection="Pairs helped.")
        services.reply(observation=note, actor=host, text="Thank you: the pairs were new this week.")
        db.session.commit()
        return note.id

    observation_id = in_database(live_app, shared_and_answered)
    sign_in(phone, OBSERVER)
    phone.goto(f"/observations/{observation_id}")
    reply = phone.get_by_role("region", name="Jordan's reply")
    assert "the pairs were new this week" in reply.inner_text()
    shown = phone.locator("#visit-timer").inner_text()
    phone.wait_for_timeout(1500)
    assert phone.locator("#visit-timer").inner_text() == shown  # a finished visit's timer has stopped
    check_phone_fit(phone)


def test_the_next_person_on_a_shared_phone_never_gets_the_last_ones_pages(phone, live_app):
    sign_in(phone, OBSERVER)
    worker_ready(phone)
    observation_id = start_visit(phone, live_app)
    wait_kept(phone, f"/observations/{observation_id}")
    phone.context.clear_cookies()  # the session ended without "Sign out" (expired, or cookies cleared)
    sign_in(phone, HOST)
    wait_until(
        phone,
        """path => caches.match(path, { cacheName: "walkthrough-person" }).then(r => !r)""",
        f"/observations/{observation_id}",
    )
    lose_signal(phone)
    phone.goto(f"/observations/{observation_id}")
    assert phone.get_by_role("heading", name="You're offline").is_visible()
    regain_signal(phone)
