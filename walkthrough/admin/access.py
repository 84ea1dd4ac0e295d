"""What an admin may manage: a district admin, every school and person; a school's admin, their own school
and its staff. Being an admin never opens a note, a record or a reflection (those features' access modules
don't know the admin role), and an admin never changes their own roles (auth.people).

Another school or another school's person is refused with 403: the admin knows the district's schools exist,
they just don't manage them. A roster upload is 404 to everyone but the admin who uploaded it."""

from flask import abort

from ..auth.models import User
from ..extensions import db
from ..roster.models import RosterUpload
from ..schools.models import BellPeriod, School
from ..schools.queries import can_manage_school


def person_or_403(admin: User, person_id: int) -> User:
    person = db.get_or_404(User, person_id)
    if admin.school_id is not None and person.school_id != admin.school_id:
        abort(403)
    return person


def school_or_403(admin: User, school_id: int) -> School:
    school = db.get_or_404(School, school_id)
    if not can_manage_school(admin, school):
        abort(403)
    return school


def period_or_403(admin: User, period_id: int) -> BellPeriod:
    period = db.get_or_404(BellPeriod, period_id)
    school_or_403(admin, period.school_id)
    return period


def own_upload_or_404(admin: User, upload_id: int) -> RosterUpload:
    upload = db.get_or_404(RosterUpload, upload_id)
    if upload.uploaded_by_id != admin.id:
        abort(404)
    return upload
