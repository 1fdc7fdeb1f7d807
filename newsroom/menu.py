"""The public site's main menu: the home page's published children with «Показывать в меню»
ticked, in the order the editors gave them in the page tree.

Each site has its own menu, read from its own tree; a process keeps it for the current site
generation (``newsroom.site_memory``), so a warm page costs no query for it and a publication,
a move or an unpublished section shows in the menu on the next request.
"""

from dataclasses import dataclass

from django.core.cache import caches

from newsroom import site_memory
from newsroom.cache import request_generation


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str

    def current_for(self, path):
        """``aria-current`` for a visitor at ``path``: "page" on the item's own page, "true"
        inside its section, "" elsewhere."""
        if path == self.url:
            return "page"
        return "true" if path.startswith(self.url) and self.url != "/" else ""


def _items_of(site, request):
    # A section with a view restriction of its own stays out of the menu; one query (Wagtail's
    # ``public()`` would read every restriction of the site first). A restriction on the home
    # page itself closes the whole site, menu and all.
    children = (
        site.root_page.get_children()
        .live()
        .in_menu()
        .filter(view_restrictions__isnull=True)
        .order_by("path")
    )
    items = []
    for child in children:
        url = child.get_url(request=request)
        if url:
            items.append(MenuItem(child.title, url))
    return items


def main_menu(request):
    """The menu of the request's site, as ``MenuItem`` s."""
    site_memory.sync(request_generation(request))
    site = site_memory.site_for(request)
    if site is None:
        return []
    local = caches[site_memory.FRAGMENTS_CACHE]
    key = f"main-menu:{site.pk}:{request_generation(request)}"
    items = local.get(key)
    if items is None:
        items = _items_of(site, request)
        local.set(key, items)
    return items
