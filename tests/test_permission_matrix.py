"""Every route × every kind of user, with the answer each should get.

The table below is checked against the URL map, so a new route without an entry fails the suite.
Requests carry real ids from `permission_world` (and for state changes, form data that would work
for the right person), so the table is also the object-level check: the same request from the wrong
person is refused and changes nothing in the database."""

from datetime import date

import pytest

from tests.permission_world import KINDS, build_world, database_fingerprint, sign_in_as, url_in_world
from tests.test_access import PUBLIC_ENDPOINTS
from walkthrough.extensions import db

SIGNED_IN = frozenset(KINDS) - {"anonymous"}
TEACHERS = frozenset({"teacher", "host", "observer"})
COACHES = frozenset({"coach", "other_coach"})
ADMINS = frozenset({"school_admin", "other_admin", "district_admin"})
SCHOOL_A_ADMINS = frozenset({"school_admin", "district_admin"})
NOTE_READERS = frozenset({"observer", "host", "coach"})  # the notes are shared with the host and the coach
COHORT_MEMBERS = frozenset({"observer", "host"})
STAFF = TEACHERS | COACHES | ADMINS  # everyone but substitutes  # the host leads the cohort
SCHOOL_A_STAFF = TEACHERS | COACHES | frozenset({"school_admin"})  # asked by the world's survey
SURVEY_WRITERS = COACHES | ADMINS | frozenset({"host"})  # the host leads a cohort: exit slips for its meetings


def _ids(*names):
    return lambda ids: {name: ids[name] for name in names}


