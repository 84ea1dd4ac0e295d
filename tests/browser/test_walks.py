"""A team of two walks a building on their phones: each records classrooms in a few taps, one of them
without signal (the page reloaded from the phone), and every classroom arrives once. Then the walk's
building-level results appear, with nothing in them about a teacher."""

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import new_tab, screenshot, sign_in
from tests.browser.no_signal import lose_signal, regain_signal
from tests.browser.test_notes import in_database, user_id
from tests.browser.test_offline import wait_kept, worker_ready
from tests.browser.test_phone import check_phone_fit
from walkthrough.extensions import db
from walkthrough.walks.models import Walk, WalkClassroom

pytestmark = pytest.mark.browser

TEACHER = "maya.ortiz@district.example"
TEACHER_COACH = "jordan.lee@district.example"


def _walk_now(live_app) -> tuple[int, list[str]]:
    walk = in_database(
        live_app, lambda: db.session.scalar(select(Walk).where(Walk.focus == "Students asking their own questions"))
    )
    return walk.id, [item["text"] for item in walk.look_fors]


def _recorded_by(live_app, email: str, walk_id: int) -> int:
    walker = user_id(live_app, email)
    query = select(func.count(WalkClassroom.id)).where(
        WalkClassroom.walk_id == walk_id, WalkClassroom.walker_id == walker
    )
    return in_database(live_app, lambda: db.session.scalar(query))


def _record(page, look_fors: list[str], seen: int, grade_band: str = "6-8", evidence: str = "") -> None:
    """A classroom in a few taps: a grade band, each look-for seen or not, maybe a line of evidence."""
    page.get_by_label("Grade band").select_option(grade_band)
    for n, text in enumerate(look_fors[:4]):
        group = page.get_by_role("group", name=text)
        group.get_by_text("Seen" if n < seen else "Not seen", exact=True).tap()
    if evidence:
        page.get_by_label("Your evidence").fill(evidence)
    page.get_by_role("button", name="Save this classroom").tap()


def test_a_team_of_two_records_classrooms_one_of_them_offline(chromium, live_server, live_app):
    walk_id, look_fors = _walk_now(live_app)
    capture = f"/walks/{walk_id}/capture"

    maya = new_tab(chromium, live_server, service_worker=True)
    sign_in(maya, TEACHER)
    maya.get_by_role("link", name="Record a classroom: Students asking their own questions").tap()
    maya.wait_for_url(f"**{capture}")
    worker_ready(maya)
    wait_kept(maya, capture)
    check_phone_fit(maya)
    screenshot(maya, "walk-capture")
    _record(maya, look_fors, seen=3, evidence="Pairs wrote questions on sticky notes.")
    maya.locator("#capture-status", has_text="recorded 1 classroom").wait_for()
    assert maya.get_by_label("Your evidence").input_value() == ""  # a clean form for the next room
    _record(maya, look_fors, seen=1)
    maya.locator("#capture-status", has_text="recorded 2 classrooms").wait_for()

    lose_signal(maya)
    maya.reload()  # no signal: the capture page comes from the phone
    maya.get_by_role("heading", name="Record a classroom").wait_for()
    _record(maya, look_fors, seen=4, grade_band="3-5", evidence="Written in the stairwell.")
    maya.locator("#capture-status", has_text="1 classroom is saved on this phone").wait_for()
    screenshot(maya, "walk-capture-offline")
    assert _recorded_by(live_app, TEACHER, walk_id) == 2, "sent while offline"

    jordan = new_tab(chromium, live_server)
    sign_in(jordan, TEACHER_COACH)
    jordan.goto(capture)
    for seen in (2, 4):
        _record(jordan, look_fors, seen=seen)
    jordan.locator("#capture-status", has_text="recorded 2 classrooms").wait_for()

    regain_signal(maya)
    maya.evaluate("window.dispatchEvent(new Event('online'))")
    maya.locator("#capture-status", has_text="recorded 3 classrooms").wait_for(timeout=15_000)
    assert "saved on this phone" not in maya.locator("#capture-status").inner_text()
    assert _recorded_by(live_app, TEACHER, walk_id) == 3
    assert _recorded_by(live_app, TEACHER_COACH, walk_id) == 2

    # Five classrooms: the building's figures show, with the walker's evidence on her list only.
    maya.goto(f"/walks/{walk_id}")
    maya.get_by_role("heading", name="All classrooms (5)").wait_for()
    assert maya.get_by_text("Written in the stairwell.").is_visible()
    check_phone_fit(maya)
    screenshot(maya, "walk-results")
    jordan.goto(f"/walks/{walk_id}")
    jordan.get_by_role("heading", name="All classrooms (5)").wait_for()
    assert jordan.get_by_text("Written in the stairwell.").count() == 0
    maya.context.close()
    jordan.context.close()
