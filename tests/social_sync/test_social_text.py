"""The text for the networks: the social text, its per-network versions, hashtags, images, the
time slot of each network and the editor's live preview."""

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from social_sync.models import OutboxAction, OutboxItem
from social_sync.services import delivery
from social_sync.services.content import build_content
from social_sync.services.outbox import retry as outbox_retry
from tests import factories
from tests.social_sync.helpers import OK_DEFAULT_GID, VK_GROUP, ok_group, publish, vk_community

SOCIAL = "Улицу Ленина открыли на неделю раньше. Рассказываем, где ещё идёт ремонт."


def news(parent, **fields):
    gallery = [{"image": factories.ImageFactory(), "caption": ""} for _ in range(2)]
    body = [
        ("paragraph", "<p>В рамках реализации программы осуществлён ремонт.</p>"),
        ("gallery", {"title": "", "images": gallery}),
    ]
    return factories.NewsPageFactory(parent=parent, live=False, body=body, **fields)


@pytest.mark.django_db
def test_without_a_social_text_the_post_is_the_title_and_the_lead(site_tree):
    page = news(site_tree.news_index)
    content = build_content(page)
    text = content.text_for("vk")
    assert text.startswith(f"{page.title}\n\n{page.lead}\n\nПодробнее: ")
    assert "осуществлён" not in text  # never the article's body
    assert len(content.images) == 3


@pytest.mark.django_db
def test_the_social_text_overrides_and_hashtags(site_tree):
    page = news(
        site_tree.news_index,
        social_text=SOCIAL,
        social_text_ok="Друзья, улицу Ленина открыли! Заходите посмотреть фото.",
        social_hashtags="ремонт, #Заречный район",
    )
    content = build_content(page)
    url = page.get_full_url()
    assert content.text_for("vk") == f"{SOCIAL}\n\n#ремонт #Заречный #район\n\nПодробнее: {url}"
    assert content.text_for("ok").startswith("Друзья, улицу Ленина открыли!")
    assert page.title not in content.text_for("telegram")  # the editor's text stands alone
    assert content.text_for("telegram").startswith(SOCIAL)


@pytest.mark.django_db
@pytest.mark.parametrize(("choice", "count"), [("all", 3), ("main", 1), ("none", 0)])
def test_the_choice_of_images(site_tree, choice, count):
    page = news(site_tree.news_index, social_images=choice)
    assert len(build_content(page).images) == count


@pytest.mark.django_db
def test_each_network_gets_its_own_text(site_tree, fake):
    vk, ok = vk_community(), ok_group()
    page = publish(
        news(site_tree.news_index, social_text=SOCIAL, social_text_ok="Текст для Одноклассников.")
    )
    for account in (vk, ok):
        row = OutboxItem.objects.get(page=page, account=account, action=OutboxAction.POST)
        assert delivery.deliver(row.pk) == "done"
    [post] = fake.vk_posts[-VK_GROUP]
    assert post["text"].startswith(SOCIAL)
    [topic] = fake.ok_topics[str(OK_DEFAULT_GID)]
    [text_block] = [block for block in topic["media"] if block["type"] == "text"]
    assert text_block["text"].startswith("Текст для Одноклассников.")


@pytest.mark.django_db
def test_a_network_with_its_own_time_waits_for_it(site_tree, fake):
    vk, ok = vk_community(), ok_group()
    evening = timezone.now() + timedelta(hours=5)
    page = publish(news(site_tree.news_index, social_at_ok=evening))
    vk_row = OutboxItem.objects.get(page=page, account=vk, action=OutboxAction.POST)
    ok_row = OutboxItem.objects.get(page=page, account=ok, action=OutboxAction.POST)
    assert ok_row.next_attempt_at == evening
    assert vk_row.next_attempt_at <= timezone.now()

    assert set(delivery.due_items()) == {vk_row.pk}
    assert delivery.deliver(ok_row.pk) == "skipped"
    assert not fake.ok_topics

    # The editor moves the time and publishes again: the waiting row follows.
    page.social_at_ok = timezone.now() - timedelta(minutes=1)
    publish(page)
    ok_row.refresh_from_db()
    assert ok_row.next_attempt_at <= timezone.now()
    assert delivery.deliver(ok_row.pk) == "done"
    assert len(fake.ok_topics[str(OK_DEFAULT_GID)]) == 1


# --- the editor -------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="smm-editor", groups=[roles.EDITORS])


def preview(client, **data):
    return client.post(
        reverse("social_sync:preview"), json.dumps(data), content_type="application/json"
    )


@pytest.mark.django_db
def test_the_preview_shows_every_network_and_checks_the_style(client, site_tree, editor):
    page = news(site_tree.news_index)
    page.save_revision()
    client.force_login(editor)
    long_text = "Дорожники закончили ремонт улицы Ленина раньше срока. " * 25
    response = preview(
        client,
        page_id=page.pk,
        title=page.title,
        social_text=long_text + "В целях обеспечения безопасности движение закрыто.",
        social_hashtags="ремонт",
    )
    html = response.content.decode()
    assert response.status_code == 200
    for network in ("vk", "ok", "telegram", "max"):
        assert f'data-social-post="{network}"' in html
    # With photos Telegram takes a caption of 1024: this text is cut there, and said so.
    assert "из 1024 знаков" in html and "data-social-post-truncated" in html
    assert "Показать ещё" in html  # VK's feed folds it
    assert "в целях обеспечения" in html.lower() and "data-style-finding" in html


