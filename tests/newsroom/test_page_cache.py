"""Anonymous visitors get cached pages; any change to the published site shows at once."""

import pytest

from tests.factories import NewsPageFactory


@pytest.fixture
def news(site_tree):
    page = NewsPageFactory(parent=site_tree.news_index, title="Первая версия")
    page.save_revision().publish()
    return page


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_second_anonymous_request_is_served_from_the_cache(client, news):
    assert get(client, news.url)["X-Page-Cache"] == "miss"
    assert get(client, news.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_publishing_a_change_is_visible_on_the_next_request(client, news):
    get(client, "/news/")
    assert get(client, news.url)["X-Page-Cache"] in ("miss", "hit")
    assert "Первая версия" in get(client, news.url).content.decode()

    news.title = "Вторая версия"
    news.save_revision().publish()

    for url in (news.url, "/news/", "/"):
        body = get(client, url).content.decode()
        assert "Вторая версия" in body, url


@pytest.mark.django_db
def test_unpublishing_removes_the_page_at_once(client, news):
    assert "Первая версия" in get(client, "/news/").content.decode()
    get(client, news.url)
    news.unpublish()
    assert client.get(news.url).status_code == 404
    assert "Первая версия" not in get(client, "/news/").content.decode()


@pytest.mark.django_db
def test_moving_a_page_invalidates_at_once(client, news, site_tree):
    old_url = news.url
    get(client, old_url)
    get(client, site_tree.head.url)
    news.move(site_tree.head, pos="last-child")
    news.refresh_from_db()
    # Wagtail leaves a permanent redirect at the old address.
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"].endswith(news.url)
    assert "Первая версия" in get(client, site_tree.head.url).content.decode()


@pytest.mark.django_db
def test_logged_in_users_never_get_cached_pages(client, news):
    from tests.factories import UserFactory

    get(client, news.url)
    client.force_login(UserFactory())
    assert "X-Page-Cache" not in get(client, news.url)


@pytest.mark.django_db
def test_admin_and_errors_are_not_cached(client, news):
    assert client.get("/no-such-page/").status_code == 404
    assert "X-Page-Cache" not in client.get("/no-such-page/")
    assert "X-Page-Cache" not in client.get("/admin/login/")
