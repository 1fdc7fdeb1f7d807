"""Counts per key in fixed one-hour windows, in the shared cache (every web process sees the
same counts): the accreditation form's per-address limit and the password-reset limit."""

import time

from django.core.cache import cache

WINDOW = 3600


def _key(name):
    return f"hourly:{name}:{int(time.time() // WINDOW)}"


def count(name):
    """How many times ``name`` was counted in the current hour."""
    return cache.get(_key(name), 0)


def bump(name):
    """Counts ``name`` once more in the current hour; returns the new count."""
    key = _key(name)
    if cache.add(key, 1, WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1
