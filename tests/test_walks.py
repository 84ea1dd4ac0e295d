"""Building walks: planning and announcing, capture on a phone (once per key, only by the team, only in the
walk's days), the team's "We noticed" summary, and the tools walks are planned with."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.walk_setup import HOSTS, record, strategic_tool
from walkthrough.extensions import db
from walkthrough.walks import tools
from walkthrough.walks.models import Walk, WalkClassroom, WalkMark, WalkSummary


def test_a_classroom_visit_has_no_column_that_could_name_whose_classroom_it_was(app):
    inspector = inspect(db.engine)
    classroom = {c["name"]: c for c in inspector.get_columns("walk_classrooms")}
    marks = {c["name"] for c in inspector.get_columns("walk_marks")}
    assert set(classroom) == {
        "id",
        "walk_id",
        "walker_id",
        "client_key",
        "visited_on",
        "grade_band",
        "subject_area",
        "evidence",
    }
    assert marks == {"classroom_id", "look_for_key", "walk_id", "state", "tally"}
    # The day, and nothing finer: no column holds a time of day.
    assert "DATETIME" not in str(classroom["visited_on"]["type"]).upper()
    assert "TIMESTAMP" not in str(classroom["visited_on"]["type"]).upper()
    for table in ("walks", "walk_team", "walk_classrooms", "walk_marks", "walk_summaries"):
        names = {c["name"] for c in inspector.get_columns(table)}
        words = {word for name in names for word in name.split("_")}
        assert not words & {"teacher", "host", "room", "period", "observed", "observer"}


def test_planning_a_walk_tells_every_staff_member_who_when_what_and_that_it_is_not_about_them(
    walk_world, auth, client, outbox
):
    w = walk_world
    auth.login(w["coach"])
    day = w["today"] + timedelta(days=3)
    page = client.get("/walks/new")
    assert page.status_code == 200 and "Wren Walker" in page.get_data(as_text=True)
    answer = client.post(
        "/walks/new",
        data={
            "kind": "learning_walk",
            "tool_id": strategic_tool().id,
            "focus": "Student talk",
            "starts_on": day.isoformat(),
            "ends_on": (day + timedelta(days=1)).isoformat(),
            "team": [w["coach"].id, w["walker"].id, w["hosts"][0].id],
        },
    )
    assert answer.status_code == 302
    walk = db.session.scalars(select(Walk).order_by(Walk.id.desc())).first()
    assert walk.focus == "Student talk" and walk.announced_at is not None
    for person in [*w["hosts"], w["coach"], w["walker"], w["admin"]]:
        message = [m for m in outbox(person.email) if m.kind == "walks/announced"][-1]
        assert "Learning walk" in message.subject
        assert "Nothing recorded is about a teacher" in message.body
        assert "students make choices about how they learn" in message.body
        assert "Casey Coach" in message.body and "Wren Walker" in message.body
    assert not outbox(w["elsewhere"].email)


def test_a_walk_that_cannot_be_planned_shows_why_beside_the_field_and_keeps_what_was_typed(
    walk_world, auth, client, outbox
):
    w = walk_world
    auth.login(w["coach"])
    before = len(outbox())
    answer = client.post(
        "/walks/new",
        data={
            "kind": "blast",
            "tool_id": strategic_tool().id,
            "focus": "Questions students ask",
            "starts_on": (w["today"] + timedelta(days=5)).isoformat(),
            "ends_on": w["today"].isoformat(),
            "team": [w["coach"].id],
        },
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "The last day is before the first." in page and 'value="Questions students ask"' in page
    assert len(outbox()) == before  # nothing announced for a walk that wasn't planned
    answer = client.post(
        "/walks/new",
        data={
            "kind": "blast",
            "tool_id": strategic_tool().id,
            "focus": "Past",
            "starts_on": (w["today"] - timedelta(days=1)).isoformat(),
            "ends_on": w["today"].isoformat(),
            "team": [w["coach"].id],
        },
    )
    assert answer.status_code == 422 and "start in the past" in answer.get_data(as_text=True)
    answer = client.post(
        "/walks/new",
        data={
            "kind": "blast",
            "tool_id": strategic_tool().id,
            "focus": "Someone else's staff",
            "starts_on": w["today"].isoformat(),
            "ends_on": w["today"].isoformat(),
            "team": [w["elsewhere"].id],
        },
    )
    assert answer.status_code == 422 and "work at the school or across the district" in answer.get_data(as_text=True)
    assert len(outbox()) == before


def test_teachers_cannot_plan_walks_but_read_their_schools(walk_world, auth, client):
    w = walk_world
    auth.login(w["hosts"][0])
    assert client.get("/walks/new").status_code == 403
    assert client.get(f"/walks/{w['walk'].id}").status_code == 200
    assert client.get(f"/walks/{w['walk'].id}/capture").status_code == 404
    auth.logout()
    auth.login(w["elsewhere"])
    assert client.get(f"/walks/{w['walk'].id}").status_code == 404


def test_the_same_capture_sent_twice_lands_once(walk_world, auth, client):
    w = walk_world
    auth.login(w["walker"])
    k = w["keys"]
    fields = {
        "client_key": "phone-key-1",
        "visited_on": w["today"].isoformat(),
        "grade_band": "6-8",
        f"mark-{k[0]}": "seen",
        f"mark-{k[1]}": "not_seen",
        f"tally-{k[0]}": "14",
        "evidence": "Two groups.",
    }
    first = client.post(f"/walks/{w['walk'].id}/capture", data=fields, headers={"Accept": "application/json"})
    again = client.post(f"/walks/{w['walk'].id}/capture", data=fields, headers={"Accept": "application/json"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"] and again.json["new"] is False
    assert db.session.scalar(select(func.count()).select_from(WalkClassroom)) == 1
    marks = {m.look_for_key: (m.state, m.tally, m.walk_id) for m in db.session.scalars(select(WalkMark))}
    walk_id = w["walk"].id
    assert marks == {k[0]: ("seen", 14, walk_id), k[1]: ("not_seen", None, walk_id)}


def test_a_mark_whose_walk_disagrees_with_its_classroom_is_refused(walk_world):
    classroom = record(walk_world, walk_world["walker"], 1)[0]
    db.session.execute(delete(WalkMark))
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(WalkMark).values(
                classroom_id=classroom.id, walk_id=classroom.walk_id + 1, look_for_key="x", state="seen"
            )
        )
        db.session.flush()
    db.session.rollback()


def test_capture_refuses_what_it_cannot_store_and_keeps_the_walkers_text(walk_world, auth, client):
    w = walk_world
    auth.login(w["walker"])
    k = w["keys"]
    url = f"/walks/{w['walk'].id}/capture"
    answer = client.post(url, data={"client_key": "a", "evidence": "Kept words", "grade_band": "6-8"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Mark at least one look-for" in page and "Kept words" in page
    late = (w["today"] + timedelta(days=9)).isoformat()
    answer = client.post(
        url,
        data={"client_key": "b", "visited_on": late, f"mark-{k[0]}": "seen"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 422 and answer.json["error"] == "That day is outside the walk's dates."
    for bad in (
        {f"mark-{k[0]}": "excellent"},
        {f"mark-{k[0]}": "seen", f"tally-{k[0]}": "-3"},
        {f"mark-{k[0]}": "seen", "grade_band": "Room 12"},
        {f"mark-{k[0]}": "seen", "subject_area": "Ms Q"},
    ):
        assert client.post(url, data={"client_key": "c", **bad}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(WalkClassroom)) == 0


def test_only_the_team_records_classrooms_and_not_on_a_cancelled_walk(walk_world, auth, client, outbox):
    w = walk_world
    k = w["keys"]
    url = f"/walks/{w['walk'].id}/capture"
    auth.login(w["admin"])  # the principal didn't join this team
    assert client.post(url, data={"client_key": "x", f"mark-{k[0]}": "seen"}).status_code == 404
    assert client.post(f"/walks/{w['walk'].id}/cancel").status_code == 302
    assert any(m.kind == "walks/cancelled" for m in outbox(w["hosts"][0].email))
    auth.logout()
    auth.login(w["walker"])
    assert client.post(url, data={"client_key": "y", f"mark-{k[0]}": "seen"}).status_code == 404


def test_a_walker_sees_only_their_own_evidence_and_can_take_a_classroom_back(walk_world, auth, client):
    w = walk_world
    mine = record(w, w["walker"], 1, evidence="Wren saw a gallery walk")
    record(w, w["coach"], 1, evidence="Casey heard a debate")
    auth.login(w["walker"])
    page = client.get(f"/walks/{w['walk'].id}").get_data(as_text=True)
    assert "Wren saw a gallery walk" in page and "Casey heard a debate" not in page
    assert client.post(f"/walks/classrooms/{mine[0].id + 1}/delete").status_code == 404
    assert client.post(f"/walks/classrooms/{mine[0].id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(WalkClassroom)) == 1


def test_we_noticed_goes_to_the_staff_once_and_shows_on_their_home_page(walk_world, auth, client, outbox):
    w = walk_world
    auth.login(w["walker"])
    url = f"/walks/{w['walk'].id}/summary"
    answer = client.post(url, data={"noticed": "", "wondered": "How might we?", "action": "send"})
    assert answer.status_code == 422 and "How might we?" in answer.get_data(as_text=True)
    assert not [m for m in outbox() if m.kind == "walks/noticed"]
    client.post(url, data={"noticed": "Draft words", "wondered": "", "action": "save"})
    assert db.session.get(WalkSummary, w["walk"].id).sent_at is None
    noticed = "In most classrooms students explained their thinking to a partner."
    assert (
        client.post(
            url, data={"noticed": noticed, "wondered": "How might we share roles?", "action": "send"}
        ).status_code
        == 302
    )
    sent = [m for m in outbox() if m.kind == "walks/noticed"]
    assert {m.recipient for m in sent} >= {h.email for h in w["hosts"]} | {w["admin"].email}
    assert all(noticed in m.body for m in sent)
    assert client.post(url, data={"noticed": "Again", "action": "send"}).status_code == 422
    assert len([m for m in outbox() if m.kind == "walks/noticed"]) == len(sent)
    auth.logout()
    auth.login(w["hosts"][0])
    home = client.get("/").get_data(as_text=True)
    assert noticed in home and "How might we share roles?" in home
    auth.logout()
    auth.login(w["elsewhere"])
    assert noticed not in client.get("/").get_data(as_text=True)


def test_the_team_sees_the_walk_on_the_home_page_and_the_phone_keeps_its_capture_page(walk_world, auth, client):
    w = walk_world
    auth.login(w["walker"])
    assert f"/walks/{w['walk'].id}/capture" in client.get("/").get_data(as_text=True)
    kept = [page["url"] for page in client.get("/offline/today.json").json["pages"]]
    assert f"/walks/{w['walk'].id}/capture" in kept
    auth.logout()
    auth.login(w["hosts"][1])
    assert f"/walks/{w['walk'].id}/capture" not in client.get("/").get_data(as_text=True)
    assert HOSTS[1] not in client.get(f"/walks/{w['walk'].id}").get_data(as_text=True)


def test_a_copied_tool_keeps_the_keys_of_unchanged_look_fors_and_built_ins_never_change(walk_world, auth, client):
    w = walk_world
    auth.login(w["coach"])
    built_in = strategic_tool()
    assert client.get(f"/walks/tools/{built_in.id}/edit").status_code == 403
    answer = client.post(f"/walks/tools/{built_in.id}/copy")
    copy_id = int(answer.headers["Location"].rstrip("/edit").rsplit("/", 1)[-1])
    first, second = built_in.look_fors[0], built_in.look_fors[1]
    answer = client.post(
        f"/walks/tools/{copy_id}/edit",
        data={
            "name": "Our walk",
            "goal": "SIP goal 2",
            "purpose": "",
            "look_fors": f"{first['text']}\nStudents use academic vocabulary\n{second['text']}",
        },
    )
    assert answer.status_code == 302
    copied = db.session.get(type(built_in), copy_id)
    assert [i["key"] for i in copied.look_fors][0::2] == [first["key"], second["key"]]
    assert copied.look_fors[1]["text"] == "Students use academic vocabulary"
    assert len(strategic_tool().look_fors) == 11
    answer = client.post(f"/walks/tools/{copy_id}/edit", data={"name": "Our walk", "look_fors": "  \n "})
    assert answer.status_code == 422
    auth.logout()
    auth.login(w["hosts"][0])
    assert client.post(f"/walks/tools/{built_in.id}/copy").status_code == 403
    assert not tools.can_edit(w["hosts"][0], copied)


def test_a_walk_keeps_its_look_fors_when_its_tool_is_edited(walk_world):
    w = walk_world
    copied = tools.copy_tool(tool=strategic_tool(), actor=w["coach"])
    tools.update_tool(tool=copied, actor=w["coach"], name="Changed", purpose="", goal="", look_fors="Only one")
    db.session.commit()
    assert len(db.session.get(Walk, w["walk"].id).look_fors) == 11


def test_the_team_is_nudged_once_the_day_after_the_walk_until_the_summary_is_sent(walk_world, outbox):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from walkthrough.flows.nudges import send_nudges
    from walkthrough.walks import services as walks

    w = walk_world
    zone = ZoneInfo(w["school"].timezone)
    assert send_nudges(now=datetime.combine(w["today"], time(15), zone)) == 0  # the walk is today
    tomorrow = datetime.combine(w["today"] + timedelta(days=1), time(10), zone)
    assert send_nudges(now=tomorrow) == 2
    nudged = [m for m in outbox() if m.kind == "nudges/walk_summary"]
    assert {m.recipient for m in nudged} == {w["coach"].email, w["walker"].email}
    assert "List-Unsubscribe" in nudged[0].mime and f"/walks/{w['walk'].id}#summary" in nudged[0].body
    assert send_nudges(now=tomorrow + timedelta(hours=1)) == 0
    walks.save_summary(walk=w["walk"], actor=w["coach"], noticed="Talk everywhere.", wondered="", send=True)
    db.session.commit()
    assert send_nudges(now=tomorrow + timedelta(days=1)) == 0


def test_a_planner_changes_the_team_and_a_former_members_classrooms_stay(walk_world, auth, client):
    w = walk_world
    record(w, w["walker"], 2)
    auth.login(w["coach"])
    page = client.get(f"/walks/{w['walk'].id}").get_data(as_text=True)
    url = f"/walks/{w['walk'].id}/team"
    assert url in page and HOSTS[0] not in page  # the staff list is on the team page, not the walk's
    assert HOSTS[0] in client.get(url).get_data(as_text=True)
    answer = client.post(url, data={"team": []})
    assert answer.status_code == 422 and "Choose at least one person." in answer.get_data(as_text=True)
    answer = client.post(url, data={"team": [w["coach"].id, w["elsewhere"].id]})
    assert answer.status_code == 422 and "work at the school or across the district" in answer.get_data(as_text=True)
    assert client.post(url, data={"team": [w["coach"].id, w["hosts"][2].id]}).status_code == 302
    walk = db.session.get(Walk, w["walk"].id)
    db.session.refresh(walk)
    assert {m.user_id for m in walk.team} == {w["coach"].id, w["hosts"][2].id}
    assert db.session.scalar(select(func.count()).select_from(WalkClassroom)) == 2
    auth.logout()
    auth.login(w["walker"])
    assert client.get(f"/walks/{w['walk'].id}/capture").status_code == 404
    assert client.post(url, data={"team": [w["walker"].id]}).status_code == 403
