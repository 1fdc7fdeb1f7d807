"""A page closed to visitors — with a password, to signed-in users, to groups — is listed nowhere
on the public site: not on the home page, in the news feed and its sections, the Heads' sections,
the calendar, the RSS feed, the search or the sitemap. Opened again, it is listed again."""

from wagtail.models import PageViewRestriction

import pytest

from tests.factories import EventPageFactory, NewsPageFactory
from tests.newsroom.pages import publish

pytestmark = pytest.mark.django_db

CLOSED = "Закрытая паролем новость о бюджете"
CLOSED_LEAD = "Лид закрытой новости о бюджете"
CLOSED_SECTION_NEWS = "Новость закрытого раздела о бюджете"
CLOSED_EVENT = "Закрытое совещание о бюджете"
OPEN = "Открытая новость о бюджете"


@pytest.fixture
def pages(site_tree):
    closed = publish(NewsPageFactory(parent=site_tree.news_index, title=CLOSED, lead=CLOSED_LEAD))
    PageViewRestriction.objects.create(page=closed, restriction_type="password", password="секрет")
    publish(NewsPageFactory(parent=site_tree.other_area, title=CLOSED_SECTION_NEWS))
    PageViewRestriction.objects.create(page=site_tree.other_area, restriction_type="login")
    event = publish(EventPageFactory(parent=site_tree.event_index, title=CLOSED_EVENT))
    PageViewRestriction.objects.create(page=event, restriction_type="password", password="секрет")
    open_news = publish(NewsPageFactory(parent=site_tree.head, title=OPEN))
    return closed, open_news


def listings(site_tree):
    return [
        "/",
        "/news/",
        "/news/?page=2",
        "/news/rss/",
        site_tree.area.url,
        site_tree.head.url,
        "/events/",
        "/search/?q=бюджет",
        "/sitemap.xml",
    ]


def test_closed_pages_are_listed_nowhere_for_a_visitor(client, site_tree, pages):
    closed, open_news = pages
    shown = {url: client.get(url).content.decode() for url in listings(site_tree)}
    for url, text in shown.items():
        for secret in (CLOSED, CLOSED_LEAD, CLOSED_SECTION_NEWS, CLOSED_EVENT, closed.url):
            assert secret not in text, (url, secret)
    # Search marks the words found, so items are recognised by their address.
    for url in ("/", "/news/", "/news/rss/", site_tree.head.url, "/search/?q=бюджет"):
        assert open_news.url in shown[url], url
    assert closed.slug not in shown["/sitemap.xml"] and open_news.slug in shown["/sitemap.xml"]


def test_a_page_opened_again_is_listed_again(client, site_tree, pages):
    closed, _open_news = pages
    assert closed.url not in client.get("/news/").content.decode()
    PageViewRestriction.objects.filter(page=closed).delete()
    for url in ("/", "/news/", "/news/rss/", "/search/?q=бюджет"):
        assert closed.url in client.get(url).content.decode(), url
