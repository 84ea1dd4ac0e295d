from pathlib import Path

import click
from flask.cli import AppGroup

from .archive import BackupError, create, restore

backup_cli = AppGroup("backup", help="Back up and restore the database, photos and plans.")


@backup_cli.command("create")
@click.option("--to", "destination", default="backups", show_default=True, type=click.Path(file_okay=False))
def create_command(destination: str) -> None:
    """Write one archive with the database, photos, plans and a manifest of checksums."""
    try:
        archive = create(Path(destination))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {archive}")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Don't ask before replacing everything.")
def restore_command(archive: str, yes: bool) -> None:
    """Replace the database, photos and plans with those in a backup archive."""
    if not yes:
        click.confirm("This replaces every record, photo and plan with the backup's. Go on?", abort=True)
    try:
        manifest = restore(Path(archive))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    total = sum(manifest["rows"].values())
    click.echo(f"Restored the backup of {manifest['created_at']} UTC: {total:,} rows, {len(manifest['files'])} files.")
