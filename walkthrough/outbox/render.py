"""Each kind of email is one template (templates/email/<kind>.html) rendered twice: as HTML, and as plain
text with the same words. The template's `subject` block is the subject line."""

import re
from dataclasses import dataclass

from flask import current_app
from jinja2 import Environment
from markupsafe import Markup


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _text_environment() -> Environment:
    """The app's template environment without HTML escaping: names like O'Brien stay as typed in the text part."""
    environment = current_app.extensions.get("email_text_env")
    if environment is None:
        environment = current_app.jinja_env.overlay(autoescape=False)
        current_app.extensions["email_text_env"] = environment
    return environment


def _tidy_text(text: str) -> str:
    """Templates are indented for their readers; the email's lines start at the margin, one blank line apart."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.strip().splitlines())) + "\n"


def email_paragraphs(body: Markup) -> Markup:
    """The HTML part: text separated by blank lines becomes paragraphs; what a macro made (a button, a
    table, starting with a tag) stays as it is. The body was escaped as it was rendered."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", str(body)) if chunk.strip()]
    return Markup(
        "\n".join(
            chunk if chunk.startswith("<") else f'<p style="margin:0 0 16px">{" ".join(chunk.split())}</p>'
            for chunk in chunks
        )
    )


def render_email(kind: str, context: dict) -> RenderedEmail:
    name = f"email/{kind}.html"
    text_template = _text_environment().get_template(name)
    subject = "".join(text_template.blocks["subject"](text_template.new_context(dict(context, format="text"))))
    text = text_template.render(context, format="text")
    html = current_app.jinja_env.get_template(name).render(context, format="html", subject=subject)
    return RenderedEmail(subject=" ".join(subject.split()), text=_tidy_text(text), html=html)
