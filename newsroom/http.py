"""Requests and responses shared by every app: the visitor's address, the admin's 403."""

import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


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
