"""A per-IP limit of the public form, in the shared cache (no outside service).

Two fixed one-hour windows per address: accepted applications
(``ACCREDITATION_SUBMISSIONS_PER_HOUR``, 5 by default) and any attempts to post the form
(four times as many: fixing mistakes is fine, hammering the form is not).
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600


def _key(kind, ip):
    return f"accreditation:rate:{kind}:{ip}:{int(time.time() // WINDOW)}"


def _count(kind, ip):
    return cache.get(_key(kind, ip), 0)


def _bump(kind, ip):
    key = _key(kind, ip)
    if cache.add(key, 1, WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


def limits():
    accepted = settings.ACCREDITATION_SUBMISSIONS_PER_HOUR
    return accepted, accepted * 4


def is_limited(ip):
    accepted, attempts = limits()
    return _count("accepted", ip) >= accepted or _count("attempt", ip) >= attempts


def note_attempt(ip):
    _bump("attempt", ip)


def note_accepted(ip):
    _bump("accepted", ip)
