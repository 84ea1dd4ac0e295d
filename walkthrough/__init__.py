"""Walkthrough: non-evaluative peer observation for schools."""

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def app_files(name: str) -> Path:
    """templates, static, migrations or docs: inside the package when installed from a wheel (setup.py copies
    them there), at the top of the checkout otherwise."""
    packaged = Path(__file__).resolve().parent / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def _template_cache(instance: Path) -> FileSystemBytecodeCache | None:
    """Compiled templates kept on disk, so a new worker process (a gunicorn restart, say) doesn't compile every
    page and email again: the first booking email in a fresh process took 74 ms, 1 ms after. None where the
    instance folder can't be written."""
    folder = instance / "template-cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(app_files("templates")),
        static_folder=str(app_files("static")),
    )
    app.jinja_options = {**app.jinja_options, "bytecode_cache": _template_cache(Path(app.instance_path))}
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("alembic.runtime.plugins", "weasyprint", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)

    if app.config["WALKTHROUGH_PRODUCTION"] and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        logging.getLogger(__name__).warning(
            "Sign-in limits are counted in each process's memory, so each gunicorn worker allows the full limit. "
            "Set WALKTHROUGH_RATELIMIT_STORAGE_URI to a Redis URL (redis://...) to share them."
        )
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every model registered before migrations look)
    from .access import require_login_unless_public
    from .auth.sessions import init_login
    from .auth.sso import init_sso
    from .errors import init_errors
    from .extensions import cache, compress, csrf, db, limiter, migrate
    from .outbox import init_outbox
    from .rollups import upkeep as rollups
    from .schools import calendar
    from .security import init_security
    from .static_files import init_static_files
    from .templating import init_templating
    from .transactions import init_transactions
    from .worker import init_worker

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app_files("migrations")))
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    cache.init_app(app)
    init_static_files(app)
    init_login(app)
    init_sso(app)
    init_security(app)
    init_errors(app)
    init_transactions(app)
    init_templating(app)
    init_outbox(app)
    init_worker(app)
    rollups.install()  # every write that moves a dashboard count marks its months stale
    calendar.install()  # every committed calendar change reaches every process's kept school years
    app.before_request(require_login_unless_public)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .coaching import bp as coaching_bp
    from .cohorts import bp as cohorts_bp
    from .coverage import bp as coverage_bp
    from .home import bp as home_bp
    from .observations import bp as observations_bp
    from .offline import bp as offline_bp
    from .outbox.routes import bp as notifications_bp
    from .protocols import bp as protocols_bp
    from .reports import bp as reports_bp
    from .showcase import bp as showcase_bp
    from .surveys import bp as surveys_bp
    from .toolkit import bp as toolkit_bp
    from .trainings import bp as trainings_bp
    from .visits import bp as visits_bp
    from .walks import bp as walks_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(observations_bp)
    app.register_blueprint(protocols_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(coverage_bp)
    app.register_blueprint(coaching_bp)
    app.register_blueprint(cohorts_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(showcase_bp)
    app.register_blueprint(trainings_bp)
    app.register_blueprint(toolkit_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(walks_bp)


def _register_cli(app: Flask) -> None:
    from .backup.cli import backup_cli
    from .demo.cli import demo_cli
    from .flows.calendar_cli import calendar_cli
    from .rollups.cli import rollups_cli
    from .roster.cli import roster_cli
    from .trust.cli import trust_cli
    from .visits.cli import notify_cli
    from .worker.cli import worker_cli

    app.cli.add_command(backup_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(roster_cli)
    app.cli.add_command(rollups_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(trust_cli)
    app.cli.add_command(worker_cli)
