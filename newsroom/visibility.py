"""What a visitor who is not signed in is shown in lists: live pages outside every subtree closed
by a view restriction (a password, a login, a group).

Every public listing — the home page, the news feed and its sections, the Heads' sections, the
events calendar, the RSS feed, the site search and the sitemap — goes through
``visible_to_visitors``, so a page closed with a password is never listed with its title and lead,
whichever screen lists it next. The page itself is guarded by Wagtail when it is opened.
"""

from django.db.models import Q

from newsroom import site_memory


def visible_to_visitors(pages):
    """``pages`` (a page queryset) narrowed to what an anonymous visitor may see listed."""
    closed = Q()
    for path in site_memory.restricted_paths():
        closed |= Q(path__startswith=path)
    pages = pages.live()
    return pages.exclude(closed) if closed else pages
