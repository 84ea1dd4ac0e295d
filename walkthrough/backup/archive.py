"""One file holds a whole backup: the database (SQLite's online backup, or pg_dump's custom format), the
photo and plan folders, and a manifest with row counts and checksums that a restore checks first."""

import gzip
import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from ..auth import kept
from ..extensions import db

FOLDERS = {"photos": "PHOTO_FOLDER", "plans": "PLANS_FOLDER"}


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


def _libpq_url() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(folder: Path, dialect: str) -> Path:
    if dialect == "sqlite":
        target = folder / "database.sqlite"
        with db.engine.connect() as connection:
            live = connection.connection.driver_connection
            copy = sqlite3.connect(target)
            try:
                live.backup(copy)  # consistent even while the app keeps writing
            finally:
                copy.close()
        return target
    if dialect == "postgresql":
        target = folder / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target}", _libpq_url()],
            check=True,
            capture_output=True,
        )
        return target
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")


def create(destination: Path) -> Path:
    """Write a backup archive into a folder and return its path."""
    dialect = db.engine.dialect.name
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    destination.mkdir(parents=True, exist_ok=True)
    archive = destination / f"walkthrough-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        database = _dump_database(folder, dialect)
        manifest = {
            "created_at": stamp,
            "dialect": dialect,
            "revision": db.session.scalar(text("SELECT version_num FROM alembic_version")),
            "rows": row_counts(),
            "files": {database.name: _sha256(database)},
        }
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(database, arcname=database.name)
            for name, setting in FOLDERS.items():
                source = Path(current_app.config[setting])
                for path in sorted(source.rglob("*")) if source.exists() else []:
                    if path.is_file():
                        member = f"{name}/{path.relative_to(source)}"
                        manifest["files"][member] = _sha256(path)
                        tar.add(path, arcname=member)
            manifest_path = folder / "manifest.json"
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
            tar.add(manifest_path, arcname="manifest.json")
    return archive


def _check_gzip(archive: Path) -> None:
    """Read the whole stream first: gzip's checksum is only checked at its end, and a damaged
    header decoded before then can hold anything (a timestamp no platform can set, say)."""
    with gzip.open(archive, "rb") as stream:
        while stream.read(1 << 20):
            pass


def _unpack(archive: Path, folder: Path) -> dict:
    try:
        _check_gzip(archive)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # refuses absolute paths, links out and devices
        manifest = json.loads((folder / "manifest.json").read_text())
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError, OverflowError) as error:
        raise BackupError(f"That file is not a readable Walkthrough backup ({error}).") from None
    for member, expected in manifest["files"].items():
        path = folder / member
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"The backup is damaged: {member} does not match its checksum.")
    return manifest


def restore(archive: Path) -> dict:
    """Replace the database and the uploaded files with a backup's; returns its manifest."""
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        manifest = _unpack(archive, folder)
        if manifest["dialect"] != dialect:
            raise BackupError(f"This backup is of a {manifest['dialect']} database; this app uses {dialect}.")
        db.session.remove()
        if dialect == "sqlite":
            with db.engine.connect() as connection:
                live = connection.connection.driver_connection
                saved = sqlite3.connect(folder / "database.sqlite")
                try:
                    saved.backup(live)
                finally:
                    saved.close()
        else:
            db.engine.dispose()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-acl",
                    "--single-transaction",
                    f"--dbname={_libpq_url()}",
                    str(folder / "database.dump"),
                ],
                check=True,
                capture_output=True,
            )
        for name, setting in FOLDERS.items():
            target = Path(current_app.config[setting])
            if target.exists():
                shutil.rmtree(target)
            if (folder / name).exists():
                shutil.copytree(folder / name, target)
            else:
                target.mkdir(parents=True, exist_ok=True)
    kept.forget(None)  # every process reads who is signed in from the restored rows
    found = row_counts()
    if found != manifest["rows"]:
        raise BackupError(f"Restored, but row counts differ from the backup's: {found} != {manifest['rows']}")
    return manifest
