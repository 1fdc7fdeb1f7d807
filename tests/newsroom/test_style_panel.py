"""The style check as editors meet it: in the news editor and through the live-check endpoint."""

import json

from django.urls import reverse

import pytest

from newsroom import roles
from newsroom.models import StylePhrase
from newsroom.news_style import body_text, review_page
from tests.factories import NewsPageFactory, UserFactory

BUREAUCRATIC_LEAD = "В целях обеспечения безопасности осуществляется ремонт дорог."


@pytest.fixture
def editor(db):
    return UserFactory(username="stylist", groups=[roles.EDITORS])


@pytest.mark.django_db
def test_the_phrase_list_is_seeded_for_editors():
    assert StylePhrase.objects.filter(phrase="осуществлять деятельность").exists()
    assert StylePhrase.objects.count() >= 60


@pytest.mark.django_db
def test_the_news_editor_shows_findings_and_readability(client, site_tree, editor):
    page = NewsPageFactory(parent=site_tree.news_index, lead=BUREAUCRATIC_LEAD)
    page.save_revision()
    client.force_login(editor)
    body = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Проверка стиля" in body
    assert "Читаемость" in body
    assert "осуществляется" in body
    assert "data-style-finding" in body


@pytest.mark.django_db
def test_live_check_of_unsaved_text(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("newsroom_style_check"),
        json.dumps(
            {
                "title": "Праздник",
                "lead": "На сегодняшний день денежные средства выделены.",
                "body": "",
            }
        ),
        content_type="application/json",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "на сегодняшний день" in html.lower()
    assert "денежные средства" in html.lower()


@pytest.mark.django_db
def test_an_editors_own_phrase_is_found_in_its_word_forms(client, editor):
    StylePhrase.objects.create(phrase="пилотный проект", suggestion="первый опыт")
    client.force_login(editor)
    response = client.post(
        reverse("newsroom_style_check"),
        json.dumps({"lead": "Итоги пилотного проекта подвели в мэрии."}),
        content_type="application/json",
    )
    assert "первый опыт" in response.content.decode()


@pytest.mark.django_db
def test_a_disabled_phrase_is_not_reported():
    StylePhrase.objects.filter(phrase="денежные средства").update(is_active=False)
    from newsroom.news_style import review_fields

    report = review_fields(lead="Денежные средства выделены.")
    assert "денежные средства" not in [f.phrase for f in report.findings]


@pytest.mark.django_db
def test_live_check_rejects_garbage_with_a_russian_message(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("newsroom_style_check"), b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "Не удалось прочитать текст" in response.content.decode()


@pytest.mark.django_db
def test_live_check_needs_the_admin(client, db):
    response = client.post(reverse("newsroom_style_check"), "{}", content_type="application/json")
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.mark.django_db
def test_body_text_covers_paragraphs_quotes_and_captions(site_tree):
    from wagtail.rich_text import RichText

    page = NewsPageFactory(
        parent=site_tree.news_index,
        body=[
            ("paragraph", RichText("<p>Данный <b>объект</b> введён в эксплуатацию.</p>")),
            ("quote", {"text": "Мы довели до сведения жителей.", "author": "Глава"}),
        ],
    )
    assert "Данный объект введён в эксплуатацию." in body_text(page.body)
    phrases = [finding.phrase for finding in review_page(page).findings]
    assert "ввести в эксплуатацию" in phrases
    assert "довести до сведения" in phrases
