"""Pages that list things run a fixed number of queries however long the list (no N+1)."""

from datetime import date, time, timedelta

from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations import services as observation_services
from walkthrough.protocols.models import Protocol
from walkthrough.visits import hosting
from walkthrough.visits import services as visit_services


def queries_for(client, count_queries, path) -> int:
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return counted.n


def grow(n, make_user, school, protocol, viewer):
    for _ in range(n):
        host = make_user(Role.TEACHER, school=school)
        [slot] = hosting.open_classroom(
            host=host,
            day=date.today() + timedelta(days=2),
            period_id=None,
            local_start=time(9),
            local_end=time(9, 30),
            room="1",
            capacity=2,
            focus_question="q",
            protocol=protocol,
            note_for_visitors="",
            cutoff_hours=0,
            per_person_limit=None,
        )
        booker = make_user(Role.TEACHER, school=school)
        visit_services.sign_up(slot=slot, observer=booker, actor=booker)
        observation_services.start_observation(observer=viewer, host=host, protocol=protocol)
    db.session.commit()


def test_list_pages_do_not_grow_their_query_count(client, auth, make_user, make_school, count_queries):
    school = make_school(first_day=date.today() - timedelta(days=30), last_day=date.today() + timedelta(days=200))
    protocol = db.session.scalar(select(Protocol))
    viewer = make_user(Role.TEACHER, Role.ADMIN, school=school)
    auth.login(viewer)
    pages = ["/visits/", "/visits/mine", "/observations/", "/admin/people", "/protocols/"]
    grow(3, make_user, school, protocol, viewer)
    few = {path: queries_for(client, count_queries, path) for path in pages}
    grow(15, make_user, school, protocol, viewer)
    many = {path: queries_for(client, count_queries, path) for path in pages}
    assert many == few
    assert max(many.values()) <= 20, many
