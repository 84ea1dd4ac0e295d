"""Email: written to the outbox with the action that causes it, delivered by the worker."""


def init_outbox(app) -> None:
    from .render import email_paragraphs

    app.jinja_env.filters["email_paragraphs"] = email_paragraphs
