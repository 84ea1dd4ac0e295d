"""Responses are compressed for browsers that ask, and static files are fingerprinted and kept a year."""

import gzip
import re

from flask import url_for


def _without_tokens(page: str) -> str:
    return re.sub(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}", "TOKEN", page)


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    plain = client.get("/auth/login")
    squeezed = client.get("/auth/login", headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    # The CSRF token carries the second it was signed, which may differ between the two requests.
    assert _without_tokens(gzip.decompress(squeezed.data).decode()) == _without_tokens(plain.get_data(as_text=True))
    assert len(squeezed.data) < len(plain.data) / 2


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets and all(re.search(r"\?v=[0-9a-f]{12}$", asset) for asset in assets), assets
    for asset in assets:
        response = client.get(asset, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
        response.close()
    unversioned = client.get("/static/css/app.css")
    assert not unversioned.cache_control.immutable
    unversioned.close()


def test_a_changed_file_gets_a_new_address(make_app, tmp_path):
    app = make_app(DEBUG=True)
    css = tmp_path / "static" / "site.css"
    css.parent.mkdir()
    app.static_folder = str(css.parent)
    css.write_text("body { color: black; }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        css.write_text("body { color: navy; }")
        second = url_for("static", filename="site.css")
    assert first != second
