"""Signing in with the district's account (auth/sso.py holds the rules). Every refusal is audited and shown as
a page that says what the person can do about it; nothing here signs anyone in except a checked ID token."""

import logging

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..access import public
from ..audit.services import record as audit
from ..db_types import utcnow
from ..extensions import db
from ..urls import external_url, safe_next
from . import bp, sessions, sso

log = logging.getLogger(__name__)

# What the session keeps between the trip out to the provider and the way back, and after sign-out.
NEXT = "sso_next"
ID_TOKEN = "sso_id_token"

UNREACHABLE = "{label} isn't answering right now, so you can't sign in with it. Try again in a few minutes."
CANCELLED = "You didn't finish signing in with {label}, so you aren't signed in to Walkthrough."
NOT_VERIFIED = (
    "Walkthrough couldn't confirm that sign-in came from {label}, so it was refused. Start again; if it keeps "
    "happening, tell your district's help desk."
)


def _refused(reason: str, message: str, *, status: int = 403, email: str = ""):
    audit(None, "sso_refused", email=email, reason=reason, address=request.remote_addr)
    db.session.commit()
    return render_template("auth/sso_refused.html", message=message, label=sso.label()), status


@bp.route("/sso")
@public
def sso_start():
    if not sso.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    session[NEXT] = safe_next(request.args.get("next", ""))
    import requests  # with Authlib, only when SSO is on (see sso.init_sso)

    try:
        return sso.client().authorize_redirect(external_url("auth.sso_callback"))
    except requests.RequestException as error:
        log.warning("OpenID Provider unreachable at sign-in: %s", error)
        return _refused("unreachable", UNREACHABLE.format(label=sso.label()), status=503)


@bp.route("/sso/callback")
@public
def sso_callback():
    if not sso.enabled():
        abort(404)
    import requests
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    label = sso.label()
    if request.args.get("error"):
        reason = "cancelled" if request.args["error"] in ("access_denied", "consent_required") else "provider_error"
        return _refused(reason, CANCELLED.format(label=label), status=400)
    try:
        provider = sso.client()
        token = provider.authorize_access_token(
            claims_options=sso.claims_options(), leeway=current_app.config["OIDC_CLOCK_SKEW_SECONDS"]
        )
        claims = token.get("userinfo")
        if claims is None:
            raise AuthlibBaseError(description="no ID token in the token response")
        person = sso.person_for(claims, provider.load_server_metadata()["issuer"])
    except requests.RequestException as error:
        log.warning("OpenID Provider unreachable at callback: %s", error)
        return _refused("unreachable", UNREACHABLE.format(label=label), status=503)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        db.session.rollback()
        log.warning("Refused an ID token: %r", error)
        return _refused("bad_token", NOT_VERIFIED.format(label=label), status=400)
    except sso.SsoRefused as refused:
        db.session.rollback()
        return _refused(refused.reason, refused.message, email=refused.email)
    sessions.sign_in(person, remember=False)
    person.last_login_at = utcnow()
    db.session.commit()
    session[ID_TOKEN] = token.get("id_token", "")
    return redirect(session.pop(NEXT, None) or url_for("home.index"))


@bp.route("/sso/sign-out")
@public
def sso_sign_out():
    """After signing out of Walkthrough: also sign out at the provider, where it offers that."""
    id_token = session.pop(ID_TOKEN, None)
    if not sso.enabled() or current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    import requests

    try:
        end_session = sso.client().load_server_metadata().get("end_session_endpoint")
    except requests.RequestException:
        end_session = None
    if not end_session:
        return redirect(url_for("auth.login"))
    return sso.client().logout_redirect(
        post_logout_redirect_uri=external_url("auth.login"),
        id_token_hint=id_token or None,
        client_id=current_app.config["OIDC_CLIENT_ID"],
    )
