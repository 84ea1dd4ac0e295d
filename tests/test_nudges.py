"""Nudges: sent by the worker the day after, once, never to someone who turned that kind off, held back in
quiet hours (in the person's own school's time zone), and turned off with one click from the email."""

from datetime import datetime, time, timedelta
from email import message_from_string, policy
from zoneinfo import ZoneInfo

import pytest

from tests.people_setup import link_in
from walkthrough.extensions import db
from walkthrough.flows.nudges import send_nudges
from walkthrough.observations import services as observations
from walkthrough.outbox import preferences

CHICAGO = ZoneInfo("America/Chicago")  # the district fixture's school
VISIT_DAY = datetime(2026, 11, 9, 10, tzinfo=CHICAGO)  # a Monday


def at(days_after: int, hour: int, minute: int = 0) -> datetime:
    return (VISIT_DAY + timedelta(days=days_after)).replace(hour=hour, minute=minute)


@pytest.fixture
def visit(district):
    note = observations.start_observation(
        observer=district["teachers"][0], host=district["host"], protocol=district["protocol"]
    )
    note.started_at, note.day = VISIT_DAY, VISIT_DAY.date()
    db.session.commit()
    return note


def nudges(outbox, kind):
    return [m for m in outbox() if m.kind == f"nudges/{kind}"]


def test_an_observer_is_nudged_to_reflect_the_next_day_and_only_once(visit, outbox):
    assert send_nudges(now=at(0, 16)) == 0  # not on the day of the visit
    assert send_nudges(now=at(1, 8)) == 1
    assert send_nudges(now=at(1, 9)) == 0 and send_nudges(now=at(2, 8)) == 0
    [message] = nudges(outbox, "reflect")
    assert message.recipient == visit.observer.email
    assert link_in(message.body) == f"/observations/{visit.id}/finish"
    headers = message_from_string(message.mime, policy=policy.default)
    assert headers["List-Unsubscribe"].startswith("<http") and headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_a_reflection_written_in_time_means_no_nudge(visit, outbox):
    observations.share(observation=visit, actor=visit.observer, with_host=False, coach=None, reflection="Wait time")
    db.session.commit()
    assert send_nudges(now=at(1, 8)) == 0 and nudges(outbox, "reflect") == []


def test_quiet_hours_hold_a_nudge_until_morning_in_the_persons_own_time_zone(visit, outbox):
    preferences.save_settings(
        user_id=visit.observer_id,
        wanted=set(preferences.NUDGES),
        quiet_hours=True,
        quiet_from=time(18),
        quiet_until=time(7, 30),
    )
    db.session.commit()
    late_evening = at(1, 21)  # 03:00 the next day in UTC: a worker on UTC would think it morning
    assert send_nudges(now=late_evening) == 0
    assert send_nudges(now=at(2, 7, 15)) == 0
    assert send_nudges(now=at(2, 7, 30)) == 1


def test_a_kind_turned_off_on_the_account_page_is_not_sent(visit, outbox, auth, client):
    auth.login(visit.observer.email)
    saved = client.post(
        "/account",
        data={
            "reminders-reply": "y",
            "reminders-quiet_hours": "y",
            "reminders-quiet_from": "19:00",
            "reminders-quiet_until": "07:00",
            "reminders-submit": "1",
        },
    )
    assert saved.status_code == 302
    # Not a coach: the caseload reminder isn't offered, so it is left as it was.
    assert preferences.muted(preferences.settings_for(visit.observer_id)) == {"reflect", "cohort", "walk"}
    assert send_nudges(now=at(1, 9)) == 0


