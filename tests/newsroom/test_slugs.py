"""Latin slugs for new pages; old addresses keep working, and a changed slug redirects."""

from wagtail.models import Page

import pytest

from newsroom.translit import latin_slug, transliterate
from tests.factories import NewsPageFactory


@pytest.mark.parametrize(
    "title, slug",
    [
        ("В школах района начался ремонт", "v-shkolax-rajona-nachalsya-remont"),
        ("Щёлково: «Ёлка» и подъезд", "shhyolkovo-yolka-i-podezd"),
        ("Café №5 — 2026", "cafe-5-2026"),
        ("Во дворе школы № 3 залили каток", "vo-dvore-shkoly-3-zalili-katok"),
        ("???", ""),
        (
            "Прямой эфир с Главой администрации в ВКонтакте: итоги 2026 года и планы на будущее",
            "pryamoj-efir-s-glavoj-administracii-v-vkontakte-itogi-2026",
        ),
    ],
)
def test_latin_slug(title, slug):
    assert latin_slug(title) == slug
    assert len(latin_slug(title)) <= 60


def test_every_russian_letter_has_a_latin_form():
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    assert transliterate(alphabet + alphabet.upper()).isascii()


@pytest.mark.django_db
def test_a_new_page_gets_a_latin_slug_from_its_title(site_tree):
    page = NewsPageFactory(
        parent=site_tree.news_index, title="В школах района начался ремонт", slug=""
    )
    assert page.slug == "v-shkolax-rajona-nachalsya-remont"
    assert page.url == "/news/v-shkolax-rajona-nachalsya-remont/"
    again = NewsPageFactory(
        parent=site_tree.news_index, title="В школах района начался ремонт", slug="в-школах"
    )
    assert again.slug == "v-shkolax"
    third = NewsPageFactory(parent=site_tree.news_index, title="Ещё", slug="в-школах")
    assert third.slug == "v-shkolax-2"
    latin = NewsPageFactory(parent=site_tree.news_index, title="Как есть", slug="as-is")
    assert latin.slug == "as-is"


@pytest.mark.django_db
def test_an_old_cyrillic_address_keeps_working_and_a_changed_slug_redirects(
    client, site_tree, django_capture_on_commit_callbacks
):
    page = NewsPageFactory(parent=site_tree.news_index, title="Каток открыт", slug="katok")
    Page.objects.filter(pk=page.pk).update(
        slug="каток", url_path=page.url_path.replace("katok", "каток")
    )
    page.refresh_from_db()
    assert client.get("/news/каток/").status_code == 200
    page.title = "Каток открыт с 20 декабря"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "каток"  # saving an existing page leaves its address alone
    page.slug = "katok"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail makes the redirect then
        page.save_revision().publish()
    response = client.get("/news/каток/")
    assert response.status_code == 301
    assert response["Location"].endswith("/news/katok/")
    assert client.get("/news/katok/").status_code == 200
