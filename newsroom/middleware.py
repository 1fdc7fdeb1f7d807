from newsroom import site_memory
from newsroom.cache import SKIPPED_PREFIXES, request_generation


class SiteMemoryMiddleware:
    """Keeps the process's memory in step with the site, and hands Wagtail what it remembers.

    Every request first drops whatever the process remembered for an older generation of the
    site (in the admin too, so thumbnails of a replaced image are made again). On public pages
    Wagtail then finds the Site and its root paths on the request (``_wagtail_site``,
    ``_wagtail_cached_site_root_paths``) instead of querying for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site_memory.sync(request_generation(request))
        if not request.path_info.startswith(SKIPPED_PREFIXES):
            request._wagtail_site = site_memory.site_for(request)
            request._wagtail_cached_site_root_paths = site_memory.site_root_paths()
        return self.get_response(request)
