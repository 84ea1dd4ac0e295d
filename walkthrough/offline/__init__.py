"""The installed app: its manifest, the service worker that keeps today's pages on the phone, and the page a
phone shows when it is offline."""

from flask import Blueprint

bp = Blueprint("offline", __name__)

from . import routes  # noqa: E402,F401
