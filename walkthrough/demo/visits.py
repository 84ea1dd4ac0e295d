"""A few demo visits, so the demo shows notes that were shared and answered."""
from datetime import timedelta

from sqlalchemy import select

from ..auth.models import User
from ..db_types import utcnow
from ..extensions import db
from ..observations import changes, services
from ..protocols.models import Protocol
from .district import email_for


def _person(name: str) -> User:
    return db.session.scalar(select(User).where(User.email == email_for(name)))


def _protocol(slug: str) -> Protocol:
    return db.session.scalar(select(Protocol).where(Protocol.slug == slug))


def _text(slot: str, value: str, n: int) -> dict:
    return {"key": f"demo-{slot}-{n:04d}", "op": "text", "slot": slot, "value": value, "base": "",
            "base_revision": 0}


def seed_demo_visits() -> None:
    maya, jordan = _person("Maya Ortiz"), _person("Jordan Lee")
    walk = services.start_observation(observer=maya, host=jordan, protocol=_protocol("learning-walk"))
    walk.started_at = utcnow() - timedelta(days=3, hours=2)
    db.session.flush()
    started = walk.started_at.timestamp() * 1000
    changes.apply_changes(observation=walk, changes=[
        {"key": "demo-lf-0001", "op": "set", "slot": "lookfor:lookfors:0", "value": "seen"},
        {"key": "demo-lf-0002", "op": "set", "slot": "lookfor:lookfors:1", "value": "seen"},
        {"key": "demo-lf-0003", "op": "set", "slot": "lookfor:lookfors:3", "value": "not_seen"},
        {"key": "demo-ta-0001", "op": "increment", "slot": "tally:lookfors:1", "by": 1},
        {"key": "demo-ta-0002", "op": "increment", "slot": "tally:lookfors:1", "by": 1},
        _text("student_talk", "“We're finding books that answer our own questions.”\n"
                              "“I'm checking if the website says who wrote it.”", 1),
        {"key": "demo-ev-0001", "op": "add_evidence", "field": "log", "entry": "demo-entry-0001",
         "recorded_at": started + 4 * 60_000},
        _text("evidence:demo-entry-0001", "Two students compared two sources about volcanoes, out loud.", 2),
        {"key": "demo-ev-0002", "op": "add_evidence", "field": "log", "entry": "demo-entry-0002",
         "recorded_at": started + 9 * 60_000},
        _text("evidence:demo-entry-0002", "A student asked the librarian how to cite a video.", 3),
    ])
    services.share(observation=walk, actor=maya, with_host=True, coach=_person("Sam Rivera"),
                   reflection="Students talking about sources is something I want in my math class: "
                              "comparing two solution methods out loud.")
    services.reply(observation=walk, actor=jordan,
                   text="Thank you! The source-comparison routine took us three weeks to build. Happy to share it.")
    services.start_observation(observer=jordan, host=maya, protocol=_protocol("noticings-wonderings"))
