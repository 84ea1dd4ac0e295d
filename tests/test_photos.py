"""Photos are re-encoded upright, with no metadata, capped in size, and refused when they aren't photos."""

import io

import pytest
from PIL import ExifTags, Image

from walkthrough.observations import photos
from walkthrough.rules import RuleViolation


def jpeg_with_gps_and_rotation(size=(40, 20)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show rotated 90° clockwise
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    exif[ExifTags.Base.Make] = "PhoneCo"
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue, to check which way it turned
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def image_bytes(fmt: str, size=(30, 30), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, fmt, **options)
    return buffer.getvalue()


def test_gps_and_every_other_metadata_block_is_stripped(app):
    processed = photos.process_photo(jpeg_with_gps_and_rotation())
    for data in (processed.full, processed.thumb):
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"PhoneCo" not in data and b"GPS" not in data


def test_a_rotated_photo_comes_out_upright(app):
    processed = photos.process_photo(jpeg_with_gps_and_rotation(size=(40, 20)))
    image = Image.open(io.BytesIO(processed.full)).convert("RGB")
    assert image.size == (20, 40)
    # Rotated clockwise, the blue left half is now on top.
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert top[2] > 200 and top[0] < 60 and bottom[0] > 200 and bottom[2] < 60


def test_large_photos_are_capped_and_get_a_thumbnail(app):
    processed = photos.process_photo(image_bytes("JPEG", size=(4000, 3000)))
    assert max(processed.width, processed.height) == photos.LONG_EDGE
    assert max(Image.open(io.BytesIO(processed.thumb)).size) == photos.THUMB_EDGE


@pytest.mark.parametrize("fmt", ["PNG", "HEIF", "WEBP"])
def test_phone_formats_including_heic_are_accepted(app, fmt):
    processed = photos.process_photo(image_bytes(fmt))
    assert Image.open(io.BytesIO(processed.full)).format == "JPEG"


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"just some text, renamed to photo.jpg", photos.NOT_AN_IMAGE),
        (b"", photos.EMPTY),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, photos.NOT_AN_IMAGE),  # a truncated JPEG
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', photos.NOT_AN_IMAGE),
    ],
)
def test_files_that_are_not_photos_are_refused(app, raw, message):
    with pytest.raises(RuleViolation, match=message.split(".")[0]):
        photos.process_photo(raw)


def test_a_decompression_bomb_is_refused(app):
    bomb = image_bytes("PNG", size=(12000, 12000), optimize=True)
    assert len(bomb) < 1_000_000
    with pytest.raises(RuleViolation, match="far too large"):
        photos.process_photo(bomb)


def test_files_over_the_size_limit_are_refused(app):
    app.config["PHOTO_MAX_BYTES"] = 1000
    with pytest.raises(RuleViolation, match="larger than"):
        photos.process_photo(image_bytes("PNG", size=(300, 300)) + b"\x00" * 2000)


def test_a_refused_upload_says_why_beside_the_field_and_keeps_the_caption(app, client, auth, make_user, make_school):
    """The editor's photo section: a failed upload comes back with its error and the caption as typed; a good
    one comes back with an empty form and the photo listed."""
    from markupsafe import escape
    from sqlalchemy import select

    from walkthrough.auth.models import Role
    from walkthrough.extensions import db
    from walkthrough.observations import services
    from walkthrough.protocols.models import Protocol

    school = make_school()
    observer, host = make_user(Role.TEACHER, school=school), make_user(Role.TEACHER, school=school)
    protocol = next(
        p for p in db.session.scalars(select(Protocol)) if any(f["kind"] == "photo" for f in p.current.fields)
    )
    note = services.start_observation(observer=observer, host=host, protocol=protocol)
    db.session.commit()
    field = next(f for f in note.protocol_version.fields if f["kind"] == "photo")["key"]
    auth.login(observer)
    assert 'name="caption" maxlength="300"\n        value=""' in client.get(f"/observations/{note.id}").get_data(
        as_text=True
    )

    def upload(raw: bytes):
        return client.post(
            f"/observations/{note.id}/photos",
            data={"field_key": field, "caption": "Fraction strips on desk 3", "photo": (io.BytesIO(raw), "work.jpg")},
            headers={"HX-Request": "true"},
        )

    refused = upload(b"just some text, renamed to work.jpg")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f'id="photo-{field}-error" role="alert">{escape(photos.NOT_AN_IMAGE)}' in page
    assert 'value="Fraction strips on desk 3"' in page

    stored = upload(image_bytes("JPEG"))
    page = stored.get_data(as_text=True)
    assert stored.status_code == 200 and 'role="alert"' not in page
    assert 'value="Fraction strips on desk 3"' not in page and "Fraction strips on desk 3" in page  # listed, form empty
