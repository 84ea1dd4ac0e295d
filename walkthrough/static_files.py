"""Static files carry a hash of their content in their address, so browsers keep them for a year and
still fetch a new copy the moment a file changes."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

A_YEAR = 365 * 24 * 3600


def init_static_files(app: Flask) -> None:
    def digest(filename: str) -> str | None:
        path = safe_join(app.static_folder, filename)
        try:
            return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else None
        except OSError:
            return None

    # While developing, files change under a running server; in production they don't.
    remembered = digest if app.debug else lru_cache(maxsize=512)(digest)

    @app.url_defaults
    def add_digest(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (found := remembered(values.get("filename", ""))):
            values["v"] = found

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and response.status_code == 200 and response.direct_passthrough:
            _read_whole(response)
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = A_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response


def _read_whole(response) -> None:
    """Static files are small: read them whole, so the file is closed now and compression (which runs
    after this) sees a plain body instead of wrapping the open file in a generator."""
    body = response.response
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    response.direct_passthrough = False
    response.set_data(data)
