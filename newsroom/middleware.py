from django.core.exceptions import DisallowedHost

from newsroom import process_memo
from newsroom.cache import SKIPPED_PREFIXES, request_generation


class SiteMemoMiddleware:
    """Hands Wagtail the Site and its root paths from process memory on public pages.

    Wagtail looks for them on the request (``_wagtail_site``, ``_wagtail_cached_site_root_paths``)
    before querying; the admin and the API keep Wagtail's own lookups.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(SKIPPED_PREFIXES):
            try:
                site = process_memo.site_for(request, request_generation(request))
            except DisallowedHost:
                pass  # CommonMiddleware answers 400
            else:
                request._wagtail_site = site
                request._wagtail_cached_site_root_paths = process_memo.site_root_paths()
        return self.get_response(request)
