"""The public site renders every page, in a number of queries that does not grow with the news."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from taggit.models import Tag

from newsroom.cache import invalidate_page_cache
from newsroom.models import NewsPage
from tests.factories import EventPageFactory, NewsPageFactory

# What every public page may cost at most, in SQL queries, with a cold page cache.
MAX_QUERIES = 12


def add_news(site_tree, count):
    parents = [site_tree.news_index, site_tree.area, site_tree.other_area, site_tree.head]
    for n in range(count):
        page = NewsPageFactory(parent=parents[n % len(parents)], tags=["дороги"] if n % 2 else [])
        page.save_revision().publish()


def public_urls(site_tree):
    news = NewsPage.objects.live().order_by("-date").first()
    return {
        "home": "/",
        "news list": "/news/",
        "news list, department filter": f"/news/?department={site_tree.department.slug}",
        "news list, tag filter": f"/news/?tag={Tag.objects.get(name='дороги').slug}",
        "news list, page 2": "/news/?page=2",
        "department area": site_tree.area.url,
        "news page": news.url,
        "events": "/events/",
        "event": EventPageFactory._meta.model.objects.live().first().url,
        "head section": site_tree.head.url,
        "search": "/search/?q=дорогу",
        "rss": "/news/rss/",
        "sitemap": "/sitemap.xml",
    }


def count_queries(client, url):
    # A cold page cache, as after a publication; Wagtail's own caches (site root paths,
    # renditions) stay warm as they are in production.
    invalidate_page_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


@pytest.fixture
def populated(site_tree):
    EventPageFactory(parent=site_tree.event_index, title="Приём граждан").save_revision().publish()
    return site_tree


@pytest.mark.django_db
def test_every_public_page_renders(client, populated):
    add_news(populated, 14)
    for name, url in public_urls(populated).items():
        response = client.get(url)
        assert response.status_code == 200, name


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_number_of_news(client, populated):
    add_news(populated, 4)
    # The second render counts: the first one makes image renditions, once in the site's life.
    for url in public_urls(populated).values():
        count_queries(client, url)
    few = {name: count_queries(client, url)[0] for name, url in public_urls(populated).items()}

    add_news(populated, 26)
    for url in public_urls(populated).values():
        count_queries(client, url)
    many = {name: count_queries(client, url)[0] for name, url in public_urls(populated).items()}

    assert many == few
    over_budget = {name: n for name, n in many.items() if n > MAX_QUERIES}
    assert not over_budget, f"more than {MAX_QUERIES} queries: {over_budget}"


@pytest.mark.django_db
def test_news_list_filters_by_department_and_tag(client, populated):
    mine = NewsPageFactory(parent=populated.area, title="Новость образования")
    other = NewsPageFactory(parent=populated.other_area, title="Новость ЖКХ", tags=["трубы"])
    for page in (mine, other):
        page.save_revision().publish()

    body = client.get(f"/news/?department={populated.department.slug}").content.decode()
    assert "Новость образования" in body and "Новость ЖКХ" not in body

    body = client.get(f"/news/?tag={Tag.objects.get(name='трубы').slug}").content.decode()
    assert "Новость ЖКХ" in body and "Новость образования" not in body

    body = client.get("/news/?department=no-such-unit").content.decode()
    assert "Новость ЖКХ" not in body and "Новость образования" not in body


@pytest.mark.django_db
def test_drafts_are_not_public(client, populated):
    draft = NewsPageFactory(parent=populated.news_index, title="Секретный черновик", live=False)
    assert "Секретный черновик" not in client.get("/news/").content.decode()
    assert client.get(draft.url or f"/news/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_rss_lists_the_latest_news(client, populated):
    add_news(populated, 3)
    response = client.get("/news/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    for page in NewsPage.objects.live():
        assert page.title in body


@pytest.mark.django_db
def test_sitemap_lists_news(client, populated):
    add_news(populated, 2)
    body = client.get("/sitemap.xml").content.decode()
    for page in NewsPage.objects.live():
        assert page.full_url in body


@pytest.mark.django_db
def test_search_finds_news_by_word_form(client, populated):
    page = NewsPageFactory(
        parent=populated.news_index,
        title="Ремонт школы закончен",
        lead="Школу отремонтировали к сентябрю.",
    )
    page.save_revision().publish()
    body = client.get("/search/", {"q": "школы"}).content.decode()
    assert "Ремонт <mark>школы</mark> закончен" in body
    body = client.get("/search/", {"q": "космодром"}).content.decode()
    assert "Ремонт школы закончен" not in body and "Ничего не найдено" in body


@pytest.mark.django_db
def test_search_matches_every_word_in_any_form(client, populated):
    page = NewsPageFactory(
        parent=populated.news_index,
        title="Ремонт школы закончен",
        lead="Учеников встретили новые классы.",
    )
    page.save_revision().publish()
    body = client.get("/search/", {"q": "школа ученики"}).content.decode()
    assert "Ремонт <mark>школы</mark> закончен" in body


@pytest.mark.django_db
def test_footer_links_to_the_official_accounts(client, populated):
    from wagtail.models import Site

    from newsroom.models import OrganisationSettings, SocialLink

    org = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    SocialLink.objects.create(
        settings=org, network="vk", title="Мы во ВКонтакте", url="https://vk.com/test_admin"
    )
    body = client.get("/").content.decode()
    assert 'href="https://vk.com/test_admin"' in body
    assert "Мы во ВКонтакте" in body


@pytest.mark.django_db
def test_calendar_shows_the_month_and_its_events(client, populated):
    body = client.get("/events/").content.decode()
    assert "Приём граждан" in body
    assert client.get("/events/?month=не-месяц").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["школа", "школе", "школы", "Школы"])
def test_search_finds_the_same_items_for_every_word_form(client, populated, query):
    """On SQLite as on PostgreSQL: the pages are indexed with their words' lemmas."""
    in_title = NewsPageFactory(parent=populated.news_index, title="Ремонт школы закончен")
    in_lead = NewsPageFactory(
        parent=populated.news_index, title="Новые классы", lead="В школе № 3 открыли кабинет."
    )
    other = NewsPageFactory(parent=populated.news_index, title="Каток открыт", lead="В парке.")
    for page in (in_title, in_lead, other):
        page.save_revision().publish()
    response = client.get("/search/", {"q": query})
    titles = {result.title for result in response.context["results"]}
    assert titles == {"Ремонт школы закончен", "Новые классы"}
    body = response.content.decode()
    assert "<mark>школы</mark>" in body and "<mark>школе</mark>" in body


