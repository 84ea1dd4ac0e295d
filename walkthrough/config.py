"""Configuration from environment variables, with defaults that are safe for a laptop."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


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


def _base_url(production: bool) -> str:
    base_url = os.environ.get("WALKTHROUGH_BASE_URL", "").strip().rstrip("/")
    if not base_url:
        if production:
            raise ConfigError(
                "WALKTHROUGH_BASE_URL must be set when WALKTHROUGH_ENV=production: every link in an email is built "
                "from it, never from the address a request came in on."
            )
        return "http://127.0.0.1:5000"
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"WALKTHROUGH_BASE_URL must be a full address like https://walkthrough.example.org, not {base_url!r}."
        )
    return base_url


def _paper_size() -> str:
    size = os.environ.get("WALKTHROUGH_PAPER_SIZE", "").strip().lower()
    if size and size not in {"letter", "a4", "legal"}:
        raise ConfigError(f"WALKTHROUGH_PAPER_SIZE must be letter, A4 or legal, not {size!r}.")
    return {"a4": "A4"}.get(size, size)


def trusted_hosts(base_url: str) -> list[str]:
    """The host names requests may be addressed to: the base URL's, any the operator adds, and this machine's
    own names for a laptop. Others get 400, so a forged Host header can't reach a page or a link."""
    hosts = [urlsplit(base_url).hostname or ""]
    hosts += [h.strip() for h in os.environ.get("WALKTHROUGH_TRUSTED_HOSTS", "").split(",") if h.strip()]
    hosts += ["localhost", "127.0.0.1"]
    return list(dict.fromkeys(hosts))


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    production = os.environ.get("WALKTHROUGH_ENV", "development") == "production"
    database_url = os.environ.get("WALKTHROUGH_DATABASE_URL", f"sqlite:///{instance_path / 'walkthrough.sqlite'}")
    https = _flag("WALKTHROUGH_HTTPS", default=production)
    base_url = _base_url(production)
    return {
        "WALKTHROUGH_PRODUCTION": production,
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # Connections are tested before use after sitting idle, not every time (extensions.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "BASE_URL": base_url,
        "TRUSTED_HOSTS": trusted_hosts(base_url),
        "PROXY_COUNT": int(os.environ.get("WALKTHROUGH_PROXY_COUNT", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * int(os.environ.get("WALKTHROUGH_SESSION_MAX_DAYS", "30")),
        # A signed-in browser ends after this long unused (longer when "keep me signed in" was ticked),
        # and in any case this many days after signing in.
        "SESSION_IDLE_MINUTES": int(os.environ.get("WALKTHROUGH_SESSION_IDLE_MINUTES", str(12 * 60))),
        "REMEMBERED_IDLE_DAYS": int(os.environ.get("WALKTHROUGH_REMEMBERED_IDLE_DAYS", "14")),
        "SESSION_MAX_DAYS": int(os.environ.get("WALKTHROUGH_SESSION_MAX_DAYS", "30")),
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
        # "This wasn't me" in the note to the old address works for two weeks, in case it is read late.
        "EMAIL_REVERT_MAX_AGE": 60 * 60 * 24 * 14,
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
        # The task queue the worker reads: redis://... in production; a SQLite file beside the app by default.
        "QUEUE_URL": os.environ.get("WALKTHROUGH_QUEUE_URL", ""),
        # How long a worker may hold a message it is sending before another worker may take it over.
        "OUTBOX_LEASE_SECONDS": int(os.environ.get("WALKTHROUGH_OUTBOX_LEASE_SECONDS", "300")),
        # Call-out: how long preferred substitutes have a job to themselves, and when a job still open is
        # announced again (hours before it starts).
        "CALLOUT_PREFERRED_MINUTES": int(os.environ.get("WALKTHROUGH_CALLOUT_PREFERRED_MINUTES", "30")),
        "CALLOUT_AGAIN_HOURS": int(os.environ.get("WALKTHROUGH_CALLOUT_AGAIN_HOURS", "18")),
        # What a full day of cover is paid as, when an admin verifies a day as "full day" (half is half of it).
        "PAYROLL_FULL_DAY_MINUTES": int(os.environ.get("WALKTHROUGH_PAYROLL_FULL_DAY_MINUTES", "420")),
        # "letter", "A4" or "legal" for PDFs; unset, Letter for schools in the Americas' time zones, else A4.
        "PAPER_SIZE": _paper_size(),
    } | _sso_settings()


def _sso_settings() -> dict:
    """Sign-in with the district's OpenID Provider (auth/sso.py); off unless an issuer is set."""
    domains = os.environ.get("WALKTHROUGH_OIDC_EMAIL_DOMAINS", "")
    return {
        "OIDC_ISSUER": os.environ.get("WALKTHROUGH_OIDC_ISSUER", "").strip().rstrip("/"),
        "OIDC_CLIENT_ID": os.environ.get("WALKTHROUGH_OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("WALKTHROUGH_OIDC_CLIENT_SECRET", ""),
        "OIDC_LABEL": os.environ.get("WALKTHROUGH_OIDC_LABEL", "your district account"),
        "OIDC_EMAIL_DOMAINS": [d.strip().lower().lstrip("@") for d in domains.split(",") if d.strip()],
        # Entra ID sends no email_verified claim; a single-tenant issuer only issues its own verified domains.
        "OIDC_TRUST_EMAIL": _flag("WALKTHROUGH_OIDC_TRUST_EMAIL", default=False),
        "OIDC_PASSWORDS_OFF": _flag("WALKTHROUGH_OIDC_PASSWORDS_OFF", default=False),
        "OIDC_CLOCK_SKEW_SECONDS": int(os.environ.get("WALKTHROUGH_OIDC_CLOCK_SKEW_SECONDS", "60")),
    }
