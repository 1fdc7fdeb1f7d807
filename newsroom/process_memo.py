"""What a web process keeps in memory for as long as the published site stays the same.

Serving a public page costs Wagtail a query for the Site, another for its home page, a cache
read for the site root paths and one or two queries per URL segment to find the page. None of
that changes until something is published, unpublished, moved or deleted, or a Site is edited —
and each of those bumps the page cache generation (``newsroom.cache``). So a process remembers
them per generation and forgets everything, together with its in-memory caches
(``PROCESS_CACHES``), as soon as it sees a new generation.

Only pages that anonymous visitors may see are served through this memory; view restrictions are
still checked on every request (Wagtail's ``before_serve_page`` hook), and previews never route.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http.request import split_domain_port

# In-memory caches emptied with the memo: Wagtail's renditions and the rendered fragments.
PROCESS_CACHES = ("renditions", "process")
MAX_SITES = 64
MAX_ROUTES = 5000


class _Memo:
    def __init__(self):
        self.generation = None
        self.sites = {}
        self.site_root_paths = None
        self.routes = {}


_memo = _Memo()


def sync(generation):
    """Forget everything remembered for another generation of the site."""
    if generation == _memo.generation:
        return
    _memo.sites = {}
    _memo.site_root_paths = None
    _memo.routes = {}
    for alias in PROCESS_CACHES:
        if alias in settings.CACHES and isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    _memo.generation = generation


def forget():
    """Forget everything now (tests, and a process that changed the site itself)."""
    sync(object())


def site_for(request, generation):
    """The request's Site with its home page already loaded as its specific type, or None."""
    from wagtail.models import Site

    sync(generation)
    # Wagtail matches a Site on the raw host, before ALLOWED_HOSTS is checked.
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    try:
        return _memo.sites[key]
    except KeyError:
        pass
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    if len(_memo.sites) >= MAX_SITES:
        _memo.sites = {}
    _memo.sites[key] = site
    return site


def site_root_paths():
    from wagtail.models import Site

    if _memo.site_root_paths is None:
        _memo.site_root_paths = Site.get_site_root_paths()
    return _memo.site_root_paths


def remembered_route(root, path_components):
    """(model, pk) of the page that answered this path under ``root`` in this generation."""
    return _memo.routes.get((root.pk, tuple(path_components)))


def remember_route(root, path_components, page):
    if len(_memo.routes) >= MAX_ROUTES:
        _memo.routes = {}
    _memo.routes[(root.pk, tuple(path_components))] = (type(page), page.pk)