@pytest.mark.django_db
def test_search_corrects_a_typo_in_a_title_word(client, populated):
    page = NewsPageFactory(parent=populated.news_index, title="Ремонт школы закончен")
    page.save_revision().publish()
    response = client.get("/search/", {"q": "шкоы"})
    assert [result.title for result in response.context["results"]] == [page.title]
    assert "Показаны результаты по запросу «<strong>школы</strong>»" in response.content.decode()


@pytest.mark.django_db
def test_search_filters_by_section_and_date(client, populated):
    from django.utils import timezone

    from tests.factories import EventPageFactory

    news = NewsPageFactory(parent=populated.news_index, title="Субботник в парке")
    news.save_revision().publish()
    event = EventPageFactory(parent=populated.event_index, title="Субботник у школы")
    event.save_revision().publish()

    def found(**params):
        response = client.get("/search/", {"q": "субботник", **params})
        return {result.title for result in response.context["results"]}

    assert found() >= {news.title, event.title}
    assert found(section="news") == {news.title}
    assert found(section="events") == {event.title}
    type(news).objects.filter(pk=news.pk).update(
        first_published_at=timezone.now() - timezone.timedelta(days=60)
    )
    assert news.title not in found(period="month")
    assert news.title in found(period="year")
    assert found(section="garbage", period="garbage") >= {news.title, event.title}
