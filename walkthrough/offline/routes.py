import hashlib
import json

from flask import Response, current_app, jsonify, render_template, url_for
from flask_login import current_user

from ..access import public
from . import bp
from .today import pages_to_keep, person_key

# Files every page needs, kept by the service worker when it installs (their addresses carry a digest,
# so a changed file is a new address and a new worker).
SHELL_FILES = [
    "css/app.css",
    "js/app.js",
    "js/offline.js",
    "js/notes.js",
    "js/photo-queue.js",
    "js/nudge.js",
    "js/walk.js",
    "js/commonjs-global.js",
    "vendor/htmx/htmx.min.js",
    "vendor/diff-match-patch/diff_match_patch.js",
    "favicon.svg",
    "icons/icon-192.png",
]
THEME_COLOUR = "#143f5e"


def static_url(filename: str) -> str:
    return url_for("static", filename=filename)


def _shell() -> list[str]:
    return [static_url(name) for name in SHELL_FILES]


@bp.app_context_processor
def offline_person() -> dict:
    """Each page tells the phone's service worker whose pages it keeps, without saying who."""
    return {"offline_person": person_key(current_user) if current_user.is_authenticated else ""}


@bp.route("/sw.js")
@public
def service_worker():
    """The worker is served from the root so it may look after every page. Its text names the current
    static files, so a new release is a new worker, which the browser installs by itself."""
    shell = _shell()
    version = hashlib.sha256(json.dumps(shell).encode()).hexdigest()[:12]
    script = render_template(
        "offline/sw.js",
        version=version,
        shell=shell,
        offline_url=url_for("offline.offline_page"),
        today_url=url_for("offline.today"),
    )
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _icon(name: str, size: str, purpose: str) -> dict:
    return {"src": static_url(f"icons/{name}"), "sizes": size, "type": "image/png", "purpose": purpose}


@bp.route("/manifest.webmanifest")
@public
def manifest():
    data = {
        "name": "Walkthrough",
        "short_name": "Walkthrough",
        "description": "Open classrooms, peer visits and descriptive notes, on your phone even without signal.",
        "id": url_for("home.index"),
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            _icon("icon-192.png", "192x192", "any"),
            _icon("icon-512.png", "512x512", "any"),
            _icon("maskable-512.png", "512x512", "maskable"),
        ],
    }
    return current_app.response_class(json.dumps(data), mimetype="application/manifest+json")


@bp.route("/offline")
def offline_page():
    """What the phone shows for a page it doesn't have while offline: what it does have."""
    return render_template("offline/page.html", pages=pages_to_keep(current_user))


@bp.route("/offline/today.json")
def today():
    response = jsonify(
        person=person_key(current_user),
        pages=[{"url": page.url, "title": page.title, "kind": page.kind} for page in pages_to_keep(current_user)],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
