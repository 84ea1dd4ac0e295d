"""The toolkit: everyone reads and searches it (by words, goal tag, kind and protocol), admins and coaches keep
it, and a link is only ever a web address."""

import pytest
from sqlalchemy import select

from tests.survey_setup import switch_to
from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.protocols.models import Protocol
from walkthrough.rules import RuleViolation
from walkthrough.toolkit import services
from walkthrough.toolkit.models import ToolkitResource


@pytest.fixture
def keepers(make_school, make_user):
    school = make_school()
    return {
        "coach": make_user(Role.COACH, school=school, name="Cora Coach"),
        "teacher": make_user(Role.TEACHER, school=school),
        "substitute": make_user(Role.SUBSTITUTE),
    }


def _add(actor, title, **extra):
    values = dict(kind="guide", summary="", body="", link="", protocol_id=None, tags="") | extra
    resource = services.save_resource(actor=actor, resource=None, title=title, **values)
    db.session.commit()
    return resource


def test_search_by_words_tag_kind_and_protocol(keepers):
    coach = keepers["coach"]
    protocol = db.session.scalar(select(Protocol).where(Protocol.slug == "focus-question"))
    _add(
        coach, "Norms for visiting a colleague", kind="norms", body="We describe; we never judge.", tags="Trust, norms"
    )
    _add(
        coach,
        "Taking descriptive notes",
        body="Write what students say, word for word.",
        tags="feedback",
        protocol_id=protocol.id,
    )
    _add(coach, "Video: a learning walk", kind="video", link="https://video.example/walk", tags="trust")
    assert [r.title for r in services.search(words="DESCRIBE")] == ["Norms for visiting a colleague"]
    assert [r.title for r in services.search(words="students word")] == ["Taking descriptive notes"]
    assert [r.title for r in services.search(tag="trust")] == [
        "Norms for visiting a colleague",
        "Video: a learning walk",
    ]
    assert [r.title for r in services.search(kind="video")] == ["Video: a learning walk"]
    assert [r.title for r in services.search(protocol_id=protocol.id)] == ["Taking descriptive notes"]
    assert services.search(words="100%_") == []  # wildcards are searched for, not obeyed
    assert [r.title for r in services.search(words="trus")] == [  # tags are searched too
        "Norms for visiting a colleague",
        "Video: a learning walk",
    ]


def test_everyone_reads_and_only_admins_and_coaches_keep_it(keepers, auth, client):
    resource = _add(keepers["coach"], "Norms", kind="norms", body="Line one\nLine two", tags="trust")
    for who in ("teacher", "substitute"):
        switch_to(auth, keepers[who])
        assert "Line one" in client.get(f"/toolkit/{resource.id}").get_data(as_text=True)
        found = client.get("/toolkit/?q=norms", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert found.startswith('<div id="toolkit-results"') and "Norms" in found
        assert client.get("/toolkit/new").status_code == 403
        assert client.post(f"/toolkit/{resource.id}/delete").status_code == 403
    with pytest.raises(RuleViolation):
        _add(keepers["teacher"], "Mine")
    switch_to(auth, keepers["coach"])
    saved = client.post(
        f"/toolkit/{resource.id}/edit", data={"title": "Our norms", "kind": "norms", "tags": "trust, safety"}
    )
    assert saved.status_code == 302
    db.session.refresh(resource)
    assert resource.title == "Our norms" and resource.tag_names == ["safety", "trust"]


def test_a_link_must_be_a_web_address_and_bad_input_keeps_what_was_typed(keepers, auth, client):
    switch_to(auth, keepers["coach"])
    for link in ("javascript:alert(1)", "ftp://files.example/x", "https://", "not a link"):
        page = client.post("/toolkit/new", data={"title": "Clip of a lesson", "kind": "video", "link": link})
        text = page.get_data(as_text=True)
        assert page.status_code == 422 and "full web address" in text and "Clip of a lesson" in text
    missing = client.post("/toolkit/new", data={"title": "Clip", "kind": "video", "link": ""})
    assert missing.status_code == 422 and services.LINK_NEEDED in missing.get_data(as_text=True)
    too_many = client.post("/toolkit/new", data={"title": "Clip", "kind": "guide", "tags": ",".join("abcdefghi")})
    assert too_many.status_code == 422 and "at most 8 tags" in too_many.get_data(as_text=True)
    assert db.session.scalar(select(ToolkitResource)) is None


def test_the_library_runs_the_same_queries_for_two_resources_or_twelve(keepers, auth, client, count_queries):
    protocol = db.session.scalar(select(Protocol))
    for n in range(2):
        _add(keepers["coach"], f"Guide {n}", tags="trust, notes", protocol_id=protocol.id)
    switch_to(auth, keepers["teacher"])
    with count_queries() as few:
        assert client.get("/toolkit/").status_code == 200
    for n in range(2, 12):
        _add(keepers["coach"], f"Guide {n}", tags=f"trust, tag {n}", protocol_id=protocol.id)
    with count_queries() as many:
        assert client.get("/toolkit/").get_data(as_text=True).count(protocol.name) >= 12
    assert many.n == few.n
