"""A backup round trip: seed, back up, damage the data and the files, restore, and find every row and
every file as it was (row counts and checksums), on SQLite and on PostgreSQL."""

import gzip
import hashlib
import zlib
from pathlib import Path

from sqlalchemy import select

from tests.history_setup import cover, on, past_visit
from walkthrough.auth.models import Role, User
from walkthrough.extensions import db
from walkthrough.observations.models import Observation


def fingerprint() -> dict[str, str]:
    """A checksum of every table's rows, in primary-key order."""
    prints = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        prints[table.name] = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
    return prints


def files(folder: str) -> dict[str, str]:
    root = Path(folder)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_a_backup_restores_every_row_and_file(app, runner, make_school, make_user, tmp_path):
    school = make_school("Riverside")
    ana, ben = make_user(Role.TEACHER, school=school, name="Ana"), make_user(Role.TEACHER, school=school, name="Ben")
    for n in range(3):
        past_visit(host=ben, observer=ana, day=on(10, 5 + n), notes=f"Note {n}", evidence="Line", reflection="R")
    cover(teacher=ana, day=on(10, 5), status="confirmed")
    photos, plans = Path(app.config["PHOTO_FOLDER"]), Path(app.config["PLANS_FOLDER"])
    photos.mkdir(parents=True, exist_ok=True)
    plans.mkdir(parents=True, exist_ok=True)
    (photos / "a1.jpg").write_bytes(b"\xff\xd8\xff photo bytes")
    (plans / "p1.pdf").write_bytes(b"%PDF-1.4 plan")
    db.session.commit()
    before, photos_before, plans_before = fingerprint(), files(str(photos)), files(str(plans))

    made = runner.invoke(args=["backup", "create", "--to", str(tmp_path / "backups")])
    assert made.exit_code == 0, made.output
    archive = made.output.strip().rsplit(" ", 1)[1]

    db.session.delete(db.session.scalars(select(Observation)).first())
    db.session.add(User(email="intruder@school.example", name="Added after the backup"))
    db.session.commit()
    (photos / "a1.jpg").unlink()
    (photos / "stray.jpg").write_bytes(b"not in the backup")
    assert fingerprint() != before

    restored = runner.invoke(args=["backup", "restore", archive, "--yes"])
    assert restored.exit_code == 0, restored.output
    db.session.expire_all()
    assert fingerprint() == before
    assert files(str(photos)) == photos_before and files(str(plans)) == plans_before


def test_a_damaged_backup_is_refused_and_changes_nothing(app, runner, make_user, tmp_path):
    make_user(Role.TEACHER, name="Kept")
    made = runner.invoke(args=["backup", "create", "--to", str(tmp_path)])
    archive = Path(made.output.strip().rsplit(" ", 1)[1])
    original = archive.read_bytes()
    make_user(Role.TEACHER, name="Added later")
    before = fingerprint()
    # Damage at many places: a flipped byte early in the stream can decode into a tar header
    # holding nonsense (once, a timestamp no platform can set) before gzip's checksum is reached.
    # (The first bytes are gzip's header, whose stored file name nothing checks, so start past it.)
    for place in range(200, len(original) - 8, max(1, len(original) // 24)):
        data = bytearray(original)
        data[place] ^= 0xFF
        if _decodes_unchanged(bytes(data), original):
            continue  # the flip fell on bits deflate ignores: the backup is whole, and restoring it is right
        archive.write_bytes(bytes(data))
        refused = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
        assert refused.exit_code == 1 and "backup" in refused.output, (place, refused.exception)
        db.session.expire_all()
        assert fingerprint() == before


def _decodes_unchanged(damaged: bytes, original: bytes) -> bool:
    try:
        return gzip.decompress(damaged) == gzip.decompress(original)
    except (OSError, EOFError, zlib.error):
        return False


def test_restoring_asks_first(app, runner, tmp_path):
    made = runner.invoke(args=["backup", "create", "--to", str(tmp_path)])
    archive = made.output.strip().rsplit(" ", 1)[1]
    answered_no = runner.invoke(args=["backup", "restore", archive], input="n\n")
    assert answered_no.exit_code != 0 and "Aborted" in answered_no.output