# (endpoint, method): (who gets an answer, form data that would work for them)
MATRIX = {
    ("admin.add_period", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"name": "P9", "starts_at": "14:00", "ends_at": "14:50", "days": ["mon"]},
    ),
    ("admin.audit_log", "GET"): (ADMINS, None),
    ("admin.calendar", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.calendar_ics", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.close", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.reopen", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.calendar_preview", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.calendar_import", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.save_schedule", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.delete_period", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.email", "GET"): (ADMINS, None),
    ("admin.retry_email", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.depart", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.depart", "POST"): (SCHOOL_A_ADMINS, lambda i: {"confirm_name": "Omar Observer"}),
    ("admin.send_data_copy", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.edit_period", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.edit_period", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"name": "Second", "starts_at": "09:00", "ends_at": "09:50", "days": ["mon"]},
    ),
    ("admin.invite_person", "GET"): (ADMINS, None),
    ("admin.invite_person", "POST"): (ADMINS, None),
    ("admin.new_school", "GET"): (frozenset({"district_admin"}), None),
    ("admin.new_school", "POST"): (frozenset({"district_admin"}), None),
    ("admin.people", "GET"): (ADMINS, None),
    ("admin.person", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.person", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {
            "name": "Renamed",
            "email": "renamed@school.example",
            "roles": ["admin"],
            "school_id": i["school"],
            "active": "y",
        },
    ),
    ("admin.resend_invitation", "POST"): (SCHOOL_A_ADMINS, None),
    ("admin.roster_preview", "GET"): (frozenset({"school_admin"}), None),
    ("admin.roster_preview", "POST"): (frozenset({"school_admin"}), None),
    ("admin.roster_sample", "GET"): (ADMINS, None),
    ("admin.roster_upload", "GET"): (ADMINS, None),
    ("admin.roster_upload", "POST"): (ADMINS, None),
    ("admin.school", "GET"): (SCHOOL_A_ADMINS, None),
    ("admin.school", "POST"): (SCHOOL_A_ADMINS, lambda i: {"name": "Taken Over", "timezone": "UTC"}),
    ("admin.schools", "GET"): (ADMINS, None),
    ("auth.logout", "POST"): (SIGNED_IN, None),
    ("coaching.add_coachee", "POST"): (COACHES, _ids("teacher")),
    ("coaching.accept_coach", "POST"): (frozenset({"observer"}), None),  # only the teacher answers a coach
    ("coaching.decline_coach", "POST"): (frozenset({"observer"}), None),
    ("coaching.add_evidence", "POST"): (
        frozenset({"coach", "observer"}),
        lambda i: {"label": "Lesson plan", "url": "https://example.org/p"},
    ),
    ("coaching.add_goal", "POST"): (frozenset({"coach", "observer"}), lambda i: {"text": "Wait time"}),
    ("coaching.caseload_page", "GET"): (COACHES, None),
    ("coaching.delete_activity", "POST"): (frozenset({"coach"}), None),
    ("coaching.delete_evidence", "POST"): (frozenset({"coach", "observer"}), None),
    ("coaching.export_caseload", "GET"): (COACHES, None),
    ("coaching.find", "GET"): (COACHES, None),
    ("coaching.log_activity", "POST"): (
        frozenset({"coach"}),
        lambda i: {"kind": "planning", "minutes": "20", "notes": "Planned"},
    ),
    ("coaching.move_cycle", "POST"): (frozenset({"coach"}), lambda i: {"phase": "observe"}),
    ("coaching.my_record", "GET"): (SIGNED_IN, None),
    ("coaching.record", "GET"): (frozenset({"coach", "observer"}), None),
    ("coaching.remove_coachee", "POST"): (frozenset({"coach"}), None),
    ("coaching.share_activity", "POST"): (frozenset({"coach"}), lambda i: {"shared": "y"}),
    ("coaching.start_cycle", "POST"): (frozenset({"coach"}), lambda i: {"focus": "Questions"}),
    ("coaching.update_goal", "POST"): (
        frozenset({"coach", "observer"}),
        lambda i: {"text": "Changed", "status": "met"},
    ),
    ("cohorts.add_member", "POST"): (frozenset({"district_admin"}), lambda i: {"user_id": i["teacher"]}),
    ("cohorts.cohort", "GET"): (COHORT_MEMBERS | ADMINS, None),  # admins see attendance and counts, not reflections
    ("cohorts.cohort_settings", "POST"): (
        frozenset({"district_admin"}),
        lambda i: {"name": "Renamed", "level": "middle", "meetings_required": "2", "hours_required": "2"},
    ),
    ("cohorts.cohorts", "GET"): (SIGNED_IN, None),
    ("cohorts.create_cohort", "POST"): (
        frozenset({"district_admin"}),
        lambda i: {"name": "Another", "level": "middle", "meetings_required": "2", "hours_required": "2"},
    ),
    ("cohorts.delete_learning", "POST"): (frozenset({"observer"}), None),
    ("cohorts.growth_plan", "GET"): (COHORT_MEMBERS, None),
    ("cohorts.learning", "GET"): (TEACHERS, None),
    ("cohorts.log_learning", "POST"): (TEACHERS, None),
    ("cohorts.record_attendance", "POST"): (
        frozenset({"host", "district_admin"}),
        lambda i: {"present": [i["observer"]]},
    ),
    ("cohorts.remove_member", "POST"): (frozenset({"district_admin"}), None),
    ("cohorts.schedule_meeting", "POST"): (
        frozenset({"host", "district_admin"}),
        lambda i: {"day": "2026-12-01", "mode": "virtual", "topic": "x"},
    ),
    ("cohorts.upload_plan", "POST"): (COHORT_MEMBERS, None),
    ("cohorts.write_reflection", "POST"): (COHORT_MEMBERS, lambda i: {"text": "We talked about goals"}),
    ("coverage.accept", "POST"): (frozenset({"substitute"}), lambda i: {"request_id": [i["cover"]]}),
    ("coverage.add_plans", "POST"): (frozenset({"observer"}), lambda i: {"notes": "Changed plans"}),
    ("coverage.add_to_pool", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"substitute_id": i["substitute"], "school_id": i["school"]},
    ),
    ("coverage.assign", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"request_id": [i["cover"]], "cover_id": i["substitute"], "school_id": i["school"]},
    ),
    ("coverage.board", "GET"): (ADMINS, None),
    ("coverage.substitutes", "GET"): (ADMINS, None),  # each admin's own school
    ("coverage.reasons_page", "GET"): (frozenset({"district_admin"}), None),
    ("coverage.save_reason", "POST"): (frozenset({"district_admin"}), lambda i: {"new-label": "Mentoring"}),
    ("coverage.decide_request", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"request_id": [i["cover"]], "school_id": i["school"], "decision": "approve"},
    ),
    ("coverage.verify_page", "GET"): (ADMINS, None),
    ("coverage.verify", "POST"): (ADMINS, None),
    ("coverage.payroll_csv", "GET"): (ADMINS, None),
    ("coverage.payroll_xlsx", "GET"): (ADMINS, None),
    ("coverage.prefer_substitute", "POST"): (ADMINS, None),
    ("coverage.stop_preferring", "POST"): (ADMINS, None),  # only their school's preferences
    ("coverage.block_substitute", "POST"): (ADMINS, None),
    ("coverage.unblock_substitute", "POST"): (ADMINS, None),
    ("coverage.add_day_off", "POST"): (frozenset({"substitute"}), None),
    ("coverage.save_profile", "POST"): (frozenset({"substitute"}), lambda i: {"subjects": "Math"}),
    ("coverage.remove_day_off", "POST"): (frozenset({"substitute"}), None),  # only their own
    ("coverage.acknowledge", "POST"): (frozenset(), None),  # the world's cover has nobody assigned to answer
    ("coverage.decline", "POST"): (frozenset(), None),
    ("coverage.board_csv", "GET"): (ADMINS, None),
    ("coverage.board_print", "GET"): (ADMINS, None),
    ("coverage.find_substitutes", "GET"): (ADMINS, None),
    ("coverage.decide", "POST"): (
        SCHOOL_A_ADMINS,
        lambda i: {"signup_id": i["signup"], "decision": "approve", "school_id": i["school"]},
    ),
    ("coverage.jobs", "GET"): (TEACHERS | {"substitute"}, None),
    ("coverage.plan_file", "GET"): (frozenset({"observer"}) | SCHOOL_A_ADMINS, None),
    ("coverage.release", "POST"): (SCHOOL_A_ADMINS, lambda i: {"request_id": [i["cover"]], "school_id": i["school"]}),
    ("coverage.report", "GET"): (ADMINS, None),
    ("coverage.report_csv", "GET"): (ADMINS, None),
    ("coverage.request_cover", "GET"): (TEACHERS, None),
    ("coverage.request_cover", "POST"): (TEACHERS, None),
    ("coverage.withdraw", "POST"): (frozenset({"observer"}), None),
    ("home.account", "GET"): (SIGNED_IN, None),
    ("home.account", "POST"): (SIGNED_IN, None),
    ("home.index", "GET"): (SIGNED_IN, None),
    ("home.sign_out_device", "POST"): (SIGNED_IN, None),  # someone else's device id changes nothing
    ("home.sign_out_other_devices", "POST"): (SIGNED_IN, None),
    ("observations.add_photo", "POST"): (frozenset({"observer"}), None),
    ("observations.draft", "GET"): (TEACHERS | COACHES, None),
    ("observations.start_offline", "POST"): (TEACHERS | COACHES, None),
    ("offline.offline_page", "GET"): (SIGNED_IN, None),
    ("offline.today", "GET"): (SIGNED_IN, None),
    ("observations.finish", "GET"): (frozenset({"observer"}), None),
    ("observations.finish", "POST"): (
        frozenset({"observer"}),
        lambda i: {"reflection": "Changed", "share_with_host": ""},
    ),
    ("observations.mine", "GET"): (SIGNED_IN, None),
    ("observations.photo", "GET"): (NOTE_READERS, None),
    ("observations.remove_photo", "POST"): (frozenset({"observer"}), None),
    ("observations.reply", "POST"): (frozenset({"host"}), lambda i: {"reply": "Thank you"}),
    ("observations.save_changes", "POST"): (frozenset({"observer"}), None),
    ("observations.start", "GET"): (TEACHERS | COACHES, None),  # coaches visit classrooms too
    ("observations.start", "POST"): (TEACHERS | COACHES, None),
    ("observations.thumbnail", "GET"): (NOTE_READERS, None),
    ("observations.view", "GET"): (NOTE_READERS, None),
    ("protocols.archive", "POST"): (frozenset({"coach"}) | ADMINS, None),
    ("protocols.copy", "POST"): (COACHES | ADMINS, None),
    ("protocols.detail", "GET"): (SIGNED_IN, None),
    ("protocols.edit", "GET"): (frozenset({"coach"}) | ADMINS, None),
    ("protocols.edit", "POST"): (frozenset({"coach"}) | ADMINS, lambda i: {"name": "Taken"}),
    ("protocols.library", "GET"): (SIGNED_IN, None),
    ("reports.dashboard", "GET"): (ADMINS, None),
    ("reports.my_data", "POST"): (SIGNED_IN, None),
    ("reports.my_year", "GET"): (TEACHERS, None),
    ("reports.my_year_pdf", "GET"): (TEACHERS, None),
    ("reports.summary_export", "GET"): (ADMINS, None),
    ("visits.book_for", "POST"): (COACHES, lambda i: {"observer_id": i["teacher"]}),
    ("visits.browse", "GET"): (SIGNED_IN, None),
    ("visits.cancel", "POST"): (frozenset({"observer", "coach"}), None),  # the coach booked it
    ("visits.cancel_slot", "POST"): (frozenset({"host"}), None),
    ("visits.change", "POST"): (frozenset({"host"}), lambda i: {"capacity": "5", "room": "99"}),
    ("visits.decline", "POST"): (frozenset({"observer"}), None),
    ("visits.mine", "GET"): (SIGNED_IN, None),
    ("visits.new_calendar_address", "POST"): (SIGNED_IN, None),
    ("visits.open_classroom", "GET"): (TEACHERS, None),
    ("visits.open_classroom", "POST"): (TEACHERS, None),
    ("visits.pair", "GET"): (COACHES, None),
    ("visits.pair", "POST"): (COACHES, None),
    ("visits.sign_up", "POST"): (TEACHERS, None),
    ("visits.slot", "GET"): (SIGNED_IN, None),
    ("visits.start_notes", "POST"): (frozenset({"observer"}), None),
    ("visits.draft_notes", "GET"): (frozenset({"observer"}), None),
    ("visits.start_notes_offline", "POST"): (frozenset({"observer"}), None),
    ("showcase.gallery", "GET"): (STAFF, None),
    ("showcase.item", "GET"): (STAFF, None),
    ("showcase.photo", "GET"): (STAFF, None),
    ("showcase.propose", "GET"): (frozenset({"observer"}), None),
    ("showcase.create", "POST"): (frozenset({"observer"}), lambda i: {"title": "T", "excerpt": "E", "agree": "y"}),
    ("showcase.consent", "POST"): (frozenset({"host", "observer"}), None),  # only the host's counts
    ("showcase.decline", "POST"): (frozenset({"host", "observer"}), None),
    ("showcase.withdraw", "POST"): (frozenset({"host", "observer"}), None),
    ("trainings.trainings", "GET"): (ADMINS, None),
    ("trainings.create", "POST"): (
        ADMINS,
        lambda i: {
            "title": "T",
            "hours": "1",
            "due_on": "2030-01-01",
            "school_id": i["school"],
            "audience": "teachers",
        },
    ),
    ("trainings.training", "GET"): (ADMINS, None),
    ("trainings.update", "POST"): (
        frozenset({"district_admin"}),  # a district-wide training
        lambda i: {"title": "T", "hours": "1", "due_on": "2030-01-01", "school_id": "0", "audience": "teachers"},
    ),
    ("trainings.report", "GET"): (ADMINS, None),
    ("trainings.report_csv", "GET"): (ADMINS, None),
    ("trainings.report_xlsx", "GET"): (ADMINS, None),
    ("trainings.certificate", "GET"): (TEACHERS, None),
    ("toolkit.library", "GET"): (SIGNED_IN, None),
    ("toolkit.resource", "GET"): (SIGNED_IN, None),
    ("toolkit.new", "GET"): (COACHES | ADMINS, None),
    ("toolkit.create", "POST"): (COACHES | ADMINS, lambda i: {"title": "Guide", "kind": "guide"}),
    ("toolkit.edit", "GET"): (COACHES | ADMINS, None),
    ("toolkit.save", "POST"): (COACHES | ADMINS, lambda i: {"title": "Guide", "kind": "guide"}),
    ("toolkit.delete", "POST"): (COACHES | ADMINS, None),
    ("surveys.surveys", "GET"): (STAFF, None),
    ("surveys.new_survey", "GET"): (SURVEY_WRITERS, None),
    ("surveys.create_survey", "POST"): (
        SURVEY_WRITERS,
        lambda i: {"title": "Needs", "kind": "needs_assessment", "audience": f"school:{i['school']}"},
    ),
    ("surveys.survey", "GET"): (SCHOOL_A_ADMINS, None),
    ("surveys.rate", "GET"): (SCHOOL_A_ADMINS, None),
    ("surveys.add_question", "POST"): (SCHOOL_A_ADMINS, lambda i: {"kind": "text", "prompt": "What else?"}),
    ("surveys.remove_question", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.send", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.close", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.remind", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.copy", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.share", "POST"): (SCHOOL_A_ADMINS, None),
    ("surveys.results", "GET"): (SCHOOL_A_ADMINS, None),  # not shared back yet
    ("surveys.results_csv", "GET"): (SCHOOL_A_ADMINS, None),
    ("surveys.results_xlsx", "GET"): (SCHOOL_A_ADMINS, None),
    ("surveys.answer", "GET"): (SCHOOL_A_STAFF, None),
    ("surveys.submit_answer", "POST"): (SCHOOL_A_STAFF, lambda i: {f"q{i['question']}": "4"}),
    ("walks.walks", "GET"): (STAFF, None),
    ("walks.tool_library", "GET"): (STAFF, None),
    ("walks.copy_tool", "POST"): (COACHES | ADMINS, None),
    ("walks.edit_tool", "GET"): (frozenset({"coach"}) | ADMINS, None),
    ("walks.edit_tool", "POST"): (frozenset({"coach"}) | ADMINS, lambda i: {"name": "Ours", "look_fors": "One"}),
    ("walks.new_walk", "GET"): (COACHES | ADMINS, None),
    ("walks.new_walk", "POST"): (
        COACHES | ADMINS,
        lambda i: {
            "kind": "blast",
            "tool_id": i["walk_tool_builtin"],
            "focus": "Questions",
            "starts_on": date.today().isoformat(),
            "ends_on": date.today().isoformat(),
            "team": [i["coach"]],
        },
    ),
    ("walks.walk", "GET"): (TEACHERS | COACHES | SCHOOL_A_ADMINS, None),
    ("walks.cancel", "POST"): (COACHES | SCHOOL_A_ADMINS, None),
    ("walks.change_team", "GET"): (COACHES | SCHOOL_A_ADMINS, None),
    ("walks.change_team", "POST"): (COACHES | SCHOOL_A_ADMINS, lambda i: {"team": [i["coach"], i["teacher"]]}),
    ("walks.save_summary", "POST"): (
        frozenset({"observer"}) | COACHES | SCHOOL_A_ADMINS,
        lambda i: {"noticed": "Talk in most rooms", "action": "save"},
    ),
    ("walks.capture", "GET"): (frozenset({"coach", "observer"}), None),
    ("walks.record_classroom", "POST"): (
        frozenset({"coach", "observer"}),
        lambda i: {"client_key": "matrix", f"mark-{i['look_for']}": "seen"},
    ),
    ("walks.delete_classroom", "POST"): (frozenset({"observer"}), None),
    ("walks.school_results", "GET"): (STAFF, None),
    ("walks.compare", "GET"): (frozenset({"district_admin"}), None),
    ("walks.export", "GET"): (frozenset({"district_admin"}), None),  # scope "compare": the district's schools
}


