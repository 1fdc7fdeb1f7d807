"""A per-IP limit of the public form, in the shared cache (no outside service).

Two fixed one-hour windows per address: accepted applications
(``ACCREDITATION_SUBMISSIONS_PER_HOUR``, 5 by default) and any attempts to post the form
(four times as many: fixing mistakes is fine, hammering the form is not).
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600


def client_address(remote_addr, forwarded_for, trusted_proxies):
    """The visitor's address, behind ``trusted_proxies`` reverse proxies of our own.

    Each proxy appends the address it was reached from to X-Forwarded-For, and the last one is
    REMOTE_ADDR; so the visitor is the ``trusted_proxies``-th entry from the right. What lies
    further left came from the visitor and proves nothing. Without enough entries (a request
    that did not pass the proxies) or with a malformed one, REMOTE_ADDR is used.
    """
    if trusted_proxies > 0 and forwarded_for:
        chain = [entry.strip() for entry in forwarded_for.split(",")]
        if len(chain) >= trusted_proxies:
            candidate = chain[-trusted_proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote_addr or None


def client_ip(request):
    """The address the request came from: see ``client_address`` and ``TRUSTED_PROXY_COUNT``."""
    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXY_COUNT,
    )


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
