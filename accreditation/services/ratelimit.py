"""A per-IP limit of the public form, in the shared cache (no outside service).

Two fixed one-hour windows per address: accepted applications
(``ACCREDITATION_SUBMISSIONS_PER_HOUR``, 5 by default) and any attempts to post the form
(four times as many: fixing mistakes is fine, hammering the form is not).
"""

from django.conf import settings

from newsroom.hourly_counter import bump, count


def _count(kind, ip):
    return count(f"accreditation:{kind}:{ip}")


def _bump(kind, ip):
    return bump(f"accreditation:{kind}:{ip}")


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
