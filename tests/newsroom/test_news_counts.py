"""The news list's total is counted when the news change, not by the reader after a publication."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from newsroom import news_counts
from newsroom.models import NewsPage
from tests.factories import EventPageFactory, NewsPageFactory
from tests.newsroom.pages import publish


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/news/")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def counts(sqls):
    return [sql for sql in sqls if "COUNT(" in sql.upper()]


@pytest.fixture
def feed(site_tree):
    for n in range(13):
        publish(NewsPageFactory(parent=site_tree.news_index, title=f"Новость {n}"))
    return site_tree.news_index


@pytest.mark.django_db
def test_a_reader_after_a_news_publication_does_not_count(
    visitor,
    feed,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(NewsPageFactory(parent=feed, title="Четырнадцатая"))
    response, sqls = list_queries(visitor)
    assert counts(sqls) == []
    assert "Страница 1 из 2" in response.content.decode()
    assert news_counts.total(news_counts.feed_count_key(feed), None) == 14


@pytest.mark.django_db
def test_an_event_publication_keeps_the_news_total(visitor, feed, site_tree):
    list_queries(visitor)
    start = timezone.now() + datetime.timedelta(days=3)
    publish(EventPageFactory(parent=site_tree.event_index, start=start, end=start))
    _response, sqls = list_queries(visitor)
    assert counts(sqls) == []


@pytest.mark.django_db
def test_unpublishing_and_deleting_news_change_the_total(visitor, feed):
    news = list(NewsPage.objects.child_of(feed).live().order_by("pk"))
    news[0].unpublish()
    response, _ = list_queries(visitor)
    assert "Страница 1 из" not in response.content.decode()  # 12 left: one page
    publish(news[0])
    response, _ = list_queries(visitor)
    assert "Страница 1 из 2" in response.content.decode()
    news[1].delete()
    response, _ = list_queries(visitor)
    assert "Страница 1 из" not in response.content.decode()
