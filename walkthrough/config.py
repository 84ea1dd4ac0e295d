"""Configuration from environment variables, with defaults that are safe for a laptop."""

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the URLs hosting providers hand out and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path, production: bool) -> str:
    from_env = os.environ.get("WALKTHROUGH_SECRET_KEY")
    if from_env:
        return from_env
    if production:
        raise ConfigError("WALKTHROUGH_SECRET_KEY must be set when WALKTHROUGH_ENV=production.")
    # A local install keeps one generated key so sessions survive a restart.
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    production = os.environ.get("WALKTHROUGH_ENV", "development") == "production"
    database_url = os.environ.get("WALKTHROUGH_DATABASE_URL", f"sqlite:///{instance_path / 'walkthrough.sqlite'}")
    https = _flag("WALKTHROUGH_HTTPS", default=production)
    return {
        "WALKTHROUGH_PRODUCTION": production,
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("WALKTHROUGH_BASE_URL", "http://127.0.0.1:5000"),
        "PROXY_COUNT": int(os.environ.get("WALKTHROUGH_PROXY_COUNT", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        # zstd, brotli or gzip, whichever the browser takes; CSV and calendars compress well too.
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
            "text/csv",
            "text/calendar",
            "text/plain",
        ],
        "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
        # Derived figures (dashboards) kept briefly; Redis shares them between processes and hosts.
        "CACHE_TYPE": "RedisCache" if os.environ.get("WALKTHROUGH_CACHE_REDIS_URL") else "SimpleCache",
        "CACHE_REDIS_URL": os.environ.get("WALKTHROUGH_CACHE_REDIS_URL", ""),
        "CACHE_DEFAULT_TIMEOUT": 60,
        "MAX_CONTENT_LENGTH": int(os.environ.get("WALKTHROUGH_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_ENABLED": _flag("WALKTHROUGH_RATELIMIT_ENABLED", default=True),
        "RATELIMIT_STORAGE_URI": os.environ.get("WALKTHROUGH_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("WALKTHROUGH_LOGIN_LIMIT_PER_ADDRESS", "20 per 5 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("WALKTHROUGH_LOGIN_LIMIT_PER_ACCOUNT", "8 per 15 minutes"),
        "RESET_TOKEN_MAX_AGE": 60 * 60,
        "INVITE_TOKEN_MAX_AGE": 60 * 60 * 24 * 7,
        "SMTP_HOST": os.environ.get("WALKTHROUGH_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("WALKTHROUGH_SMTP_PORT", "587")),
        "SMTP_USERNAME": os.environ.get("WALKTHROUGH_SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("WALKTHROUGH_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("WALKTHROUGH_SMTP_STARTTLS", default=False),
        "SMTP_SSL": _flag("WALKTHROUGH_SMTP_SSL", default=False),
        "PHOTO_FOLDER": os.environ.get("WALKTHROUGH_PHOTO_FOLDER", str(instance_path / "photos")),
        "PLANS_FOLDER": os.environ.get("WALKTHROUGH_PLANS_FOLDER", str(instance_path / "plans")),
        "PHOTO_MAX_BYTES": int(os.environ.get("WALKTHROUGH_PHOTO_MAX_BYTES", 15 * 1024 * 1024)),
        "LANGUAGE_FILE": os.environ.get("WALKTHROUGH_LANGUAGE_FILE", ""),
        "MAIL_FROM": os.environ.get("WALKTHROUGH_MAIL_FROM", "Walkthrough <no-reply@walkthrough.localhost>"),
    }
