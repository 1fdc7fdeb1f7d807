"""How many news items a listing holds, cheap at any size of the archive.

The news list shows «Страница N из M», so it needs the total. Counting 100,000 items takes a
database about 0.1 s, and the count can change only when a news item goes live, goes off the site,
moves or is deleted. So a total is kept in the shared cache under a *news version* that changes
only then, and the unfiltered feeds are counted again by the process that made the change, right
after it commits: a reader never waits for the count, and a publication of an event or a change
of the footer does not touch it. Filtered lists (a department, a tag) are counted on their first
request for a version and kept as well.
"""

from django.core.cache import cache, caches
from django.db import transaction

from newsroom import site_memory

VERSION_KEY = "newscount:version"
TIMEOUT = 24 * 3600


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def total(count_key, queryset):
    """The number of items of ``queryset``, the listing named ``count_key``."""
    key = f"newscount:{count_key}:{version()}"
    local = caches[site_memory.FRAGMENTS_CACHE]
    count = local.get(key)
    if count is None:
        count = cache.get(key)
        if count is None:
            count = queryset.count()
            cache.set(key, count, TIMEOUT)
        local.set(key, count)
    return count


def feed_count_key(feed, department=None, tag=None):
    return f"news:{feed.pk}:{department and department.pk}:{tag and tag.pk}"


def news_changed():
    """A news item went live, off the site, moved or was deleted.

    The version changes at once (this transaction's own reads count afresh) and once more when
    the change commits, when the unfiltered feeds are counted for the readers to come.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(recount_feeds)
    else:
        recount_feeds()


def _bump():
    try:
        return cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
        return 1


def recount_feeds():
    """Counts every unfiltered news feed under a new version."""
    from newsroom.models import NewsIndexPage
    from newsroom.models.listing import news_listing

    new_version = _bump()
    for feed in NewsIndexPage.objects.all():
        count = news_listing(feed.all_news()).count()
        cache.set(f"newscount:{feed_count_key(feed)}:{new_version}", count, TIMEOUT)
