"""The showcase: published only with both teachers' consent, withdrawn by either at once (page, gallery and
photo), never by an admin's hand, and never showing more of the notes than the excerpt chosen."""

import pytest
from sqlalchemy import func, select

from tests.permission_world import NOTE_TEXT, build_world
from tests.survey_setup import switch_to
from walkthrough.extensions import db
from walkthrough.observations.models import Observation
from walkthrough.rules import RuleViolation
from walkthrough.showcase import services
from walkthrough.showcase.models import ShowcaseItem


@pytest.fixture
def visit(make_school, make_user):
    world = build_world(make_school, make_user)
    observation = db.session.get(Observation, world.ids["observation"])
    observation.finished_at = observation.started_at
    db.session.commit()
    return world, observation


def _propose(client, observation, **extra):
    return client.post(
        f"/showcase/new/{observation.id}",
        data={
            "title": "Turn and talk in Algebra",
            "excerpt": "Pairs compared two methods aloud.",
            "agree": "y",
            **extra,
        },
    )


def test_published_only_once_the_host_agrees_and_gone_at_once_when_either_withdraws(visit, auth, client, outbox):
    world, observation = visit
    people = world.people
    photo_id = world.ids["photo"]
    switch_to(auth, people["observer"])
    assert _propose(client, observation, photo_id=photo_id).status_code == 302
    item = db.session.scalar(select(ShowcaseItem).order_by(ShowcaseItem.id.desc()))
    assert outbox(people["host"].email)[-1].subject == "Omar Observer asks to showcase your class"

    switch_to(auth, people["teacher"])  # a colleague sees nothing yet, not even the photo
    assert item.title == "Turn and talk in Algebra"
    assert "Turn and talk" not in client.get("/showcase/").get_data(as_text=True)
    assert client.get(f"/showcase/{item.id}").status_code == 404
    assert client.get(f"/showcase/{item.id}/photo").status_code == 404

    switch_to(auth, people["host"])
    assert "May this be published?" in client.get(f"/showcase/{item.id}").get_data(as_text=True)
    assert client.post(f"/showcase/{item.id}/consent").status_code == 302
    assert outbox(people["observer"].email)[-1].subject == "In the showcase: Turn and talk in Algebra"

    switch_to(auth, people["district_admin"])
    gallery = client.get("/showcase/").get_data(as_text=True)
    assert "Turn and talk in Algebra" in gallery and "Pairs compared two methods aloud." in gallery
    assert NOTE_TEXT not in gallery  # the notes stay the observer's; only the chosen excerpt is shown
    shown = client.get(f"/showcase/{item.id}/photo")
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "private, no-store"
    shown.close()
    client.post(f"/showcase/{item.id}/withdraw")
    db.session.refresh(item)
    assert item.withdrawn_at is None  # an admin can't take it down or keep it up: it is the teachers' call

    switch_to(auth, people["host"])
    assert client.post(f"/showcase/{item.id}/withdraw").status_code == 302
    assert outbox(people["observer"].email)[-1].subject == "Withdrawn: Turn and talk in Algebra"
    switch_to(auth, people["district_admin"])
    assert "Turn and talk" not in client.get("/showcase/").get_data(as_text=True)
    assert client.get(f"/showcase/{item.id}").status_code == 404
    assert client.get(f"/showcase/{item.id}/photo").status_code == 404
    switch_to(auth, people["host"])  # withdrawn is final: no consenting again
    assert client.post(f"/showcase/{item.id}/consent").status_code == 302
    db.session.refresh(item)
    assert not item.published


def test_the_observer_can_withdraw_too_and_a_declined_item_is_never_shown(visit):
    world, observation = visit
    people = world.people
    item = services.propose(observation=observation, actor=people["observer"], title="A", excerpt="B", photo_id=None)
    services.consent(item=item, actor=people["host"])
    assert item.published
    services.withdraw(item=item, actor=people["observer"])
    assert not item.published and item.withdrawn_by_id == people["observer"].id
    other = services.propose(observation=observation, actor=people["observer"], title="C", excerpt="D", photo_id=None)
    services.decline(item=other, actor=people["host"])
    with pytest.raises(RuleViolation):
        services.consent(item=other, actor=people["host"])
    assert not other.published


def test_only_the_observer_proposes_and_only_with_their_own_visits_photo_and_agreement(visit, auth, client):
    world, observation = visit
    people = world.people
    for who in ("host", "coach", "district_admin"):
        switch_to(auth, people[who])
        assert _propose(client, observation).status_code in (403, 404)
    with pytest.raises(RuleViolation):
        services.propose(observation=observation, actor=people["host"], title="A", excerpt="B", photo_id=None)
    switch_to(auth, people["observer"])
    no_agreement = _propose(client, observation, agree="")
    assert no_agreement.status_code == 422 and "Tick to agree" in no_agreement.get_data(as_text=True)
    stray = _propose(client, observation, photo_id=999)
    assert stray.status_code == 422 and "Choose one of this visit" in stray.get_data(as_text=True)
    long = _propose(client, observation, excerpt="x" * 1001)
    text = long.get_data(as_text=True)
    assert long.status_code == 422 and "under 1,000 characters" in text and "Turn and talk in Algebra" in text
    assert db.session.scalar(select(func.count()).select_from(ShowcaseItem)) == 1  # the world's own


def test_only_the_host_answers(visit):
    world, observation = visit
    people = world.people
    item = services.propose(observation=observation, actor=people["observer"], title="A", excerpt="B", photo_id=None)
    for who in ("observer", "coach", "school_admin", "district_admin"):
        with pytest.raises(RuleViolation):
            services.consent(item=item, actor=people[who])
    assert not item.published
