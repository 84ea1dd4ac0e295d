"""Objects put in a database session as a query would have loaded them, from values read some other way (kept
between requests, or several tables' rows read in one statement)."""

from sqlalchemy.orm.base import instance_state


def as_loaded(session, mapper, values: dict, identity: tuple):
    """An object with these column (and relationship) values set as committed and its identity key given, so the
    session treats it as a row it read: a change to it is flushed as an UPDATE. One the session already holds is
    used as it is, as a query would."""
    key = mapper.identity_key_from_primary_key(identity)
    held = session.identity_map.get(key)
    if held is not None:
        return held
    instance = mapper.class_manager.new_instance()
    state = instance_state(instance)
    state.dict.update(values)
    state.key = key
    session.add(instance)
    return instance
