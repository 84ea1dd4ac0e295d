"""The app exactly as `wsgi.py` serves it, plus two pages that do nothing, for `load.py --floor`.

They show what the stack costs a signed-in request before a page does any work of its own: reading the
session cookie, the person and their roles (one statement), the request hooks, the security headers; the
second adds the layout every page renders around its content, and its compression. Served only by the
bench: `wsgi.py` has neither page."""

from flask import render_template
from flask_login import current_user

from wsgi import app

# Compiled once, as a template from the templates folder is: Flask renders a Template object as it is given.
EMPTY_PAGE = app.jinja_env.from_string(
    "{% extends 'base.html' %}{% block title %}Nothing{% endblock %}{% block content %}{% endblock %}"
)


def signed_in_only():
    return f"Signed in as {current_user.name}"


def empty_layout():
    return render_template(EMPTY_PAGE)


app.add_url_rule("/_floor/signed-in", "floor_signed_in", signed_in_only)
app.add_url_rule("/_floor/layout", "floor_layout", empty_layout)
