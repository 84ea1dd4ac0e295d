"""Photos from phones: re-encoded, turned upright, stripped of every bit of metadata (GPS above all),
capped in size, and stored outside the static folder so only the permission-checked route serves them."""

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record as audit
from ..auth.models import User
from ..extensions import db
from ..protocols.fields import FieldKind
from ..rules import RuleViolation
from .models import Observation, Photo

register_heif_opener()

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF", "MPO", "WEBP"}
MAX_PIXELS = 60_000_000  # a 12-megapixel phone photo is 12 million; anything far past this is a bomb
LONG_EDGE = 2048
THUMB_EDGE = 480
NOT_AN_IMAGE = "That file isn't a photo we can read. Use a JPEG, PNG or HEIC photo."
TOO_BIG = "That photo is larger than {mb} MB. Take a smaller one or reduce its size."
TOO_MANY_PIXELS = "That image is far too large to be a photo."
EMPTY = "That file is empty."
NOT_A_PHOTO_FIELD = "This part of the note doesn't take photos."


@dataclass
class ProcessedPhoto:
    full: bytes
    thumb: bytes
    width: int
    height: int


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=: nothing from the original file is carried over.
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def process_photo(raw: bytes) -> ProcessedPhoto:
    if not raw:
        raise RuleViolation(EMPTY, field="photo")
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(raw) > limit:
        raise RuleViolation(TOO_BIG.format(mb=limit // (1024 * 1024)), field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise RuleViolation(NOT_AN_IMAGE, field="photo")
                if probe.width * probe.height > MAX_PIXELS:
                    raise RuleViolation(TOO_MANY_PIXELS, field="photo")
                probe.load()
                image = ImageOps.exif_transpose(probe).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RuleViolation(TOO_MANY_PIXELS, field="photo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RuleViolation(NOT_AN_IMAGE, field="photo") from None
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.thumbnail((LONG_EDGE, LONG_EDGE))
    thumb = clean.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    return ProcessedPhoto(full=_encode(clean), thumb=_encode(thumb), width=clean.width, height=clean.height)


def photo_folder() -> Path:
    folder = Path(current_app.config["PHOTO_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photo_path(photo: Photo, thumbnail: bool = False) -> Path:
    return photo_folder() / (f"{photo.stored_name}-thumb.jpg" if thumbnail else f"{photo.stored_name}.jpg")


def add_photo(
    *, observation: Observation, field_key: str, raw: bytes, caption: str = "", client_key: str | None = None
) -> Photo:
    """Add a photo to a note. A photo sent again with the key it was first sent with (a phone retrying
    an upload whose answer it never got) is the photo already stored, not a second one."""
    field = observation.protocol_version.field(field_key)
    if field is None or field["kind"] != FieldKind.PHOTO:
        raise RuleViolation(NOT_A_PHOTO_FIELD, field="photo")
    if client_key and (earlier := _photo_with_key(observation, client_key)):
        return earlier
    processed = process_photo(raw)
    photo = Photo(
        observation_id=observation.id,
        field_key=field_key,
        stored_name=secrets.token_hex(16),
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.full),
        caption=caption.strip()[:300],
        client_key=client_key,
    )
    try:
        with db.session.begin_nested():
            db.session.add(photo)
    except IntegrityError:  # the same upload, retried while the first was still being stored
        if client_key and (earlier := _photo_with_key(observation, client_key)):
            return earlier
        raise
    photo_path(photo).write_bytes(processed.full)
    photo_path(photo, thumbnail=True).write_bytes(processed.thumb)
    return photo


def _photo_with_key(observation: Observation, client_key: str) -> Photo | None:
    return db.session.scalar(
        select(Photo).where(Photo.observation_id == observation.id, Photo.client_key == client_key)
    )


def remove_photo(*, photo: Photo, actor: User) -> None:
    audit(actor, "deleted", what="photo", id=photo.id, observation=photo.observation_id)
    for thumbnail in (False, True):
        photo_path(photo, thumbnail).unlink(missing_ok=True)
    db.session.delete(photo)
    db.session.flush()
