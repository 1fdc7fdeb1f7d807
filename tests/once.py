"""Tests whose outcome does not depend on the database run once, on SQLite: the suite's second
run on PostgreSQL skips them (set EVERY_DATABASE=1 to run them there too)."""

import os

import pytest


def on_sqlite():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


once = pytest.mark.skipif(
    not os.environ.get("EVERY_DATABASE") and not on_sqlite(),
    reason="does not depend on the database: runs once, on SQLite",
)
