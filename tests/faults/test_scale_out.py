"""Two gunicorn app servers behind Debian's HAProxy, on one PostgreSQL database, with Redis holding sign-in
limits, caches and the task queue, a worker process, and photos on a folder both servers share: the set-up the
README gives for more than one app server. To its users it must act as one app: a person signed in on one
server carries on on the other, limits count once, a cache entry dropped on one is gone on the other, a photo
sent to one is served by the other, and killing a server mid-traffic loses no write it acknowledged."""

import io
import os
import shutil
import signal
import threading
import time
import uuid
from datetime import date, timedelta

import pytest
import redis
import requests
from PIL import Image
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.faults.servers import children_of, gunicorn, haproxy, worker_process
from tests.permission_world import build_world
from walkthrough.db_types import utcnow
from walkthrough.extensions import db
from walkthrough.learning.models import LearningEntry
from walkthrough.observations.models import Observation
from walkthrough.outbox.models import OutboxMessage, OutboxStatus
from walkthrough.protocols.models import Protocol
from walkthrough.schools.models import School

REDIS = "redis://127.0.0.1:6379"


def _need_parts(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("scale-out is what a district deploys on PostgreSQL; SQLite is one process's database")
    if not shutil.which("haproxy") and not os.path.exists("/usr/sbin/haproxy"):
        message = "the scale-out test needs HAProxy (Debian package haproxy)"
        if os.environ.get("WALKTHROUGH_REQUIRE_BROWSER") == "1":  # CI: every part must be there
            pytest.fail(message)
        pytest.skip(message)


def _signed_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(f"{base}/auth/login", data={"email": email, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200 and not answer.url.endswith("/auth/login"), answer.status_code
    return session


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def test_two_app_servers_behind_haproxy_act_as_one(app, database_url, make_school, make_user, tmp_path):
    _need_parts(database_url)
    world = build_world(make_school, make_user)
    people = {kind: person.email for kind, person in world.people.items() if kind != "anonymous"}
    observation_id, photo_field = _note_with_photos(world)
    db.session.remove()
    prefix = f"walkthrough-scale-{uuid.uuid4().hex}"
    env = {
        "WALKTHROUGH_PHOTO_FOLDER": str(tmp_path / "shared" / "photos"),
        "WALKTHROUGH_PLANS_FOLDER": str(tmp_path / "shared" / "plans"),
        "WALKTHROUGH_RATELIMIT_STORAGE_URI": f"{REDIS}/14",
        "WALKTHROUGH_CACHE_REDIS_URL": f"{REDIS}/13",
        "WALKTHROUGH_QUEUE_URL": f"{REDIS}/12",
        "WALKTHROUGH_REDIS_PREFIX": prefix,
        "WALKTHROUGH_FAULT_DATABASE_URL": database_url,
    }
    try:
        with (
            gunicorn(database_url, app="scaled_app", env=env) as first,
            gunicorn(database_url, app="scaled_app", env=env) as second,
            haproxy([first.port, second.port]) as balancer,
            worker_process("scaled_app", env),
        ):
            one, other = f"http://127.0.0.1:{first.port}", f"http://127.0.0.1:{second.port}"
            front = f"http://127.0.0.1:{balancer.port}"
            _signed_in_on_one_carries_on_on_the_other(one, other, people["observer"])
            _sign_in_limits_count_once(one, other, people["teacher"])
            _a_dropped_cache_entry_is_gone_everywhere(one, other, people["district_admin"])
            _a_photo_sent_to_one_is_served_by_the_other(one, other, people["observer"], observation_id, photo_field)
            _the_worker_sends_what_either_server_queued(other, people["district_admin"])
            _killing_a_server_loses_no_acknowledged_write(front, first, people["observer"])
    finally:
        for number in (12, 13, 14):
            store = redis.Redis.from_url(f"{REDIS}/{number}")
            for key in store.scan_iter(f"*{prefix}*"):
                store.delete(key)


def _signed_in_on_one_carries_on_on_the_other(one: str, other: str, email: str) -> None:
    session = _signed_in(one, email)
    answer = session.get(f"{other}/account", timeout=30)
    assert answer.status_code == 200 and answer.url == f"{other}/account"  # not sent to sign in
    session.post(f"{other}/auth/logout", timeout=30)
    assert session.get(f"{one}/account", timeout=30).url.startswith(f"{one}/auth/login")  # signed out on both


def _sign_in_limits_count_once(one: str, other: str, email: str) -> None:
    guess = {"email": email, "password": "not the password"}
    for base in (one, other, one, other):  # four wrong guesses, two on each server: the limit is four
        assert requests.post(f"{base}/auth/login", data=guess, timeout=30).status_code == 422  # "don't match"
    assert requests.post(f"{one}/auth/login", data=guess, timeout=30).status_code == 429
    assert requests.post(f"{other}/auth/login", data=guess, timeout=30).status_code == 429


def _a_dropped_cache_entry_is_gone_everywhere(one: str, other: str, admin_email: str) -> None:
    admin = _signed_in(one, admin_email)
    admin.get(f"{other}/visits/", timeout=30)  # the other server caches the filters' schools
    with db.session.begin():  # a school written behind the app's back: the cached filters can't know
        db.session.add(
            School(
                name="Quiet Hollow School",
                level="middle",
                timezone="America/Chicago",
                year_first_day=date(2026, 8, 17),
                year_last_day=date(2027, 5, 28),
            )
        )
    assert "Quiet Hollow School" not in admin.get(f"{other}/visits/", timeout=30).text  # so the cache is in use
    added = admin.post(
        f"{one}/admin/schools/new",
        data={
            "name": "Cedar Ridge Academy",
            "level": "high",
            "region": "North",
            "timezone": "America/Chicago",
            "rotation": "weekly",
            "year_first_day": "2026-08-17",
            "year_last_day": "2027-05-28",
        },
        timeout=30,
    )
    assert added.status_code == 200 and "/admin/schools/" in added.url, added.status_code
    page = admin.get(f"{other}/visits/", timeout=30).text  # adding a school on one dropped the entry on both
    assert "Cedar Ridge Academy" in page and "Quiet Hollow School" in page


def _note_with_photos(world) -> tuple[int, str]:
    """A note in a protocol that takes photos (the world's own uses one that doesn't), and that field's key."""
    for protocol in db.session.scalars(select(Protocol).order_by(Protocol.id)):
        field = next((f["key"] for f in protocol.current.fields if f["kind"] == "photo"), None)
        if field:
            observer, host = world.people["observer"], world.people["host"]
            note = Observation(
                observer_id=observer.id,
                host_id=host.id,
                protocol_version_id=protocol.current.id,
                school_id=host.school_id,
                day=utcnow().date(),
            )
            db.session.add(note)
            db.session.commit()
            return note.id, field
    raise AssertionError("no built-in protocol takes photos")


def _a_photo_sent_to_one_is_served_by_the_other(
    one: str, other: str, email: str, observation_id: int, field: str
) -> None:
    observer = _signed_in(one, email)
    sent = observer.post(
        f"{one}/observations/{observation_id}/photos",
        files={"photo": ("board.jpg", _photo(), "image/jpeg")},
        data={"caption": "The anchor chart", "field_key": field},
        headers={"HX-Request": "true"},
        timeout=30,
    )
    assert sent.status_code == 200, sent.text[:300]
    photo_paths = [part.split('"')[0] for part in sent.text.split('src="')[1:] if "/photos/" in part]
    assert photo_paths, "the fragment shows the photo"
    served = observer.get(f"{other}{photo_paths[0]}", timeout=30)
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("image/")


def _the_worker_sends_what_either_server_queued(other: str, admin_email: str) -> None:
    admin = _signed_in(other, admin_email)
    invited = admin.post(
        f"{other}/admin/people/invite",
        data={"name": "Nia Okafor", "email": "nia.okafor@school.example", "roles": ["teacher"], "school_id": "0"},
        timeout=30,
    )
    assert invited.status_code == 200, invited.status_code
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        db.session.expire_all()
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "nia.okafor@school.example"))
        if message and message.status in (OutboxStatus.SENT, OutboxStatus.LOGGED):
            db.session.rollback()
            return
        db.session.rollback()
        time.sleep(0.3)
    pytest.fail(f"the worker never sent the invitation ({message.status if message else 'no message'})")


def _killing_a_server_loses_no_acknowledged_write(front: str, first, email: str) -> None:
    """People keep logging learning through the balancer while one server is killed outright."""
    acknowledged, failed = [], []
    stop = threading.Event()
    day = (utcnow() - timedelta(days=1)).date().isoformat()

    signed_in = _signed_in(front, email)  # once: every sign-in counts toward the address's limit

    def log_learning(n: int) -> None:
        session = requests.Session()
        session.cookies.update(signed_in.cookies)
        i = 0
        while not stop.is_set():
            i += 1
            title = f"Reading group {n}-{i:05d}"
            form = {"title": title, "kind": "webinar", "day": day, "minutes": "30", "setting": "contract_time"}
            try:
                answer = session.post(f"{front}/learning", data=form, timeout=15, allow_redirects=False)
            except requests.RequestException:
                failed.append(title)
                continue
            (acknowledged if answer.status_code == 302 else failed).append(title)  # 302: logged, on to the list

    threads = [threading.Thread(target=log_learning, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    before = len(acknowledged)
    for pid in [first.pid, *children_of(first.pid)]:  # the whole server, master and workers, at once
        os.kill(pid, signal.SIGKILL)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    after = len(acknowledged) - before
    db.session.expire_all()
    stored = set(db.session.scalars(select(LearningEntry.title).where(LearningEntry.title.like("Reading group %"))))
    db.session.rollback()
    print(f"\n{before} learning entries acknowledged before the kill, {after} after, {len(failed)} not acknowledged")
    assert before >= 3 and after >= 3, (before, after, len(failed))  # traffic before the kill, and after it
    lost = [title for title in acknowledged if title not in stored]
    assert lost == [], f"acknowledged but not stored: {lost[:5]}"
