"""Find data that breaks the role rules (written before the rules existed, or by hand). It is reported,
never changed silently: which role someone keeps is a person's decision, not a migration's.

Plain SQL on a connection, so a migration can run it as well as the `flask trust check` command."""

from sqlalchemy import text
from sqlalchemy.engine import Connection

ADMIN_AND_COACH = text(
    """
    SELECT u.email FROM users u
    WHERE EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'admin')
      AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'coach')
    ORDER BY u.email
    """
)
ADMIN_IN_COHORT = text(
    """
    SELECT DISTINCT u.email, c.name FROM users u
    JOIN role_grants g ON g.user_id = u.id AND g.role = 'admin'
    JOIN cohorts c ON c.team_leader_id = u.id
        OR EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = c.id AND m.user_id = u.id)
    ORDER BY u.email, c.name
    """
)
LEADER_NOT_MEMBER = text(
    """
    SELECT c.name, u.email FROM cohorts c JOIN users u ON u.id = c.team_leader_id
    WHERE NOT EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = c.id AND m.user_id = c.team_leader_id)
    ORDER BY c.name
    """
)


def problems(connection: Connection) -> list[str]:
    found = [
        f"{email} holds both the admin and the coach role; remove one of them."
        for (email,) in connection.execute(ADMIN_AND_COACH)
    ]
    found += [
        f"{email} is an admin and in the cohort {name!r}; take them out of it or remove the admin role."
        for email, name in connection.execute(ADMIN_IN_COHORT)
    ]
    found += [
        f"The cohort {name!r} is led by {email}, who is not one of its members; add them or choose another leader."
        for name, email in connection.execute(LEADER_NOT_MEMBER)
    ]
    return found
