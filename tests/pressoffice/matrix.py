"""The machinery of the permission matrix: every URL of the resolver, filled with the world's
objects, requested as every role, and the answer read as allowed or denied."""

import re
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_HOME = "/admin/"
LOGIN = "/admin/login/"
DENIED_MESSAGES = ("нет доступа", "нет прав", "нет разрешения", "permission", "не имеете права")


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or the pattern itself when the URL has no name
    pattern: str  # the whole route, as Django shows it
    converters: tuple  # the names of the route's keyword arguments


def routes():
    """Every URL pattern of the project, with its full namespaced name."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                names = tuple(
                    re.findall(r"<(?:\w+:)?(\w+)>", full) + re.findall(r"\(\?P<(\w+)>", full)
                )
                name = namespace + pattern.name if pattern.name else full
                yield Route(name, full, names)

    seen = set()
    for route in walk(get_resolver().url_patterns):
        key = (route.name, route.converters)
        if key not in seen:
            seen.add(key)
            yield route


def outcome(response):
    """``allowed``, ``denied`` or ``error`` (a 5xx), from what the client got."""
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403, 404, 429):
        return "denied"
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(LOGIN):
            return "denied"
        if location == ADMIN_HOME:
            texts = " ".join(str(m).lower() for m in get_messages(response.wsgi_request))
            if any(word in texts for word in DENIED_MESSAGES):
                return "denied"
        return "allowed"
    return "allowed"
