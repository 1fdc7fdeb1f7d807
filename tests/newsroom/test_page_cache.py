"""Anonymous visitors get cached pages; any change to the published site shows at once."""

from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.util import setup_testing_defaults

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

import pytest

from newsroom.cache import PageCacheApplication
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
def test_a_page_closed_to_visitors_leaves_the_cache_at_once(client, news):
    from wagtail.models import PageViewRestriction

    get(client, news.url)
    assert get(client, news.url)["X-Page-Cache"] == "hit"
    restriction = PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(news.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    restriction.delete()
    assert "Первая версия" in get(client, news.url).content.decode()


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


@pytest.mark.django_db
def test_an_edited_image_shows_at_once(client, news):
    image = news.main_image
    get(client, news.url)
    image.title = "Новый мост через реку"
    image.save()
    assert "Новый мост через реку" in get(client, news.url).content.decode()


@pytest.mark.django_db
def test_a_hit_carries_the_security_headers_of_a_miss(client, news):
    miss = get(client, news.url)
    hit = get(client, news.url)
    assert hit["X-Page-Cache"] == "hit"
    for header in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Type"):
        assert hit[header] == miss[header], header
    assert hit.content == miss.content


# In front of Django: hits are answered by newsroom.cache.PageCacheApplication.


class CountingApplication:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def wsgi():
    # As Django's test client does: the test's transaction must survive request_started.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = CountingApplication()
    try:
        yield PageCacheApplication(django_app), django_app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_environ(method, url, **extra):
    """What a WSGI server passes for this request: the path percent-decoded, as latin-1."""
    parts = urlsplit(url)
    path = unquote_to_bytes(parts.path).decode("iso-8859-1")
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": parts.query}
    environ.update({"HTTP_HOST": "localhost", **extra})
    setup_testing_defaults(environ)
    return environ


def call(app, path, method="GET", **environ):
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    result = app(
        wsgi_environ(method, path, **environ),
        start_response,
    )
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], body


@pytest.mark.django_db
def test_hits_are_answered_before_django(wsgi, news):
    app, django_app = wsgi
    status, headers, body = call(app, news.url)
    assert status == "200 OK" and headers["X-Page-Cache"] == "miss"
    assert django_app.calls == 1

    status, hit_headers, hit_body = call(app, news.url)
    assert status == "200 OK" and hit_headers["X-Page-Cache"] == "hit"
    assert django_app.calls == 1
    assert hit_body == body
    assert hit_headers["X-Content-Type-Options"] == "nosniff"
    assert hit_headers["Content-Length"] == str(len(body))

    call(app, news.url, method="HEAD")  # a HEAD is cached apart from the GET
    status, head_headers, head_body = call(app, news.url, method="HEAD")
    assert head_headers["X-Page-Cache"] == "hit" and head_body == b""


@pytest.mark.django_db
def test_a_publication_sends_the_next_request_to_django(wsgi, news):
    app, django_app = wsgi
    call(app, news.url)
    call(app, news.url)
    news.title = "Вторая версия"
    news.save_revision().publish()
    _, headers, body = call(app, news.url)
    assert headers["X-Page-Cache"] == "miss" and "Вторая версия" in body.decode()
    assert django_app.calls == 2


@pytest.mark.django_db
def test_signed_in_visitors_and_other_addresses_always_reach_django(wsgi, news):
    app, django_app = wsgi
    call(app, news.url)
    call(app, news.url, HTTP_COOKIE="sessionid=abcdefgh12345678")
    call(app, news.url, HTTP_COOKIE="messages=x")
    call(app, f"{news.url}?utm=1")
    call(app, news.url, HTTP_HOST="other.example.ru")
    call(app, "/admin/login/")
    assert django_app.calls == 6


@pytest.mark.django_db
def test_a_host_django_refuses_is_never_answered_from_the_cache(wsgi, news, settings):
    settings.ALLOWED_HOSTS = ["press.example.ru"]
    app, django_app = wsgi
    assert call(app, news.url, HTTP_HOST="press.example.ru")[0] == "200 OK"
    assert call(app, news.url, HTTP_HOST="press.example.ru")[1]["X-Page-Cache"] == "hit"
    for _ in range(2):
        assert call(app, news.url, HTTP_HOST="evil.example.com")[0].startswith("400")
    assert django_app.calls == 3


@pytest.mark.django_db
def test_a_cache_outage_is_left_to_django(wsgi, news, monkeypatch):
    from django.core.cache import cache

    app, django_app = wsgi

    def down(*args, **kwargs):
        raise ConnectionError("Redis не отвечает")

    monkeypatch.setattr(cache, "get_many", down)
    status, _headers, _body = call(app, news.url)
    assert status.startswith("500")  # Django's own error page and log, not a bare server error
    assert django_app.calls == 1
