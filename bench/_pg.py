"""What the PostgreSQL benches share: a fresh database and Django set up against it with the
production settings (nothing leaves the machine: mail stays in memory, no Redis)."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def recreate_database(name):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name, static_dir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pressoffice.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"{PG}/{name}",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(ROOT / "var" / "bench" / static_dir),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # nothing leaves the bench
    )
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
