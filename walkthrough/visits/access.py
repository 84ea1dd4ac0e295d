"""Who may change a visit slot or a booking.

- Open slots are public to everyone signed in; only the host changes or cancels theirs. Another teacher's
  slot is visible, so changing it is refused with 403.
- A booking belongs to the observer and to the coach who made it; anyone else gets 404, since who visits
  whom is not theirs to learn. Declining it and writing its notes are the observer's alone: the coach gets 403."""

from flask import abort

from ..auth.models import User
from ..extensions import db
from .models import SignUp, VisitSlot


def hosted_slot_or_403(viewer: User, slot_id: int) -> VisitSlot:
    slot = db.get_or_404(VisitSlot, slot_id)
    if slot.host_id != viewer.id:
        abort(403)
    return slot


def own_signup_or_404(viewer: User, signup_id: int) -> SignUp:
    signup = db.get_or_404(SignUp, signup_id)
    if viewer.id not in (signup.observer_id, signup.booked_by_id):
        abort(404)
    return signup


def observers_signup_or_403(viewer: User, signup_id: int) -> SignUp:
    signup = own_signup_or_404(viewer, signup_id)
    if signup.observer_id != viewer.id:
        abort(403)
    return signup
