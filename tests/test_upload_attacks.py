"""Hostile uploads through the real routes: each refused with a clear message, nothing stored, and a
huge body refused from its Content-Length before a byte of it is read."""

import io
import socket
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import PHOTO_FOLDER
from tests.permission_world import build_world, sign_in_as
from walkthrough.extensions import db
from walkthrough.observations import photos
from walkthrough.observations.models import Photo


def _png(size, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG", **options)
    return out.getvalue()


def _jpeg(size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG")
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims enormous dimensions (the data is nowhere near)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _polyglot() -> bytes:
    """A real JPEG with an HTML page and a ZIP archive riding after its end marker."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("evil.html", "<script>alert(1)</script>")
    return _jpeg() + b"<html><script>alert(document.cookie)</script></html>" + archive.getvalue()


REFUSED = {
    "a decompression bomb": (_png((12000, 12000), optimize=True), photos.TOO_MANY_PIXELS),
    "huge dimensions in a tiny file": (_png_claiming(100_000, 100_000), photos.TOO_MANY_PIXELS),
    "a truncated JPEG": (_jpeg()[:200], photos.NOT_AN_IMAGE),
    "text renamed .jpg": (b"Meeting notes, definitely a photo", photos.NOT_AN_IMAGE),
    "an SVG with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
        photos.NOT_AN_IMAGE,
    ),
    "a zero-byte file": (b"", photos.EMPTY),
    "a GIF (not a phone photo format)": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", photos.NOT_AN_IMAGE),
}


@pytest.fixture
def editor(app, make_school, make_user):
    world = build_world(make_school, make_user)
    client = app.test_client()
    sign_in_as(client, world.people["observer"])
    return client, world.ids["observation"]


def _stored_files() -> set[str]:
    return {p.name for p in Path(PHOTO_FOLDER).glob("*.jpg")}


def _photo_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


@pytest.mark.parametrize("attack", sorted(REFUSED))
def test_each_hostile_file_is_refused_with_a_clear_message_and_nothing_kept(editor, attack):
    client, observation_id = editor
    raw, message = REFUSED[attack]
    photos_before, files_before = _photo_count(), _stored_files()
    response = client.post(
        f"/observations/{observation_id}/photos",
        data={"field_key": "photos", "caption": "kept caption", "photo": (io.BytesIO(raw), "photo.jpg")},
        headers={"HX-Request": "true"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422, attack
    assert str(escape(message)) in page, page[:500]
    assert 'value="kept caption"' in page
    assert _photo_count() == photos_before and _stored_files() == files_before


def test_a_polyglot_is_re_encoded_so_nothing_riding_on_it_survives(editor):
    client, observation_id = editor
    response = client.post(
        f"/observations/{observation_id}/photos",
        data={"field_key": "photos", "photo": (io.BytesIO(_polyglot()), "photo.jpg")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    stored = db.session.scalars(select(Photo).order_by(Photo.id.desc())).first()
    served = client.get(f"/observations/photos/{stored.id}")
    body = served.get_data()
    served.close()
    assert served.mimetype == "image/jpeg" and served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in body and b"PK\x03\x04" not in body
    assert Image.open(io.BytesIO(body)).format == "JPEG"


def test_a_very_long_thin_image_is_accepted_and_scaled(editor):
    client, observation_id = editor
    response = client.post(
        f"/observations/{observation_id}/photos",
        data={"field_key": "photos", "photo": (io.BytesIO(_png((20_000, 3))), "panorama.png")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    stored = db.session.scalars(select(Photo).order_by(Photo.id.desc())).first()
    assert stored.width == photos.LONG_EDGE and stored.height >= 1


def test_a_100_mb_body_is_refused_from_its_length_before_it_is_read(app, editor):
    client, observation_id = editor
    session_cookie = client.get_cookie("session").value
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as connection:
            connection.sendall(
                (
                    f"POST /observations/{observation_id}/photos HTTP/1.1\r\nHost: localhost\r\n"
                    f"Cookie: session={session_cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    f"Content-Length: {100 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
                ).encode()
            )
            # Not one byte of the body is sent: the answer must come from the headers alone.
            answer = connection.recv(65536).decode(errors="replace")
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "That file is too large" in answer or "Content-Length" in answer
