"""Markup typed into any field never runs: every human-written text column of the demo district gets
a payload, then Chromium crawls every page four kinds of user can reach and looks for it live."""

from collections import deque
from urllib.parse import urlparse

import pytest
from sqlalchemy import String, Text, text

from tests.browser.conftest import demo_app, new_tab, serving, sign_in
from walkthrough.extensions import db

pytestmark = pytest.mark.browser

SHORT = "<img src=x onerror=owned=1>"  # fits a 40-character room number
LONG = SHORT + "<script>window.owned=1</script><svg onload=owned=1></svg>\"'><b id=injected>"
# Every text column people write in. A new text column must be added here or to MACHINE_TEXT.
HUMAN_TEXT = {
    "calendar_days": ["name"],
    "special_period_times": ["schedule"],
    "schools": ["name", "region", "address"],
    "bell_periods": ["name"],
    "users": ["name", "subjects"],
    "cohorts": ["name", "region"],
    "learning_entries": ["title", "place"],
    "period_assignments": ["course", "room"],
    "protocols": ["name", "purpose", "before", "during", "after"],
    "coaching_activities": ["notes", "next_step"],
    "coaching_cycles": ["focus"],
    "cohort_meetings": ["place", "topic"],
    "cohort_members": ["plan_name"],
    "growth_goals": ["text"],
    "visit_slots": ["room", "focus_question", "note_for_visitors"],
    "goal_evidence": ["label", "url"],
    "meeting_attendance": ["reflection"],
    "observations": ["focus_question", "host_reply"],
    "note_slots": ["value"],
    "photos": ["caption"],
    "coverage_requests": ["room", "course", "notes", "plan_name"],
    "roster_uploads": ["filename"],
    "do_not_send": ["reason"],
    "absence_reasons": ["label", "account_code"],
    "cover_verifications": ["note"],
    "substitute_profiles": ["certifications", "languages"],
    "walk_tools": ["name", "purpose", "goal"],
    "walks": ["focus"],
    "walk_classrooms": ["evidence"],
    "walk_summaries": ["noticed", "wondered"],
    "required_trainings": ["title", "description"],
    "surveys": ["title", "intro"],
    "survey_questions": ["prompt"],
    "survey_answers": ["choice", "text"],
    "toolkit_resources": ["title", "summary", "body", "link"],
    "toolkit_tags": ["tag"],
    "showcase_items": ["title", "excerpt"],
}
MACHINE_TEXT = {  # identifiers, enums, tokens, file names we chose, and mail we sent
    "rollup_stale": {"kind"},  # "school" or "person"
    "outbox_messages": {"recipient", "subject", "body", "kind", "mime", "message_id", "status", "error", "calendar"},
    "sent_nudges": {"kind", "key"},
    "notification_settings": {"muted"},
    "worker_beats": {"name"},
    "sso_identities": {"issuer", "subject"},
    "absence_reasons": {"key"},
    "cover_verifications": {"basis", "reasons"},
    "substitute_profiles": {"preferred_schools"},
    "schools": {"level", "timezone", "rotation"},
    "bell_periods": {"days"},
    "users": {"email", "password_hash", "link_nonce", "grade_band", "calendar_token"},
    "device_sessions": {"token_hash", "user_agent", "address"},
    "audit_events": {"actor_email", "action"},
    "cohorts": {"level"},
    "learning_entries": {"kind", "setting"},
    "period_assignments": {"kind"},
    "protocols": {"slug"},
    "role_grants": {"role"},
    "roster_uploads": {"content"},
    "coaching_activities": {"kind"},
    "coaching_cycles": {"phase"},
    "cohort_meetings": {"mode"},
    "cohort_members": {"plan_file"},
    "growth_goals": {"status"},
    "visit_slots": {"series_key"},
    "applied_changes": {"key"},
    "evidence_entries": {"field_key", "client_id"},
    "note_slots": {"name"},
    "photos": {"field_key", "stored_name", "client_key"},
    "observations": {"client_key"},
    "calendar_days": {"kind", "day_type"},  # 32 hex characters made by a phone, checked before they are stored
    "signups": {"status"},
    "coverage_requests": {"reason", "plan_file", "status"},
    "walk_tools": {"slug"},
    "walks": {"kind"},
    "walk_classrooms": {"client_key", "grade_band", "subject_area"},  # the last two from fixed lists
    "walk_marks": {"look_for_key", "state"},
    "required_trainings": {"audience"},
    "surveys": {"kind", "audience"},
    "survey_questions": {"kind"},
    "survey_responses": {"id"},  # random hex we made
    "survey_answers": {"response_id"},
    "toolkit_resources": {"kind"},
}
PEOPLE = [
    "maya.ortiz@district.example",  # teacher
    "jordan.lee@district.example",  # teacher and coach
    "dana.whitfield@district.example",  # district admin
    "alex.kim@district.example",  # substitute
]
LIVE_PAYLOAD = """() => ({
  owned: window.owned !== undefined,
  elements: document.querySelectorAll(
    'img[src="x"], #injected, svg[onload], script:not([src]), a[href^="javascript" i]').length,
  title: document.title,
  shownAsText: document.body.innerText.includes('<img src=x onerror=owned=1>'),
})"""


def _plant_payloads() -> int:
    planted = 0
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text) or column.name in MACHINE_TEXT.get(table.name, ()):
                continue
            assert column.name in HUMAN_TEXT.get(table.name, []), f"classify {table.name}.{column.name}"
            length = getattr(column.type, "length", None)
            payload = "javascript:owned=1//" + SHORT if column.name in ("url", "link") else LONG
            value = payload if length is None or length >= len(payload) + 8 else SHORT
            # Each row's own key keeps unique names unique.
            key = next(iter(table.primary_key.columns)).name
            result = db.session.execute(
                text(f"UPDATE {table.name} SET {column.name} = :v || CAST({key} AS TEXT)"), {"v": value}
            )
            planted += result.rowcount
    db.session.commit()
    return planted


@pytest.fixture(scope="module")
def injected_server(tmp_path_factory):
    app = demo_app(f"sqlite:///{tmp_path_factory.mktemp('injection') / 'injected.sqlite'}")
    with app.app_context():
        assert _plant_payloads() > 1000
    with serving(app) as base:
        yield base


def _links(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")


def _worth_visiting(href: str) -> bool:
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return False
    return not parsed.path.endswith((".csv", ".xlsx", ".pdf", ".zip", ".ics")) and "/static/" not in parsed.path


@pytest.mark.parametrize("who", PEOPLE)
def test_no_planted_markup_runs_on_any_page(chromium, injected_server, who):
    page = new_tab(chromium, injected_server, viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, who, password="walkthrough-demo")
    seen, queue, shown = set(), deque(["/"]), 0
    while queue and len(seen) < 60:
        path = queue.popleft()
        key = urlparse(path).path
        if key in seen:
            continue
        seen.add(key)
        page.goto(path)
        found = page.evaluate(LIVE_PAYLOAD)
        assert not found["owned"] and found["elements"] == 0 and found["title"] != "owned", (path, found)
        shown += found["shownAsText"]
        queue.extend(href for href in _links(page) if _worth_visiting(href))
    assert dialogs == []
    assert len(seen) >= 8, seen
    assert shown >= len(seen) // 2, "the planted text should be on most pages, shown as text"
    page.context.close()
