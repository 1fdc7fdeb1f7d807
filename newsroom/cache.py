"""A page cache for anonymous visitors that any change to the published site empties at once.

Every entry records the *generation* of the site it was rendered from (two counters kept in the
shared cache, see ``Generation``). Publishing, unpublishing, moving or deleting a page (and
editing what every page shows: the footer, departments, images, documents, sites) bumps it, so
the very next request finds an entry of an older generation, treats it as a miss and renders
fresh content. A hit is one round trip to the cache: the generation and the entry are read
together.

Entries hold the finished response (status, headers, body), so they can be served by
``AnonymousPageCacheMiddleware`` inside Django and, faster, by ``PageCacheApplication`` in front
of Django (``site/pressoffice/wsgi.py``). Both compute the key from the raw WSGI environ, so a
hit is only ever served for a host Django has already accepted.
"""

import logging
import time
from hashlib import sha256
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.db import transaction
from django.http import HttpResponse
from django.http.cookie import parse_cookie

logger = logging.getLogger(__name__)

PAGES_KEY = "pagecache:generation"
MEDIA_KEY = "pagecache:media-generation"
ENTRY_PREFIX = "pagecache:entry:"
SKIPPED_PREFIXES = ("/admin/", "/api/", "/documents/", "/django-admin/", "/static/", "/media/")
MESSAGES_COOKIE = "messages"


class Generation(NamedTuple):
    """Which state of the published site a response or a remembered value belongs to.

    ``pages`` changes with every change a visitor can see; ``media`` only when an image or a
    document is edited or deleted, which is when renditions kept in memory may be stale.
    """

    pages: int
    media: int

    def __str__(self):
        return f"{self.pages}.{self.media}"


def _generation_from(found):
    pages, media = found.get(PAGES_KEY), found.get(MEDIA_KEY)
    if pages is None or media is None:
        return None
    return Generation(pages, media)


def current_generation():
    return _generation_from(cache.get_many([PAGES_KEY, MEDIA_KEY])) or _start_generation()


def _start_generation():
    now = int(time.time() * 1000)
    for key in (PAGES_KEY, MEDIA_KEY):
        cache.add(key, now, timeout=None)
    return _generation_from(cache.get_many([PAGES_KEY, MEDIA_KEY])) or Generation(now, now)


def _bump(keys):
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, int(time.time() * 1000), timeout=None)


def invalidate_page_cache(media=False):
    """Forget every cached page, now and once more when the current transaction commits.

    ``media``: an image or a document changed, so renditions kept in memory go too. The second
    bump covers a visitor who re-cached the old page between this call and the commit.
    """
    keys = (PAGES_KEY, MEDIA_KEY) if media else (PAGES_KEY,)
    _bump(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


def request_generation(request):
    """The site generation this request is served from, read from the cache once per request."""
    generation = getattr(request, "page_cache_generation", None)
    if generation is None:
        generation = request.page_cache_generation = current_generation()
    return generation


# Keys and entries, from the raw WSGI environ.


def _scheme(environ):
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def _raw_host(environ):
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def request_path(environ):
    """The path as Django's ``request.path`` gives it, computed from a raw WSGI environ."""
    script_name = get_script_name(environ)
    path_info = get_path_info(environ) or "/"
    return "%s/%s" % (script_name.rstrip("/"), path_info.replace("/", "", 1))


def is_cacheable(method, path, environ):
    """GET or HEAD of a public page by a visitor with no session and no pending messages."""
    if method not in ("GET", "HEAD") or path.startswith(SKIPPED_PREFIXES):
        return False
    cookie = environ.get("HTTP_COOKIE")
    if cookie:
        cookies = parse_cookie(cookie)
        if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
            return False
    return True


def entry_key(method, path, environ):
    parts = (method, _scheme(environ), _raw_host(environ), path, environ.get("QUERY_STRING", ""))
    return ENTRY_PREFIX + sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def lookup(key):
    """(generation, entry or None): one round trip to the cache when the generation exists."""
    found = cache.get_many([PAGES_KEY, MEDIA_KEY, key])
    generation = _generation_from(found)
    if generation is None:
        return _start_generation(), None
    entry = found.get(key)
    if entry is None or entry[0] != generation:
        return generation, None
    return generation, entry


def store(key, generation, response):
    headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
    entry = (generation, response.status_code, response.reason_phrase, headers, response.content)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)


def _is_cacheable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token of this visitor
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-cache" not in cache_control


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous pages; first in MIDDLEWARE, so entries hold every header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable(request.method, request.path, request.META):
            return self.get_response(request)
        key = entry_key(request.method, request.path, request.META)
        generation, entry = lookup(key)
        request.page_cache_generation = generation
        if entry is not None:
            _, status, reason, headers, body = entry
            response = HttpResponse(body, status=status, reason=reason)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            store(key, generation, response)
            response["X-Page-Cache"] = "miss"
        return response


class PageCacheApplication:
    """WSGI wrapper that answers page cache hits before Django builds a request.

    Misses, and every request the cache does not handle, go to the wrapped application, whose
    middleware renders and stores the page.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "").upper()
        path = request_path(environ)
        if is_cacheable(method, path, environ):
            try:
                _, entry = lookup(entry_key(method, path, environ))
            except Exception:  # the shared cache is down: Django answers, and reports it
                logger.exception("Page cache lookup failed for %s", path)
                entry = None
            if entry is not None:
                _, status, reason, headers, body = entry
                start_response(f"{status} {reason}", [*headers, ("X-Page-Cache", "hit")])
                return [] if method == "HEAD" else [body]
        return self.application(environ, start_response)
