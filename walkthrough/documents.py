"""Printable documents rendered to PDF from the same templates people see in the browser, on the district's
paper: Letter in the Americas, A4 elsewhere, unless WALKTHROUGH_PAPER_SIZE says otherwise."""

from pathlib import Path

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from .downloads import pdf_response
from .extensions import db
from .schools.models import School

LETTER_TIME_ZONES = ("America/", "US/", "Canada/", "Pacific/Honolulu")


def paper_size() -> str:
    chosen = current_app.config.get("PAPER_SIZE")
    if chosen:
        return chosen
    school = current_user.school if current_user.is_authenticated else None
    # A district admin may have no school of their own: the district's schools share its time zone.
    zone = school.timezone if school else db.session.scalar(select(School.timezone).order_by(School.id).limit(1))
    return "letter" if zone and zone.startswith(LETTER_TIME_ZONES) else "A4"


def print_css() -> str:
    page = f"@page {{ size: {paper_size()}; }}\n"
    return page + (Path(current_app.static_folder) / "css" / "print.css").read_text(encoding="utf-8")


def pdf_of(template: str, filename: str, **context):
    return pdf_response(filename, render_template(template, inline_css=print_css(), **context))
