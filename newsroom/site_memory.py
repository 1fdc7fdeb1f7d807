"""What a web process keeps in memory for as long as the published site stays the same.

Serving a public page costs Wagtail a query for the Site, another for its home page, a cache
read for the site root paths and one or two queries per URL segment to find the page. None of
that changes until something is published, unpublished, moved or deleted, or a Site is edited —
and each of those bumps the page cache generation (``newsroom.cache.Generation``). So a process
remembers them per generation and forgets them, with its rendered fragments
(``FRAGMENTS_CACHE``), as soon as it sees a new generation; its renditions (``RENDITIONS_CACHE``)
only when an image or a document changed.

View restrictions are still checked on every request (Wagtail's ``before_serve_page`` hook), and
previews never route.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http.request import split_domain_port

RENDITIONS_CACHE = "renditions"  # Wagtail's, when the alias exists
FRAGMENTS_CACHE = "fragments"  # rendered fragments and counts
MAX_SITES = 64
MAX_ROUTES = 5000


class _Memo:
    def __init__(self, generation=None):
        self.generation = generation
        self.sites = {}
        self.site_root_paths = None
        self.routes = {}
        self.restricted_paths = None


_memo = _Memo()


def _clear(alias):
    if alias in settings.CACHES and isinstance(caches[alias], LocMemCache):
        caches[alias].clear()


def sync(generation):
    """Forget everything remembered for another generation of the site.

    Renditions stay unless images or documents changed (``Generation.media``): a publication
    does not change them, and making them again costs a query per image.
    """
    global _memo
    previous = _memo.generation
    if generation == previous:
        return
    _memo = _Memo(generation)
    _clear(FRAGMENTS_CACHE)
    if previous is None or generation.media != previous.media:
        _clear(RENDITIONS_CACHE)


def forget():
    """Forget everything now (tests, and a process that changed the site itself)."""
    global _memo
    _memo = _Memo()
    _clear(FRAGMENTS_CACHE)
    _clear(RENDITIONS_CACHE)


def site_for(request):
    """The request's Site with its home page already loaded as its specific type, or None.

    Call ``sync`` first: what is returned belongs to the generation last synced.
    """
    from wagtail.models import Site

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


def restricted_paths():
    """The tree paths of the pages closed to visitors (a password, a login, groups): their
    subtrees are left out of every public listing. One query per generation; a restriction
    added or removed starts a new generation."""
    from wagtail.models import PageViewRestriction

    if _memo.restricted_paths is None:
        _memo.restricted_paths = tuple(
            PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
        )
    return _memo.restricted_paths
