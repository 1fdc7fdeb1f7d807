"""Telegram and MAX channels behind the same publisher interface as VK and OK, against their
strict fakes: posting, albums and captions, edits, deletes, errors explained in Russian, and what
happens when an answer is lost."""

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from social_sync.models import UNKNOWN_OUTCOME, OutboxAction, OutboxItem, OutboxState
from social_sync.services import comments, delivery
from social_sync.services.outbox import record_unpublication, retry
from tests import factories
from tests.social_sync.helpers import (
    MAX_CHAT,
    TG_CHANNEL,
    max_channel,
    news,
    publish,
    telegram_channel,
)

pytestmark = pytest.mark.django_db


def post_row(page, account, action=OutboxAction.POST):
    return OutboxItem.objects.get(page=page, account=account, action=action)


# --- Telegram -------------------------------------------------------------------------------------


def test_a_text_post_goes_to_the_channel_with_its_link(site_tree, messengers):
    account = telegram_channel()
    page = publish(news(site_tree.news_index, social_text="Открыли каток у школы № 2."))
    row = post_row(page, account)
    assert delivery.deliver(row.pk) == "done"
    [message] = messengers.posts(TG_CHANNEL)
    assert message["text"].startswith("Открыли каток у школы № 2.")
    assert page.get_full_url() in message["text"]
    row.refresh_from_db()
    assert row.remote_id == str(message["message_id"])
    assert row.remote_url == f"https://t.me/adm_rajona/{message['message_id']}"


def test_an_album_carries_the_caption_cut_to_1024(site_tree, messengers):
    account = telegram_channel()
    long_text = "Дорожники закончили ремонт улицы Ленина раньше срока. " * 40
    page = publish(news(site_tree.news_index, images=3, social_text=long_text))
    assert delivery.deliver(post_row(page, account).pk) == "done"
    album = messengers.posts(TG_CHANNEL)
    assert len(album) == 3 and len({m["media_group_id"] for m in album}) == 1
    caption = album[0]["caption"]
    assert len(caption) <= 1024 and caption.endswith(page.get_full_url())
    assert messengers.sent(TG_CHANNEL) == {page.get_full_url(): 1}


def test_edits_change_the_caption_and_unpublishing_deletes_the_album(site_tree, messengers):
    account = telegram_channel()
    page = publish(news(site_tree.news_index, images=2, social_text="Первый текст."))
    assert delivery.deliver(post_row(page, account).pk) == "done"

    page.social_text = "Исправленный текст."
    publish(page)
    edit = post_row(page, account, OutboxAction.EDIT)
    assert delivery.deliver(edit.pk) == "done"
    assert messengers.posts(TG_CHANNEL)[0]["caption"].startswith("Исправленный текст.")
    # The same text again is «not modified» for Telegram, and done for us.
    publish(page)
    again = OutboxItem.objects.filter(page=page, action=OutboxAction.EDIT).latest("pk")
    assert delivery.deliver(again.pk) == "done"

    page.unpublish()
    record_unpublication(page)
    assert delivery.deliver(post_row(page, account, OutboxAction.DELETE).pk) == "done"
    assert messengers.posts(TG_CHANNEL) == []


def test_a_bot_that_is_not_an_administrator_is_explained_in_russian(site_tree, messengers):
    account = telegram_channel(owner_id="@other_channel")
    messengers.add_telegram_channel("@other_channel")
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "добавьте его администратором канала" in row.last_error
    assert messengers.posts("@other_channel") == []


def test_a_lost_answer_is_never_resent_blindly_and_the_editor_resolves_it(
    site_tree, messengers, client
):
    account = telegram_channel()
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    messengers.fail_next("sendMessage", "lose_response")

    assert delivery.deliver(row.pk) == "retry"  # the answer was lost: it may have gone out
    row.refresh_from_db()
    row.next_attempt_at = timezone.now()
    row.save()
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.last_error_code == UNKNOWN_OUTCOME and row.needs_check
    assert "Неизвестно, вышел ли пост" in row.last_error
    assert len(messengers.posts(TG_CHANNEL)) == 1  # posted once, not twice
    # The plain retry does not send it again; the editor must say what the channel shows.
    assert retry(row) is False

    editor = factories.UserFactory(username="tg-editor", groups=[roles.EDITORS])
    client.force_login(editor)
    url = reverse("social_sync:retry", args=[row.pk])
    page_html = client.get(url).content.decode()
    assert "Пост есть в канале" in page_html and "Поста нет — отправить" in page_html
    refused = client.post(url, {"action": "posted", "url": "не ссылка"})
    assert refused.status_code == 400 and "Вставьте ссылку целиком" in refused.content.decode()
    [message] = messengers.posts(TG_CHANNEL)
    link = f"https://t.me/adm_rajona/{message['message_id']}"
    client.post(url, {"action": "posted", "url": link})
    row.refresh_from_db()
    assert row.state == OutboxState.DONE and row.remote_url == link
    assert row.remote_id == str(message["message_id"])


def test_when_the_channel_shows_nothing_the_editor_sends_it_again(site_tree, messengers, client):
    account = telegram_channel()
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    # The request fails before Telegram applies it, but the client cannot know that.
    messengers.fail_next("sendMessage", "http502")
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    row.next_attempt_at = timezone.now()
    row.save()
    assert delivery.deliver(row.pk) == "failed"
    assert messengers.posts(TG_CHANNEL) == []

    editor = factories.UserFactory(username="tg-editor-2", groups=[roles.EDITORS])
    client.force_login(editor)
    client.post(reverse("social_sync:retry", args=[row.pk]), {"action": "resend"})
    assert delivery.deliver(row.pk) == "done"
    assert messengers.sent(TG_CHANNEL) == {page.get_full_url(): 1}


