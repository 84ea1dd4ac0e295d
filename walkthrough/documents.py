"""Printable documents rendered to PDF from the same templates people see in the browser, on the district's
paper: Letter in the Americas, A4 elsewhere, unless WALKTHROUGH_PAPER_SIZE says otherwise."""

from pathlib import Path

from flask import current_app, render_template
from flask_login import current_user

from .downloads import pdf_response

LETTER_TIME_ZONES = ("America/", "US/", "Canada/", "Pacific/Honolulu")


def paper_size(zone: str | None = None) -> str:
    """The configured size, or the one used where the school is (its time zone says where): the school the
    document is about, else the signer's own. Letter when neither is known: most districts using this are
    in the US."""
    chosen = current_app.config.get("PAPER_SIZE")
    if chosen:
        return chosen
    if zone is None and getattr(current_user, "is_authenticated", False) and current_user.school:
        zone = current_user.school.timezone
    return "letter" if zone is None or zone.startswith(LETTER_TIME_ZONES) else "A4"


def print_css(zone: str | None = None) -> str:
    page = f"@page {{ size: {paper_size(zone)}; }}\n"
    return page + (Path(current_app.static_folder) / "css" / "print.css").read_text(encoding="utf-8")


def pdf_of(template: str, filename: str, zone: str | None = None, **context):
    return pdf_response(filename, render_template(template, inline_css=print_css(zone), **context))
