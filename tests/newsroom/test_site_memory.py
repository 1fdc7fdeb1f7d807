"""Public pages reuse what the process remembers for the current site generation, and show any
change to the site on the very next request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site
from wagtail.rich_text import RichText

import pytest

from newsroom.models import NewsPage
from tests.factories import NewsPageFactory
from tests.newsroom.pages import publish

# A warm process serving a news page: the page by its key (with photo and department), the two
# view-restriction checks of Wagtail and the tags. Site, home page, news index and the rendered
# body come from memory.
WARM_NEWS_PAGE_QUERIES = 4


def fetch(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert "X-Page-Cache" not in response, "the page cache must not answer in these tests"
    return response, len(queries)


@pytest.fixture
def news(site_tree):
    page = NewsPageFactory(
        parent=site_tree.news_index,
        title="Ремонт моста",
        body=[("paragraph", RichText("<p>Мост откроют в пятницу.</p>"))],
    )
    return publish(page)


@pytest.mark.django_db
def test_a_warm_process_serves_a_news_page_in_fewer_queries(visitor, news):
    first, cold = fetch(visitor, news.url)
    second, warm = fetch(visitor, news.url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert warm == WARM_NEWS_PAGE_QUERIES < cold


@pytest.mark.django_db
def test_a_new_body_shows_on_the_next_request(visitor, news):
    fetch(visitor, news.url)
    publish(news, body=[("paragraph", RichText("<p>Мост откроют в субботу.</p>"))])
    response, _ = fetch(visitor, news.url)
    assert "в субботу" in response.content.decode()
    assert "в пятницу" not in response.content.decode()


@pytest.mark.django_db
def test_a_preview_shows_the_draft_body_not_the_published_one(visitor, news):
    fetch(visitor, news.url)  # the published body is now kept in memory
    news.body = [("paragraph", RichText("<p>Черновик: мост откроют позже.</p>"))]
    draft = news.save_revision().as_object()
    preview = draft.make_preview_request()
    assert "Черновик" in preview.content.decode()


@pytest.mark.django_db
def test_a_changed_slug_moves_the_page_at_once(visitor, news, django_capture_on_commit_callbacks):
    old_url = news.url
    fetch(visitor, old_url)
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail adds the redirect then
        publish(news, slug="most-otkryt")
    moved, _ = fetch(visitor, old_url)
    assert moved.status_code == 301  # Wagtail leaves a redirect at the old address
    response, _ = fetch(visitor, NewsPage.objects.get(pk=news.pk).url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_unpublished_page_is_gone_at_once(visitor, news):
    fetch(visitor, news.url)
    news.unpublish()
    response, _ = fetch(visitor, news.url)
    assert response.status_code == 404


@pytest.mark.django_db
def test_routes_of_a_routable_page_still_resolve(visitor, news):
    for _ in range(2):
        response, _ = fetch(visitor, "/news/rss/")
        assert response.status_code == 200
        assert "Ремонт моста" in response.content.decode()


@pytest.mark.django_db
def test_the_news_count_follows_publications(visitor, site_tree):
    for n in range(12):
        publish(NewsPageFactory(parent=site_tree.news_index, title=f"Новость {n}"))
    response, _ = fetch(visitor, "/news/")
    assert "Страница 1 из" not in response.content.decode()  # one page: no pagination

    publish(NewsPageFactory(parent=site_tree.news_index, title="Тринадцатая"))
    response, _ = fetch(visitor, "/news/")
    assert "Страница 1 из 2" in response.content.decode()


@pytest.mark.django_db
def test_a_new_site_for_a_host_is_served_at_once(visitor, site_tree):
    response, _ = fetch(visitor, "/", HTTP_HOST="glava.example.ru")
    assert response.status_code == 200  # the default site answers an unknown host

    Site.objects.create(hostname="glava.example.ru", port=80, root_page=site_tree.head)
    response, _ = fetch(visitor, "/", HTTP_HOST="glava.example.ru")
    assert response.status_code == 200
    assert site_tree.head.title in response.content.decode()
    assert response.context["page"].pk == site_tree.head.pk


def rendition_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "wagtailimages_rendition" in q["sql"]]


@pytest.mark.django_db
def test_renditions_outlive_publications_but_not_image_edits(visitor, news, site_tree):
    fetch(visitor, news.url)  # the renditions are made and remembered
    publish(NewsPageFactory(parent=site_tree.news_index, title="Другая новость"))
    assert rendition_queries(visitor, news.url) == []

    news.main_image.title = "Мост после ремонта"
    news.main_image.save()
    assert rendition_queries(visitor, news.url) != []


@pytest.mark.django_db
def test_admin_thumbnails_are_made_again_after_another_process_changes_media(client, news):
    from newsroom.cache import invalidate_page_cache
    from newsroom.roles import EDITORS
    from tests.factories import UserFactory

    client.force_login(UserFactory(groups=[EDITORS]))
    edit_url = f"/admin/pages/{news.pk}/edit/"  # shows the main image's thumbnail
    rendition_queries(client, edit_url)  # the thumbnail is made and kept in this process
    assert rendition_queries(client, edit_url) == []

    invalidate_page_cache(media=True)  # as when an image is replaced in another web process
    assert rendition_queries(client, edit_url) != []
