"""Printable documents rendered to PDF from the same templates people see in the browser."""

from pathlib import Path

from flask import current_app, render_template

from .downloads import pdf_response


def print_css() -> str:
    return (Path(current_app.static_folder) / "css" / "print.css").read_text(encoding="utf-8")


def pdf_of(template: str, filename: str, **context):
    return pdf_response(filename, render_template(template, inline_css=print_css(), **context))