@pytest.mark.django_db
def test_the_preview_of_a_new_page_under_its_section(client, site_tree, editor):
    client.force_login(editor)
    response = preview(
        client,
        parent_id=site_tree.news_index.pk,
        page_type="newsroom.newspage",
        title="Каток открыт",
        slug="katok-otkryt",
        lead="С субботы работает каток.",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Каток открыт" in html and "/news/katok-otkryt/" in html
    assert "data-social-post-card" in html  # no photos: the link shows as a card


@pytest.mark.django_db
def test_the_preview_is_only_for_who_may_edit(client, site_tree):
    page = news(site_tree.news_index)
    outsider = factories.UserFactory(username="reader", groups=[roles.ACCREDITATION])
    client.force_login(outsider)
    assert preview(client, page_id=page.pk).status_code == 403
    response = preview(client, parent_id=site_tree.news_index.pk, page_type="auth.user")
    assert response.status_code in (400, 403)
    client.logout()
    assert preview(client, page_id=page.pk).status_code in (302, 403)


@pytest.mark.django_db
def test_a_text_too_long_for_its_network_is_refused_with_a_reason(site_tree, editor):
    page = news(site_tree.news_index)
    form_class = page.get_edit_handler().get_form_class()
    data = {
        "title": page.title,
        "slug": page.slug,
        "lead": page.lead,
        "body-count": "0",
        "social_text_telegram": "а" * 4097,
        "social_text_ok": "Коротко.",
    }
    form = form_class(data, instance=page, for_user=editor, parent_page=site_tree.news_index)
    assert not form.is_valid()
    assert "Telegram принимает не больше 4096 знаков" in str(form.errors["social_text_telegram"])
    assert "social_text_ok" not in form.errors


@pytest.mark.django_db
def test_the_preview_of_an_event_announces_its_time_and_place(client, site_tree, editor):
    client.force_login(editor)
    response = preview(
        client,
        parent_id=site_tree.event_index.pk,
        page_type="newsroom.eventpage",
        title="Приём граждан Главой района",
        slug="priyom-grazhdan",
        start="05.12.2026 10:00",
        place="Администрация, каб. 12",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Анонс: Приём граждан Главой района" in html
    assert "5 декабря 2026, 10:00, Администрация, каб. 12" in html


# --- the gate: a press-release text does not go out unless the editor says so -----------------


@pytest.mark.django_db
def test_a_press_release_text_is_held_until_fixed(
    site_tree, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core import mail

    from social_sync.models import STYLE_HOLD, OutboxState

    monkeypatch.setattr("social_sync.tasks.enqueue_deliveries", lambda ids: None)
    factories.UserFactory(username="smm", email="smm@example.ru", groups=[roles.EDITORS])
    vk = vk_community()
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(
            news(site_tree.news_index, social_text="Была проведена большая работа по уборке парка.")
        )
    row = OutboxItem.objects.get(page=page, account=vk, action=OutboxAction.POST)
    assert (row.state, row.last_error_code) == (OutboxState.FAILED, STYLE_HOLD)
    assert "«Была проведена» → Скажите, кто сделал: «провели»" in row.last_error
    assert delivery.deliver(row.pk) == "skipped"
    assert outbox_retry(row) is False  # the button does not send it: the text must change
    assert any("Не отправлено в соцсети" in letter.subject for letter in mail.outbox)

    page.social_text = "Волонтёры убрали парк за одно утро."
    publish(page)
    row.refresh_from_db()
    assert row.state == OutboxState.PENDING and row.last_error == ""


@pytest.mark.django_db
def test_publish_anyway_sends_the_text_as_it_is(site_tree, fake):
    vk = vk_community()
    page = publish(
        news(
            site_tree.news_index,
            social_text="Состоялось торжественное мероприятие в школе.",
            social_publish_anyway=True,
        )
    )
    row = OutboxItem.objects.get(page=page, account=vk, action=OutboxAction.POST)
    assert delivery.deliver(row.pk) == "done"
    assert fake.vk_posts[-VK_GROUP][0]["text"].startswith("Состоялось торжественное мероприятие")


@pytest.mark.django_db
def test_only_the_network_with_the_press_release_text_is_held(site_tree):
    from social_sync.models import OutboxState

    vk, ok = vk_community(), ok_group()
    page = publish(
        news(
            site_tree.news_index,
            social_text="Волонтёры убрали парк.",
            social_text_ok="Хочется отметить, что волонтёры убрали парк.",
        )
    )
    rows = {row.account_id: row for row in OutboxItem.objects.filter(page=page)}
    assert rows[vk.pk].state == OutboxState.PENDING
    assert rows[ok.pk].held_for_style


@pytest.mark.django_db
def test_the_preview_says_the_post_will_be_held(client, site_tree, editor):
    page = news(site_tree.news_index)
    page.save_revision()
    client.force_login(editor)
    held = preview(client, page_id=page.pk, social_text="Стоит отметить вклад волонтёров.")
    assert "data-social-style-hold" in held.content.decode()
    anyway = preview(
        client,
        page_id=page.pk,
        social_text="Стоит отметить вклад волонтёров.",
        social_publish_anyway=True,
    )
    assert "data-social-style-hold" not in anyway.content.decode()
