"""Listings of news: the cards a section shows and its pages, counted cheaply."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models

from newsroom import news_counts
from newsroom.visibility import visible_to_visitors

NEWS_PER_PAGE = 12
LISTING_RENDITION = "fill-480x300"


def paginate(request, queryset, per_page, count_key=None):
    """The requested page of ``queryset``; with ``count_key``, the total is kept between requests
    and counted again only when the news change (``newsroom.news_counts``)."""
    paginator = Paginator(queryset, per_page)
    if count_key is not None:
        paginator.count = news_counts.total(count_key, queryset)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def news_listing(queryset):
    """News pages a visitor may see listed, with everything a listing card shows, in a fixed
    number of queries."""
    from wagtail.images import get_image_model

    renditions = models.Prefetch(
        "main_image__renditions",
        queryset=get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=LISTING_RENDITION),
    )
    return (
        visible_to_visitors(queryset)
        .select_related("main_image", "department")
        .prefetch_related(renditions)
        .order_by("-date", "-pk")
    )
