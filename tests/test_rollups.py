"""The roll-ups equal the live counts. Random histories are written the ways the app writes them (visits with
and without notes, cancelled bookings and sign-ups, open doors, cover in every state, a substitute taking a
job by bulk update, departures, a roster moving teachers between schools, bookings whose time passes) with
dashboards read in between, so every change goes through the incremental upkeep, not only a full build;
after each step the dashboard from the roll-ups must equal the one counted live, district-wide, per school
and for dates that cut months."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.history_setup import YEAR, cover, open_door, past_visit
from walkthrough.auth.models import Role
from walkthrough.coverage.models import CoverageRequest, CoverageStatus
from walkthrough.extensions import db
from walkthrough.flows.departure import erase_person
from walkthrough.reports import figures, summary
from walkthrough.reports.scope import Scope
from walkthrough.rollups import cells, upkeep
from walkthrough.rollups.models import StaleCell
from walkthrough.schools.years import district_year
from walkthrough.visits.models import SignUp, SignUpStatus, VisitSlot

STATUSES = [s.value for s in CoverageStatus]


def _scopes(schools, year) -> list[Scope]:
    every = tuple(s.id for s in schools)
    mid = year.start + timedelta(days=45)  # mid-September
    found = [Scope(schools, every, None, "All schools", year.start, year.end)]
    found += [Scope([s], (s.id,), s.id, s.name, year.start, year.end) for s in schools]
    found.append(Scope(schools, every, None, "Cut months", mid, year.end - timedelta(days=40)))
    found.append(Scope(schools, every, None, "Within a month", mid, mid + timedelta(days=9)))
    return found


def assert_rollups_equal_live(schools, year=YEAR) -> None:
    db.session.commit()
    for scope in _scopes(schools, year):
        rolled = figures.dashboard_for(scope)
        live = figures.dashboard_for(scope, live=True)
        assert rolled == live, scope.label
        # The summary export's cover and release sheets, from the roll-ups, against the same counted live.
        names = {school.id: school.name for school in scope.schools}
        counted = sorted(cells.school_cover(scope.start, scope.end, scope.school_ids),
                         key=lambda cell: (names[cell[0]], cell[0], cell[1]))  # fmt: skip
        assert list(summary.coverage_rows(scope)) == [summary.coverage_row(names[c[0]], *c[1:]) for c in counted]
        assert list(summary.release_rows(scope)) == [summary.release_row(s) for s in live.schools if s.teachers]
    assert db.session.scalar(select(StaleCell.month).limit(1)) is None  # every mark was used up


@pytest.fixture
def district_history(app, make_school, make_user):
    schools = [make_school(f"School {n}", first_day=YEAR.start, last_day=YEAR.end) for n in range(3)]
    teachers = [make_user(Role.TEACHER, school=schools[n % 3], name=f"Teacher {n}") for n in range(12)]
    admin = make_user(Role.ADMIN)
    db.session.commit()
    return schools, teachers, admin


def _a_day(rng) -> datetime:
    return YEAR.start + timedelta(days=rng.randrange(0, 300))


def _step(rng, schools, teachers, admin) -> None:
    host, observer = rng.sample([t for t in teachers if t.departed_at is None], 2)
    action = rng.choice(
        [
            "visit",
            "visit",
            "no notes",
            "cancelled",
            "open door",
            "cover",
            "status",
            "cancel slot",
            "cancel signup",
            "take job",
            "move",
            "depart",
        ]  # fmt: skip
    )
    if action in ("visit", "no notes", "cancelled"):
        past_visit(host=host, observer=observer, day=_a_day(rng), notes=None if action == "no notes" else "",
                   cancelled=action == "cancelled")  # fmt: skip
    elif action == "open door":
        observation = open_door(host=host, observer=observer, day=_a_day(rng), minutes=rng.choice([20, 200]))
        observation.school_id, observation.day = host.school_id, _a_day(rng)
    elif action == "cover":
        cover(teacher=host, day=_a_day(rng), status=rng.choice(STATUSES))
    elif action == "status":
        request = db.session.scalar(select(CoverageRequest).order_by(CoverageRequest.id.desc()).limit(1))
        if request:
            request.status = rng.choice(STATUSES)
    elif action == "cancel slot":
        slot = db.session.scalar(select(VisitSlot).order_by(VisitSlot.id.desc()).limit(1))
        if slot:
            slot.cancelled_at = datetime.now(UTC)
    elif action == "cancel signup":
        signup = db.session.scalar(select(SignUp).order_by(SignUp.id).limit(1))
        if signup:
            signup.status = SignUpStatus.CANCELLED.value
    elif action == "take job":  # what a substitute's one-tap take does: an UPDATE, not a flush
        db.session.execute(
            update(CoverageRequest)
            .where(CoverageRequest.status == CoverageStatus.OPEN.value)
            .values(status=CoverageStatus.CONFIRMED.value)
        )
    elif action == "move":  # a roster import moving a teacher to another school
        host.school_id = rng.choice([s.id for s in schools if s.id != host.school_id])
    elif action == "depart":
        erase_person(person=observer, actor=admin, typed_name=observer.name)
    db.session.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_the_live_counts_through_a_random_history(district_history, seed):
    schools, teachers, admin = district_history
    rng = random.Random(seed)
    assert_rollups_equal_live(schools)  # built from nothing
    for step in range(40):
        _step(rng, schools, teachers, admin)
        if step % 4 == 3:
            assert_rollups_equal_live(schools)
    assert_rollups_equal_live(schools)


def test_a_booking_counts_once_its_time_has_passed(district_history, monkeypatch):
    """No write says a booking became a visit: the upkeep notices bookings that ended since it last looked."""
    schools, teachers, _ = district_history
    now = datetime.now(UTC)
    this_year = district_year(YEAR.start.year + 1)
    host, observer = teachers[0], teachers[3]
    slot, _, _ = past_visit(host=host, observer=observer, day=now.date(), notes=None)
    slot.starts_at, slot.ends_at = now + timedelta(minutes=5), now + timedelta(minutes=50)
    db.session.commit()
    assert_rollups_equal_live(schools, this_year)
    before = figures.dashboard_for(_scopes(schools, this_year)[0]).total.visits

    later = now + timedelta(hours=2)
    for module in ("walkthrough.rollups.upkeep", "walkthrough.visits.history"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    assert_rollups_equal_live(schools, this_year)
    assert figures.dashboard_for(_scopes(schools, this_year)[0]).total.visits == before + 1


def test_a_change_marks_only_its_own_months(district_history):
    schools, teachers, _ = district_history
    assert_rollups_equal_live(schools)
    day = YEAR.start + timedelta(days=40)
    cover(teacher=teachers[0], day=day, status="open")
    marked = set(db.session.execute(select(StaleCell.kind, StaleCell.key_id, StaleCell.month)).all())
    month = upkeep.month_of(day)
    assert marked == {("school", schools[0].id, month), ("person", teachers[0].id, month)}
    upkeep.refresh()
    assert db.session.scalar(select(StaleCell.month).limit(1)) is None


def test_catching_up_costs_the_same_statements_for_two_changed_months_or_ten(district_history, count_queries):
    schools, teachers, _ = district_history
    upkeep.refresh()

    def catch_up_after(months: int) -> int:
        for n in range(months):
            cover(teacher=teachers[n % 12], day=YEAR.start + timedelta(days=31 * n + 3), status="open")
        with count_queries() as counted:
            upkeep.refresh()
        return counted.n

    assert catch_up_after(2) == catch_up_after(10)
    assert_rollups_equal_live(schools)


def test_changes_written_while_dashboards_refresh_are_all_counted(district_history, make_app, backend):
    """On PostgreSQL, writers and refreshes in parallel transactions: a change committed while a refresh is
    counting must leave its mark for the next one, never be swallowed by a mark the refresh took."""
    import threading

    schools, teachers, _ = district_history
    assert_rollups_equal_live(schools)
    other = make_app()
    teacher_ids = [t.id for t in teachers]
    day = YEAR.start + timedelta(days=50)
    start = threading.Barrier(6)
    errors = []

    def write(n: int) -> None:
        with other.app_context():
            try:
                start.wait()
                for i in range(8):
                    teacher = db.session.get(type(teachers[0]), teacher_ids[(n + i) % 12])
                    cover(teacher=teacher, day=day + timedelta(days=i % 3), status="open")
            except Exception as error:  # noqa: BLE001  (reported below, in the test's thread)
                errors.append(error)
            finally:
                db.session.remove()

    def refresh_again() -> None:
        with other.app_context():
            try:
                start.wait()
                for _ in range(6):
                    upkeep.refresh()
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=refresh_again) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors
    db.session.expire_all()
    assert_rollups_equal_live(schools)
    assert figures.dashboard_for(_scopes(schools, YEAR)[0]).total.cover_needed >= 32


def test_the_build_command_counts_everything_again(district_history, runner):
    schools, teachers, _ = district_history
    cover(teacher=teachers[1], day=YEAR.start + timedelta(days=70), status="assigned")
    result = runner.invoke(args=["rollups", "build"])
    assert result.exit_code == 0 and "Roll-ups built" in result.output
    assert db.session.scalar(select(StaleCell.month).limit(1)) is None
    assert_rollups_equal_live(schools)
