from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """A full link for emails, from a request or from the command line (using BASE_URL)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"].rstrip("/")):
        return url_for(endpoint, _external=True, **values)
