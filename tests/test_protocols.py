"""The protocol library: built-ins, copies, versioned templates, and no field that rates anyone."""

import pytest
from sqlalchemy import select

from walkthrough.auth.models import Role
from walkthrough.extensions import db
from walkthrough.observations.services import start_observation
from walkthrough.protocols import access, services
from walkthrough.protocols import fields as field_rules
from walkthrough.protocols.fields import FieldKind
from walkthrough.protocols.models import Protocol, ProtocolVersion
from walkthrough.rules import RuleViolation


def built_in(slug: str) -> Protocol:
    return db.session.scalar(select(Protocol).where(Protocol.slug == slug))


def test_five_built_in_protocols_with_steps_and_templates(app):
    protocols = db.session.scalars(select(Protocol).where(Protocol.slug.is_not(None))).all()
    assert {p.slug for p in protocols} == {
        "noticings-wonderings",
        "focus-question",
        "learning-walk",
        "instructional-rounds",
        "lesson-study",
    }
    for protocol in protocols:
        assert protocol.purpose and protocol.before and protocol.during and protocol.after
        assert protocol.current.fields
    assert any(f["kind"] == "focus_question" for f in built_in("focus-question").current.fields)
    assert any(f["kind"] == "look_fors" for f in built_in("learning-walk").current.fields)


@pytest.mark.parametrize("kind", ["rating", "score", "rank", "scale", "grade", "stars", "", None])
def test_no_field_kind_can_rate_score_or_rank(app, kind):
    """There is no such kind, and the model refuses one."""
    assert not any(word in k.value for k in FieldKind for word in ("rat", "scor", "rank", "grade", "star"))
    with pytest.raises(RuleViolation, match="never rates"):
        ProtocolVersion(number=1, fields=[{"kind": kind, "label": "How good was it?"}])


@pytest.mark.parametrize(
    "fields, message",
    [
        ([], field_rules.NO_FIELDS),
        ([{"kind": "prompt", "label": "  "}], field_rules.NEEDS_LABEL),
        ([{"kind": "look_fors", "label": "Look-fors", "items": []}], field_rules.NEEDS_ITEMS),
        (
            [{"key": "a", "kind": "prompt", "label": "A"}, {"key": "a", "kind": "prompt", "label": "B"}],
            field_rules.DUPLICATE_KEYS,
        ),
    ],
)
def test_template_rules(app, fields, message):
    with pytest.raises(RuleViolation, match=message):
        field_rules.check_template(fields)


def test_a_copy_can_be_edited_and_notes_keep_the_version_they_were_written_with(app, make_user):
    coach = make_user(Role.COACH, Role.TEACHER)
    host = make_user(Role.TEACHER)
    copy = services.copy_protocol(protocol=built_in("noticings-wonderings"), actor=coach)
    db.session.commit()
    assert copy.copied_from.slug == "noticings-wonderings" and copy.current.number == 1
    observation = start_observation(observer=coach, host=host, protocol=copy)
    db.session.commit()
    first_fields = list(observation.protocol_version.fields)
    changed = [dict(f) for f in copy.current.fields][::-1]
    changed[0]["label"] = "What I saw"
    services.update_protocol(
        protocol=copy, actor=coach, name=copy.name, purpose=copy.purpose, before="", during="", after="", fields=changed
    )
    db.session.commit()
    assert copy.current.number == 2 and copy.current.fields[0]["label"] == "What I saw"
    db.session.expire_all()
    assert observation.protocol_version.number == 1 and observation.protocol_version.fields == first_fields


def test_an_unused_version_is_edited_in_place(app, make_user):
    coach = make_user(Role.COACH)
    copy = services.copy_protocol(protocol=built_in("lesson-study"), actor=coach)
    fields = copy.current.fields[:2]
    services.update_protocol(
        protocol=copy, actor=coach, name="Ours", purpose="p", before="", during="", after="", fields=fields
    )
    assert copy.current.number == 1 and len(copy.current.fields) == 2


def test_built_ins_and_other_peoples_copies_are_read_only(app, make_user):
    coach, other_coach, admin = make_user(Role.COACH), make_user(Role.COACH), make_user(Role.ADMIN)
    with pytest.raises(RuleViolation, match="Built-in"):
        services.update_protocol(
            protocol=built_in("learning-walk"),
            actor=admin,
            name="x",
            purpose="x",
            before="",
            during="",
            after="",
            fields=[{"kind": "prompt", "label": "x"}],
        )
    copy = services.copy_protocol(protocol=built_in("learning-walk"), actor=coach)
    assert access.can_edit(coach, copy) and access.can_edit(admin, copy)
    assert not access.can_edit(other_coach, copy)
    assert not access.can_copy(make_user(Role.TEACHER))


def test_the_template_editor_adds_moves_and_removes_fields(client, auth, make_user):
    coach = make_user(Role.COACH)
    auth.login(coach)
    response = client.post(f"/protocols/{built_in('noticings-wonderings').id}/copy")
    edit_url = response.location
    copy = db.session.scalar(select(Protocol).where(Protocol.owner_id == coach.id))
    labels = [f["label"] for f in copy.current.fields]

    def form(action, fields=None, **extra):
        fields = fields or copy.current.fields
        data = {
            "name": copy.name,
            "purpose": copy.purpose,
            "before": "",
            "during": "",
            "after": "",
            "field_count": len(fields),
            "action": action,
            "new_kind": extra.get("new_kind", "prompt"),
        }
        for i, f in enumerate(fields):
            data |= {
                f"field-{i}-key": f["key"],
                f"field-{i}-kind": f["kind"],
                f"field-{i}-label": f["label"],
                f"field-{i}-help": f.get("help", ""),
                f"field-{i}-items": "\n".join(f.get("items", [])),
            }
        return data

    assert client.post(edit_url, data=form("down:0")).status_code == 302
    db.session.refresh(copy.current)
    assert [f["label"] for f in copy.current.fields][:2] == [labels[1], labels[0]]
    client.post(edit_url, data=form("add", new_kind="look_fors"))
    db.session.refresh(copy.current)
    assert copy.current.fields[-1]["kind"] == "look_fors"
    client.post(edit_url, data=form("remove:0"))
    db.session.refresh(copy.current)
    assert len(copy.current.fields) == len(labels)
    garbled = form("save") | {"field_count": "lots"}
    assert client.post(edit_url, data=garbled).status_code == 422  # no fields read: "needs at least one field"
    sneaky = form("save")
    sneaky["field-0-kind"] = "rating"
    response = client.post(edit_url, data=sneaky)
    assert response.status_code == 422 and "never rates" in response.get_data(as_text=True)


def test_teachers_can_read_the_library_but_not_copy(client, auth, make_user):
    auth.login(make_user(Role.TEACHER))
    assert "Learning walk" in client.get("/protocols/").get_data(as_text=True)
    protocol_id = built_in("learning-walk").id
    assert client.get(f"/protocols/{protocol_id}").status_code == 200
    assert client.post(f"/protocols/{protocol_id}/copy").status_code == 403
    assert client.get(f"/protocols/{protocol_id}/edit").status_code == 403