def test_a_bad_quiet_time_is_shown_beside_the_field_and_keeps_the_choices(visit, auth, client):
    auth.login(visit.observer.email)
    page = client.post(
        "/account",
        data={
            "reminders-reply": "y",
            "reminders-quiet_from": "late",
            "reminders-quiet_until": "06:45",
            "reminders-submit": "1",
        },
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'value="06:45"' in html and 'value="late"' in html
    assert 'id="reminders-quiet_from-error"' in html
    assert 'name="reminders-reflect" type="checkbox" value="y">' in html  # unticked, as sent
    assert preferences.muted(preferences.settings_for(visit.observer_id)) == set()


def test_one_click_unsubscribe_turns_off_that_kind_only(visit, outbox, client):
    send_nudges(now=at(1, 9))
    [message] = nudges(outbox, "reflect")
    link = message_from_string(message.mime, policy=policy.default)["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("/", 3)[3]

    asked = client.get(path)  # a link scanner's GET must not turn anything off
    assert asked.status_code == 200 and "Turn it off" in asked.get_data(as_text=True)
    assert preferences.muted(preferences.settings_for(visit.observer_id)) == set()

    # The mail provider's RFC 8058 POST: no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert preferences.muted(preferences.settings_for(visit.observer_id)) == {"reflect"}
    assert client.post(path[:-3] + "xyz").status_code == 404  # a forged token


def test_a_host_is_nudged_to_reply_two_days_after_notes_are_shared(visit, outbox):
    observations.share(observation=visit, actor=visit.observer, with_host=True, coach=None, reflection="Lots")
    visit.shared_with_host_at = at(0, 15)
    db.session.commit()
    assert send_nudges(now=at(1, 15)) == 0
    assert send_nudges(now=at(2, 16)) == 1
    [message] = nudges(outbox, "reply")
    assert message.recipient == visit.host.email and link_in(message.body) == f"/observations/{visit.id}"


def test_a_departed_person_gets_no_nudge(visit, outbox):
    visit.observer.is_active_account = False
    db.session.commit()
    assert send_nudges(now=at(1, 9)) == 0


def test_a_coach_hears_on_monday_mornings_who_is_overdue_once_a_week(district, outbox):
    from tests.coaching_setup import coach_with_consent

    coach_with_consent(coach=district["coach"], coachee=district["teachers"][1])
    db.session.commit()
    monday = at(7, 8)  # 16 November
    assert send_nudges(now=monday - timedelta(days=1)) == 0  # Sunday
    assert send_nudges(now=monday) == 1 and send_nudges(now=monday + timedelta(hours=3)) == 0
    assert send_nudges(now=monday + timedelta(days=7)) == 1
    messages = nudges(outbox, "caseload")
    assert [m.recipient for m in messages] == [district["coach"].email] * 2
    assert "Teacher 1" in messages[0].body and link_in(messages[0].body) == "/coaching/"


def test_growth_plan_reminders_before_the_due_date_and_the_leaders_list_after(district, outbox):
    from datetime import date

    from walkthrough.cohorts import services as cohorts

    school, leader, member = district["school"], district["host"], district["teachers"][0]
    cohort = cohorts.save_cohort(
        cohort=None,
        name="New teachers",
        level=school.level,
        region="North",
        start_year=2026,
        leader=leader,
        meetings_required=4,
        hours_required=10,
        plan_due=date(2026, 11, 20),
    )
    cohorts.add_member(cohort=cohort, person=member)
    cohorts.upload_growth_plan(cohort=cohort, member=leader, filename="plan.pdf", raw=b"%PDF-1.4 goals")
    db.session.commit()

    assert send_nudges(now=at(3, 9)) == 0  # 12 Nov: eight days before
    assert send_nudges(now=at(4, 9)) == 1  # 13 Nov: a week before
    assert send_nudges(now=at(5, 9)) == 0  # already reminded this week
    assert send_nudges(now=at(10, 9)) == 1  # 19 Nov: the day before
    [week, last] = nudges(outbox, "growth_plan")
    assert week.recipient == last.recipient == member.email  # the leader uploaded theirs
    assert "tomorrow" in last.body and "tomorrow" not in week.body
    assert link_in(week.body) == f"/cohorts/{cohort.id}"

    assert send_nudges(now=at(12, 9)) == 1  # 21 Nov: the day after, to the leader
    assert send_nudges(now=at(13, 9)) == 0
    [late] = nudges(outbox, "plans_missing")
    assert late.recipient == leader.email and "Teacher 0" in late.body
    assert late.body.count("Jordan Lee") == 1  # the greeting: the leader uploaded theirs
