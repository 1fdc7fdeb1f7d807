"""Requests and responses shared by every app: the visitor's address, the admin's 403, the JSON
bodies our admin scripts send."""

import ipaddress
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied

from newsroom import characters


def forbidden(request):
    """403, not Wagtail's redirect to the dashboard: the screen is not for this person."""
    return permission_denied(request, PermissionDenied())


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


class BadInput(ValueError):
    """A request body the endpoint cannot take; the message says why, in Russian."""


MAX_ID = 2**63 - 1  # a database key; larger numbers overflow the database's integer


def read_json_object(request, *, max_bytes, too_long, unreadable):
    """The JSON object a script of our admin sent as the request body.

    Refuses (``BadInput`` with ``too_long`` or ``unreadable``) a body over ``max_bytes``, one
    that is not JSON or not an object, and one nested so deep that reading it would exhaust the
    interpreter's stack.
    """
    if len(request.body) > max_bytes:
        raise BadInput(too_long)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise BadInput(unreadable)
    return data


def text_of(data, key, label):
    """``data[key]`` as text: a missing or empty value is ""; a number is its digits; a list, an
    object or text with broken characters is refused with a message naming ``label``."""
    value = data.get(key)
    if value is None or value is False:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise BadInput(_("Поле «%s»: ожидается текст.") % label)
    found = characters.problem(value, multiline=True)
    if found:
        raise BadInput(_("Поле «%(label)s»: %(problem)s") % {"label": label, "problem": found})
    return value


def id_of(value):
    """A database key from a form's value, or None when the value is none."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None