def test_an_invalid_bot_token_holds_the_account(site_tree, messengers):
    account = telegram_channel(token="7000001:revoked")
    page = publish(news(site_tree.news_index))
    assert delivery.deliver(post_row(page, account).pk) == "held"
    account.refresh_from_db()
    assert "@BotFather" in account.credentials_problem


# --- MAX ------------------------------------------------------------------------------------------


def test_a_max_post_with_photos_edit_and_delete(site_tree, messengers):
    account = max_channel()
    page = publish(news(site_tree.news_index, images=2, social_text="Фотоотчёт с субботника."))
    row = post_row(page, account)
    assert delivery.deliver(row.pk) == "done"
    [message] = messengers.posts(MAX_CHAT)
    assert message["body"]["text"].startswith("Фотоотчёт с субботника.")
    assert len(message["body"]["attachments"]) == 2
    row.refresh_from_db()
    assert row.remote_id == message["body"]["mid"] and row.remote_url == message["url"]

    page.social_text_max = "Фотоотчёт с субботника: 120 участников."
    publish(page)
    assert delivery.deliver(post_row(page, account, OutboxAction.EDIT).pk) == "done"
    [message] = messengers.posts(MAX_CHAT)
    assert message["body"]["text"].startswith("Фотоотчёт с субботника: 120 участников.")
    assert len(message["body"]["attachments"]) == 2  # unchanged images are kept

    page.unpublish()
    record_unpublication(page)
    assert delivery.deliver(post_row(page, account, OutboxAction.DELETE).pk) == "done"
    assert messengers.posts(MAX_CHAT) == []


def test_a_lost_max_answer_is_found_in_the_channel_not_sent_again(site_tree, messengers):
    account = max_channel()
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    messengers.fail_next("max:POST /messages", "lose_response")
    assert delivery.deliver(row.pk) == "done"  # read back at once, in the same attempt
    assert messengers.sent(MAX_CHAT) == {page.get_full_url(): 1}
    assert [c for c in messengers.calls if c[1:] == ("POST", "/messages")] == [
        ("max", "POST", "/messages")
    ]
    row.refresh_from_db()
    assert row.remote_id == messengers.posts(MAX_CHAT)[0]["body"]["mid"]


def test_an_image_not_ready_yet_is_sent_again_and_goes_out_once(site_tree, messengers):
    messengers.not_ready_first = 1
    account = max_channel()
    page = publish(news(site_tree.news_index, images=1))
    assert delivery.deliver(post_row(page, account).pk) == "done"
    [message] = messengers.posts(MAX_CHAT)
    assert len(message["body"]["attachments"]) == 1


def test_max_errors_are_explained(site_tree, messengers):
    messengers.add_max_channel(-1)
    account = max_channel(owner_id="-1", name="Чужой канал")
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "Бот не может публиковать в канале MAX" in row.last_error


def test_posts_made_by_hand_in_the_max_channel_count_for_the_norms(site_tree, messengers):
    from social_sync.content_calendar import monday_of, week_of

    account = max_channel()
    messengers.seed_max_message(MAX_CHAT, "Пост, опубликованный вручную")
    page = publish(news(site_tree.news_index))
    assert delivery.deliver(post_row(page, account).pk) == "done"
    comments.pull_account(account)
    [week] = week_of(monday_of(timezone.localdate()), accounts=[account])
    assert week.posted == 2
    assert sum(1 for day in week.days for entry in day if entry.by_hand) == 1


def test_telegram_and_max_accounts_are_validated_in_the_form():
    from social_sync.admin_forms import SocialAccountForm

    def errors(**data):
        form = SocialAccountForm(
            data={"kind": "community", "name": "Канал", "weekly_norm": 5, **data}
        )
        form.is_valid()
        return form.errors

    assert "owner_id" in errors(network="telegram", owner_id="12345")
    assert "числовой ID канала" in str(errors(network="max", owner_id="@channel")["owner_id"])
    assert "owner_id" not in errors(network="telegram", owner_id="@adm_rajona")
    assert "owner_id" not in errors(network="max", owner_id="-72000000000001")
    assert "kind" in errors(network="telegram", owner_id="@adm_rajona", kind="person")


def test_the_preview_and_sandbox_work_for_the_new_channels(site_tree):
    from social_sync.models import SandboxPost

    account = telegram_channel(token=None)  # no bot token: the sandbox
    assert account.is_sandbox
    page = publish(news(site_tree.news_index, social_text_telegram="Только для Telegram."))
    assert delivery.deliver(post_row(page, account).pk) == "done"
    assert SandboxPost.objects.get().text.startswith("Только для Telegram.")


def test_deleting_an_old_telegram_post_asks_for_the_hand(site_tree, messengers):
    account = telegram_channel()
    page = publish(news(site_tree.news_index))
    assert delivery.deliver(post_row(page, account).pk) == "done"
    messengers.advance_time(datetime.timedelta(hours=49).total_seconds())
    page.unpublish()
    record_unpublication(page)
    row = post_row(page, account, OutboxAction.DELETE)
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "удалите пост в канале вручную" in row.last_error
