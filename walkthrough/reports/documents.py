"""Printable documents rendered to PDF from the same templates people see in the browser."""

from flask import current_app, render_template

from ..downloads import pdf_response


def print_css() -> str:
    with current_app.open_resource("../static/css/print.css") as stylesheet:
        return stylesheet.read().decode("utf-8")


def pdf_of(template: str, filename: str, **context):
    return pdf_response(filename, render_template(template, inline_css=print_css(), **context))
