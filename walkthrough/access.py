"""Who may reach which route. Every route needs a signed-in user unless it is marked @public;
role checks are decorators so each route states its rule where it is defined."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

if TYPE_CHECKING:  # the rules name roles; they needn't import the people layer to do so
    from .auth.models import Role


def public(view):
    view.is_public = True
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login_unless_public():
    """before_request hook: deny by default, so a new route is never left open by accident."""
    if current_user.is_authenticated or is_public_endpoint(request.endpoint):
        return None
    wanted = request.full_path if request.query_string else request.path
    login_url = url_for("auth.login", next=wanted if request.method == "GET" and wanted != "/" else None)
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def role_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
