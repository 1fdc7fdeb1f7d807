"""Every absolute link is built from the Site's address: the crosspost's link, og:url and the
sitemap say https://press.example.ru/…, whatever address the request came by."""

from wagtail.models import Site

import pytest

from social_sync.services.content import build_content
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(site_tree):
    Site.objects.filter(is_default_site=True).update(hostname="press.example.ru", port=443)
    return NewsPageFactory(
        parent=site_tree.news_index, title="Дорогу отремонтировали", slug="doroga"
    )


def test_the_crossposts_link_is_the_sites_address(news):
    assert build_content(news).url == "https://press.example.ru/news/doroga/"


def test_og_url_and_the_sitemap(client, news):
    page = client.get("/news/doroga/", HTTP_HOST="press.example.ru").content.decode()
    assert '<meta property="og:url" content="https://press.example.ru/news/doroga/">' in page
    sitemap = client.get("/sitemap.xml", HTTP_HOST="press.example.ru").content.decode()
    assert "<loc>https://press.example.ru/news/doroga/</loc>" in sitemap
    assert "localhost" not in sitemap


@pytest.mark.parametrize("existing", [False, True])
def test_the_demo_site_takes_its_address_from_site_base_url(settings, db, existing):
    from django.core.management import call_command

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    if not existing:
        Site.objects.all().delete()
    else:  # Wagtail's initial migration made «localhost:80»
        assert Site.objects.filter(hostname="localhost", port=80, is_default_site=True).exists()
    call_command("load_demo_content", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert site.root_page.get_full_url().startswith("http://127.0.0.1:8000/")
