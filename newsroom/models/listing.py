"""Listings of news: the cards a section shows and its pages, counted cheaply."""

from django.core.cache import caches
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models

from newsroom import process_memo
from newsroom.cache import request_generation

NEWS_PER_PAGE = 12
LISTING_RENDITION = "fill-480x300"


def paginate(request, queryset, per_page, count_key=None):
    """The requested page of ``queryset``; with ``count_key``, the total is counted once per site
    generation and process instead of on every request (a full scan of the news on SQLite)."""
    paginator = Paginator(queryset, per_page)
    if count_key is not None:
        key = f"count:{count_key}:{request_generation(request)}"
        paginator.count = caches[process_memo.FRAGMENTS_CACHE].get_or_set(key, queryset.count)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def news_listing(queryset):
    """News pages with everything a listing card shows, in a fixed number of queries."""
    from wagtail.images import get_image_model

    renditions = models.Prefetch(
        "main_image__renditions",
        queryset=get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=LISTING_RENDITION),
    )
    return (
        queryset.live()
        .select_related("main_image", "department")
        .prefetch_related(renditions)
        .order_by("-date", "-pk")
    )
