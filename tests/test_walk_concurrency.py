"""A walk's rules hold when requests arrive at once, through a live server, on SQLite and PostgreSQL: a
phone resending the same classroom ten times records it once, and ten team members sending the summary at
once send it to the staff once."""

from sqlalchemy import func, select

from tests.test_concurrency import signed_in_opener
from tests.test_coverage_concurrency import _all_at_once, _live, _post
from walkthrough.extensions import db
from walkthrough.outbox.models import OutboxMessage
from walkthrough.walks.models import WalkClassroom

AT_ONCE = 10


def _at_once(make_app, email: str, url: str, fields: dict) -> list[int]:
    server, thread, base = _live(make_app)
    try:
        openers = [signed_in_opener(base, email) for _ in range(AT_ONCE)]
        return _all_at_once([(lambda o=o: _post(o, f"{base}{url}", fields)) for o in openers])
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_the_same_classroom_sent_ten_times_at_once_is_recorded_once(walk_world, make_app):
    w = walk_world
    fields = {"client_key": "resent", f"mark-{w['keys'][0]}": "seen", "visited_on": w["today"].isoformat()}
    statuses = _at_once(make_app, w["walker"].email, f"/walks/{w['walk'].id}/capture", fields)
    assert statuses == [200] * AT_ONCE
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(WalkClassroom)) == 1


def test_ten_summaries_sent_at_once_reach_the_staff_once(walk_world, make_app):
    w = walk_world
    fields = {"noticed": "Students explained their thinking.", "wondered": "", "action": "send"}
    statuses = _at_once(make_app, w["coach"].email, f"/walks/{w['walk'].id}/summary", fields)
    assert sorted(statuses) == [200] + [422] * (AT_ONCE - 1), statuses  # 200: the redirect, followed
    db.session.expire_all()
    sent = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "walks/noticed")).all()
    assert len(sent) == len(set(sent)) > 0