def test_every_route_has_an_entry_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - MATRIX.keys() == set(), "new routes need an entry in MATRIX"
    assert MATRIX.keys() - routes == set(), "routes that no longer exist"


def _ask(app, world, kind, endpoint, method, data_for, headers=None):
    client = app.test_client()
    if kind != "anonymous":
        sign_in_as(client, world.people[kind])
    url = url_in_world(app, endpoint, world.ids)
    data = data_for(world.ids) if data_for else {}
    response = client.open(url, method=method, data=data if method == "POST" else None, headers=headers or {})
    response.close()
    db.session.expire_all()
    return response


def _was_allowed(endpoint, response) -> bool:
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return False
    signed_out = response.status_code == 302 and response.location.startswith("/auth/login")
    return endpoint == "auth.logout" or not signed_out


@pytest.fixture
def world(app, make_school, make_user):
    return build_world(make_school, make_user)


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_everyone_else_is_refused_and_changes_nothing(shared_app, same_world, endpoint, method):
    app, world = shared_app, same_world
    allowed, data_for = MATRIX[(endpoint, method)]
    before = database_fingerprint()
    for kind in KINDS:
        if kind in allowed:
            continue
        response = _ask(app, world, kind, endpoint, method, data_for)
        htmx = _ask(app, world, kind, endpoint, method, data_for, headers={"HX-Request": "true"})
        assert database_fingerprint() == before, f"{kind}'s refused {method} changed the database"
        if kind == "anonymous":
            assert response.status_code == 302 and response.location.startswith("/auth/login"), response.status_code
            assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/auth/login")
        else:
            assert response.status_code in (403, 404), (kind, response.status_code)
            assert htmx.status_code in (403, 404), (kind, "htmx", htmx.status_code)


READS = sorted(key for key in MATRIX if key[1] == "GET")
CHANGES = [
    (endpoint, method, kind)
    for (endpoint, method), (allowed, _) in sorted(MATRIX.items())
    if method != "GET"
    for kind in sorted(allowed)
]


@pytest.mark.parametrize(("endpoint", "method"), READS)
def test_the_right_people_can_read(shared_app, same_world, endpoint, method):
    """Reading changes nothing, so one world serves every reader of every page."""
    allowed, data_for = MATRIX[(endpoint, method)]
    for kind in sorted(allowed):
        response = _ask(shared_app, same_world, kind, endpoint, method, data_for)
        assert _was_allowed(endpoint, response), (kind, response.status_code, response.location)


@pytest.mark.parametrize(("endpoint", "method", "only"), CHANGES)
def test_the_right_people_get_an_answer(app, world, endpoint, method, only):
    """Each change on a fresh world, so one person's change can't hide another's refusal."""
    _, data_for = MATRIX[(endpoint, method)]
    response = _ask(app, world, only, endpoint, method, data_for)
    assert _was_allowed(endpoint, response), (only, response.status_code, response.location)
