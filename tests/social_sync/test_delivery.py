"""Delivery of outbox rows by the real clients to the local fake VK/OK server."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from wagtail.models import Page

import pytest

from newsroom import roles
from social_sync.models import OutboxAction, OutboxItem, OutboxState, SandboxPost, SocialAccount
from social_sync.services import delivery
from social_sync.services.outbox import retry
from tests import factories
from tests.social_sync.helpers import (
    OK_DEFAULT_GID,
    VK_GROUP,
    VK_HEAD_USER,
    make_account,
    ok_group,
    publish,
    vk_community,
    vk_head_page,
)


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="social-editor", groups=[roles.EDITORS])


def news_with_gallery(parent, images=2):
    gallery = [{"image": factories.ImageFactory(), "caption": f"Фото {n}"} for n in range(images)]
    body = [
        ("paragraph", "<p>Работы шли <b>две недели</b>.</p>"),
        ("gallery", {"title": "", "images": gallery}),
    ]
    return factories.NewsPageFactory(parent=parent, live=False, body=body)


def only_row(page, account, action=OutboxAction.POST):
    return OutboxItem.objects.get(page=page, account=account, action=action)


def test_a_news_item_goes_to_a_vk_community_with_its_images(site_tree, fake):
    account = vk_community()
    news = publish(news_with_gallery(site_tree.news_index))
    row = only_row(news, account)

    assert delivery.deliver(row.pk) == "done"

    [post] = fake.vk_posts[-VK_GROUP]
    # Without a social text, the post is the title and the lead, never the article's body.
    assert post["text"].startswith(f"{news.title}\n\n{news.lead}")
    assert "две недели" not in post["text"] and "<b>" not in post["text"]
    kinds = [a["type"] for a in post["attachments"]]
    assert kinds.count("photo") == 3  # the main image and the two of the gallery
    assert [a["link"]["url"] for a in post["attachments"] if a["type"] == "link"] == [
        news.get_full_url()
    ]
    row.refresh_from_db()
    assert row.state == OutboxState.DONE
    assert row.remote_url == f"https://vk.com/wall-{VK_GROUP}_{post['id']}"
    assert fake.violations == []


def test_a_news_item_goes_to_an_ok_group_with_its_images(site_tree, fake):
    account = ok_group()
    news = publish(news_with_gallery(site_tree.news_index, images=1))
    row = only_row(news, account)

    assert delivery.deliver(row.pk) == "done"

    [topic] = fake.ok_topics[str(OK_DEFAULT_GID)]
    kinds = [block["type"] for block in topic["media"]]
    assert "text" in kinds and "link" in kinds
    [photos] = [block for block in topic["media"] if block["type"] == "photo"]
    assert len(photos["list"]) == 2
    row.refresh_from_db()
    assert row.remote_url == f"https://ok.ru/group/{OK_DEFAULT_GID}/topic/{topic['id']}"


def test_a_heads_personal_page_gets_a_post_in_his_own_name(site_tree, fake):
    account = vk_head_page(sections=[site_tree.head])
    news = publish(factories.NewsPageFactory(parent=site_tree.head, live=False))
    assert delivery.deliver(only_row(news, account).pk) == "done"
    [post] = fake.vk_posts[VK_HEAD_USER]
    assert post["from_id"] == VK_HEAD_USER


def test_an_event_is_announced(site_tree, fake):
    account = vk_community(post_events=True, post_news=False)
    event = publish(factories.EventPageFactory(parent=site_tree.event_index, live=False))
    assert delivery.deliver(only_row(event, account).pk) == "done"
    [post] = fake.vk_posts[-VK_GROUP]
    assert post["text"].startswith("Анонс: ")
    assert "Администрация района" in post["text"]


def test_a_lost_answer_is_retried_with_the_same_guid_and_posts_once(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    fake.fail_next("wall.post", "lose_response")
    assert delivery.deliver(only_row(news, account).pk) == "done"
    assert len(fake.vk_posts[-VK_GROUP]) == 1
    assert fake.posts_with_link(news.get_full_url())["vk"] == 1


class Crash(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


def crash_after_the_remote_write(monkeypatch):
    real_finish = delivery._finish
    calls = []

    def finish(item, *args, **kwargs):
        if not calls:
            calls.append(item.pk)
            raise Crash
        return real_finish(item, *args, **kwargs)

    monkeypatch.setattr(delivery, "_finish", finish)


def restart_after(row, *, hours=0):
    """What a new worker finds: the row still «sending», its lease run out."""
    OutboxItem.objects.filter(pk=row.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1),
        write_started_at=timezone.now() - timedelta(hours=hours, seconds=1),
    )


@pytest.mark.parametrize("hours", [0, 2], ids=["within-guid-window", "after-guid-window"])
def test_a_vk_post_made_before_a_crash_is_not_made_again(site_tree, fake, monkeypatch, hours):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    crash_after_the_remote_write(monkeypatch)
    with pytest.raises(Crash):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutboxState.SENDING and row.write_started_at is not None
    assert len(fake.vk_posts[-VK_GROUP]) == 1

    fake.advance_time(hours * 3600)  # past VK's guid window the wall is read back instead
    restart_after(row, hours=hours)
    assert delivery.deliver(row.pk) == "done"

    [post] = fake.vk_posts[-VK_GROUP]
    row.refresh_from_db()
    assert row.remote_id == str(post["id"])
    methods = [method for _network, method, _token in fake.calls]
    assert ("wall.get" in methods) == bool(hours)


def test_an_ok_topic_made_before_a_crash_is_found_and_not_made_again(site_tree, fake, monkeypatch):
    account = ok_group()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    crash_after_the_remote_write(monkeypatch)
    with pytest.raises(Crash):
        delivery.deliver(row.pk)
    restart_after(row)
    assert delivery.deliver(row.pk) == "done"
    [topic] = fake.ok_topics[str(OK_DEFAULT_GID)]
    row.refresh_from_db()
    assert row.remote_id == str(topic["id"])
    assert "stream.get" in [method for _network, method, _token in fake.calls]


def test_an_ok_post_without_an_answer_is_reconciled_not_repeated(site_tree, fake):
    account = ok_group()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("mediatopic.post", "lose_response")
    # OK has no guid: never re-sent blindly; the group's feed is read back at once instead.
    assert delivery.deliver(row.pk) == "done"
    assert fake.posts_with_link(news.get_full_url())["ok"] == 1
    assert [m for _n, m, _t in fake.calls].count("mediatopic.post") == 1
    assert OutboxItem.objects.get(pk=row.pk).attempts == 1


def test_a_permanent_error_fails_the_row_tells_the_editors_and_retry_works(
    site_tree, fake, editor, django_capture_on_commit_callbacks
):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("wall.post", 214)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED
    assert "214" in row.last_error and "администратор" in row.last_error
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert row.page_title in mail.outbox[0].subject

    assert retry(row, editor)
    assert delivery.deliver(row.pk) == "done"
    assert len(fake.vk_posts[-VK_GROUP]) == 1


def test_a_captcha_needs_a_person(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("wall.post", 14)
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "капч" in row.last_error.lower()


def test_transient_errors_put_the_row_back_with_a_pause(site_tree, fake, settings):
    settings.SOCIAL_RETRY_BASE_SECONDS = 30
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("wall.post", 10, times=20)
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.state == OutboxState.PENDING and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=10)
    assert row.last_error


def test_after_the_last_attempt_the_row_fails(site_tree, fake, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 1
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("wall.post", "http500", times=20)
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "Попыток: 1" in row.last_error


def test_an_expired_token_is_refreshed_and_the_post_goes_out(site_tree, fake):
    fake.add_vk_refresh_token(
        "refresh-1", client_id="51000", device_id="dev-1", user_id=10, admin_of=(VK_GROUP,)
    )
    account = vk_community(refresh_token="refresh-1", vk_client_id="51000", vk_device_id="dev-1")
    old_token = account.get_secret("access_token")
    fake.expire_vk_token(old_token)
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))

    assert delivery.deliver(only_row(news, account).pk) == "done"

    account.refresh_from_db()
    assert account.get_secret("access_token") != old_token
    assert account.get_secret("refresh_token") != "refresh-1"
    assert account.token_expires_at > timezone.now()
    assert "refresh" not in account.refresh_token_encrypted
    assert len(fake.vk_posts[-VK_GROUP]) == 1


def test_a_token_about_to_expire_is_refreshed_ahead(site_tree, fake):
    fake.add_vk_refresh_token(
        "refresh-2", client_id="51000", device_id="dev-1", user_id=10, admin_of=(VK_GROUP,)
    )
    account = vk_community(
        refresh_token="refresh-2",
        vk_client_id="51000",
        vk_device_id="dev-1",
        token_expires_at=timezone.now() + timedelta(minutes=2),
    )
    from social_sync.services.maintenance import refresh_expiring

    assert refresh_expiring() == 1
    account.refresh_from_db()
    assert account.token_expires_at > timezone.now() + timedelta(minutes=30)
    assert [c for c in fake.calls if c[1] == "oauth2/auth"] or account.get_secret(
        "refresh_token"
    ) != "refresh-2"


def test_a_failed_refresh_stops_and_alerts_the_editors(
    site_tree, fake, editor, django_capture_on_commit_callbacks
):
    account = vk_community(refresh_token="unknown", vk_client_id="51000", vk_device_id="dev-1")
    fake.expire_vk_token(account.get_secret("access_token"))
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver(row.pk) == "held"
    account.refresh_from_db()
    assert "повторный вход" in account.credentials_problem
    assert [m.subject for m in mail.outbox if "Нет доступа" in m.subject] != []
    assert not any("Не удалось отправить" in message.subject for message in mail.outbox)
    row.refresh_from_db()
    assert row.state == OutboxState.PENDING and "Ждёт новых ключей" in row.last_error
    assert fake.vk_posts.get(-VK_GROUP, []) == []


def refresh_calls(fake, token):
    return [call for call in fake.calls if call[1] == "oauth2/auth" and token in str(call)]


def test_a_lost_refresh_answer_holds_the_account_until_new_credentials(
    site_tree, fake, editor, django_capture_on_commit_callbacks
):
    """vk.md: a refresh whose answer was lost spends the refresh token; the one retry gets
    invalid_grant. The account goes on hold: its rows wait (none fails), the spent token is not
    sent again, the editors get one notice, and new credentials let every held row out."""
    fake.add_vk_refresh_token(
        "refresh-lost", client_id="51000", device_id="dev-1", user_id=10, admin_of=(VK_GROUP,)
    )
    account = vk_community(refresh_token="refresh-lost", vk_client_id="51000", vk_device_id="dev-1")
    fake.expire_vk_token(account.get_secret("access_token"))
    fake.fail_next("oauth2/auth", "lose_response")
    news = [
        publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
        for _ in range(5)
    ]
    rows = [only_row(item, account) for item in news]

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [delivery.deliver(row.pk) for row in rows]
        assert delivery.drain(until_empty=False, max_seconds=5) == {}  # nothing is due

    assert outcomes[0] == "held"
    assert set(outcomes[1:]) <= {"held", "skipped"}
    assert all(OutboxItem.objects.get(pk=r.pk).state == OutboxState.PENDING for r in rows)
    # the first send and the one retry the contract allows; never again
    sends = [c for c in fake.calls if c[1] == "oauth2/auth"]
    assert len(sends) == 2, sends
    notices = [m for m in mail.outbox if "Нет доступа" in m.subject]
    assert len(notices) == 1
    assert not any("Не удалось отправить" in m.subject for m in mail.outbox)

    # A person logs in again: new credentials, and the held rows go out by themselves.
    from social_sync.admin_forms import store_credentials

    fake.add_vk_token("fresh-token", kind="user", user_id=10, admin_of=(VK_GROUP,))
    account.refresh_from_db()
    store_credentials(account, {"access_token": "fresh-token"})
    account.save()
    assert delivery.drain(until_empty=True, max_seconds=30) == {"done": 5}
    assert len(fake.vk_posts[-VK_GROUP]) == 5
    assert len([c for c in fake.calls if c[1] == "oauth2/auth"]) == 2
    assert fake.violations == []


def test_a_revoked_token_holds_an_account_that_cannot_refresh(
    site_tree, fake, editor, django_capture_on_commit_callbacks
):
    account = vk_community()
    fake.expire_vk_token(account.get_secret("access_token"))
    news = [
        publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
        for _ in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery.deliver(only_row(news[0], account).pk)
        rest = delivery.drain(until_empty=False, max_seconds=5)
    assert first == "held"
    assert rest == {}  # the other rows wait without a request
    # one request met the dead token (error 5); the other rows sent none
    assert len([c for c in fake.calls if c[0] == "vk"]) == 1
    assert len([m for m in mail.outbox if "Нет доступа" in m.subject]) == 1


def test_an_edit_updates_the_vk_post(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    delivery.deliver(only_row(news, account).pk)
    news.title = "Новый заголовок новости"
    publish(news)
    edit = only_row(news, account, OutboxAction.EDIT)
    assert delivery.deliver(edit.pk) == "done"
    [post] = fake.vk_posts[-VK_GROUP]
    assert "Новый заголовок новости" in post["text"]
    assert [a["type"] for a in post["attachments"]].count("photo") == 1


def test_an_edit_waits_for_its_post(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    post = only_row(news, account)
    OutboxItem.objects.filter(pk=post.pk).update(state=OutboxState.DONE, remote_id="1")
    publish(news)
    OutboxItem.objects.filter(pk=post.pk).update(state=OutboxState.SENDING)
    edit = only_row(news, account, OutboxAction.EDIT)
    assert delivery.deliver(edit.pk) == "postponed"
    edit.refresh_from_db()
    assert edit.state == OutboxState.PENDING and edit.attempts == 0


def test_unpublishing_deletes_the_vk_post_and_explains_ok(site_tree, fake):
    vk, ok = vk_community(), ok_group()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    for row in OutboxItem.objects.filter(page=news):
        assert delivery.deliver(row.pk) == "done"
    Page.objects.get(pk=news.pk).specific.unpublish()
    assert delivery.deliver(only_row(news, vk, OutboxAction.DELETE).pk) == "done"
    assert fake.vk_posts.get(-VK_GROUP, []) == []
    ok_delete = only_row(news, ok, OutboxAction.DELETE)
    assert delivery.deliver(ok_delete.pk) == "cancelled"
    ok_delete.refresh_from_db()
    assert "вручную" in ok_delete.last_error


def test_a_deleted_post_is_not_an_error_when_deleting(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    post = only_row(news, account)
    OutboxItem.objects.filter(pk=post.pk).update(state=OutboxState.DONE, remote_id="999999")
    news.unpublish()
    assert delivery.deliver(only_row(news, account, OutboxAction.DELETE).pk) == "done"


def test_an_account_without_credentials_posts_to_the_sandbox(site_tree, fake):
    account = make_account(owner_id="4242", name="Песочница")
    news = publish(news_with_gallery(site_tree.news_index, images=1))
    row = only_row(news, account)
    assert delivery.deliver(row.pk) == "done"
    sandbox = SandboxPost.objects.get()
    assert news.title in sandbox.text and len(sandbox.images) == 2
    row.refresh_from_db()
    assert row.remote_url == f"/admin/social/sandbox/{sandbox.pk}/"
    assert fake.calls == []  # nothing left the machine

    news.title = "Другой заголовок"
    publish(news)
    delivery.deliver(only_row(news, account, OutboxAction.EDIT).pk)
    sandbox.refresh_from_db()
    assert "Другой заголовок" in sandbox.text and sandbox.edited_at


def test_a_claimed_row_is_not_delivered_twice(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    assert delivery.claim(row.pk) is not None
    assert delivery.deliver(row.pk) == "skipped"


def test_rows_of_a_dead_worker_are_taken_back(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    delivery.claim(row.pk)
    import socket

    OutboxItem.objects.filter(pk=row.pk).update(claimed_by=f"{socket.gethostname()}:999999999")
    assert delivery.recover_abandoned() == 1
    assert delivery.deliver(row.pk) == "done"


def test_unreadable_credentials_fail_with_an_explanation(site_tree, fake):
    account = vk_community()
    SocialAccount.objects.filter(pk=account.pk).update(access_token_encrypted="gAAAAA-not-a-token")
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    assert delivery.deliver(only_row(news, account).pk) == "failed"
    assert "SOCIAL_TOKENS_KEYS" in only_row(news, account).last_error


def test_many_items_stay_within_the_rate_limit(site_tree, fake):
    account = vk_community()
    for _ in range(8):
        publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False, main_image=None))
    outcomes = delivery.drain(max_seconds=60)
    assert outcomes == {"done": 8}
    assert len(fake.vk_posts[-VK_GROUP]) == 8
    assert fake.violations == []
    assert account.outbox.filter(state=OutboxState.DONE).count() == 8


def test_flood_control_says_when_the_next_attempt_is(site_tree, fake):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next("wall.post", 9)
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    from newsroom.organisation import local_datetime

    assert "защиту от флуда" in row.last_error
    assert f"Следующая попытка — {local_datetime(row.next_attempt_at)}." in row.last_error
    wait = row.next_attempt_at - timezone.now()
    assert timedelta(minutes=14) < wait <= timedelta(minutes=15, seconds=5)


def test_two_accounts_of_one_person_refresh_together_and_neither_kills_the_other(site_tree, fake):
    """A community and the Head's page run by one administrator share one VK ID session: the
    refresh that one of them makes spends the refresh token for both, so both get the new pair."""
    fake.add_vk_token("shared-access", kind="user", user_id=VK_HEAD_USER, admin_of=(VK_GROUP,))
    fake.add_vk_refresh_token(
        "shared-refresh",
        client_id="51000",
        device_id="dev-shared",
        user_id=VK_HEAD_USER,
        admin_of=(VK_GROUP,),
        access_token="shared-access",
    )
    session = {
        "refresh_token": "shared-refresh",
        "vk_client_id": "51000",
        "vk_device_id": "dev-shared",
    }
    community = make_account(
        network="vk", owner_id=str(VK_GROUP), name="Группа", token="shared-access", **session
    )
    head = make_account(
        network="vk",
        kind="person",
        owner_id=str(VK_HEAD_USER),
        name="Глава",
        token="shared-access",
        **session,
    )
    fake.expire_vk_token("shared-access")
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))

    assert delivery.deliver(only_row(news, community).pk) == "done"
    assert delivery.deliver(only_row(news, head).pk) == "done"

    community.refresh_from_db()
    head.refresh_from_db()
    assert community.get_secret("access_token") == head.get_secret("access_token")
    assert community.get_secret("refresh_token") == head.get_secret("refresh_token")
    assert not community.credentials_problem and not head.credentials_problem
    assert len(refresh_calls(fake, "shared-refresh")) == 1  # spent once, by one of them
    assert len(fake.vk_posts[-VK_GROUP]) == 1 and len(fake.vk_posts[VK_HEAD_USER]) == 1


def _break_rendition(image):
    """The file the network receives is no image any more (as a corrupt upload would be)."""
    from django.conf import settings as django_settings

    rendition = image.get_rendition(django_settings.SOCIAL_IMAGE_FILTER)
    with rendition.file.open("wb") as handle:
        handle.write(b"this is not an image at all")


@pytest.mark.parametrize("network", ["vk", "ok"])
def test_an_image_the_network_refuses_is_left_out_and_the_editor_told(
    site_tree, fake, editor, network, django_capture_on_commit_callbacks
):
    account = vk_community() if network == "vk" else ok_group()
    broken = factories.ImageFactory(title="Схема перекрытия улицы")
    good = factories.ImageFactory(title="Фото ремонта")
    _break_rendition(broken)
    gallery = {"title": "", "images": [{"image": good, "caption": "Ремонт"}]}
    news = publish(
        factories.NewsPageFactory(
            parent=site_tree.news_index,
            live=False,
            main_image=broken,
            body=[("paragraph", "<p>Ремонт идёт.</p>"), ("gallery", gallery)],
        )
    )
    row = only_row(news, account)

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver(row.pk) == "done"

    row.refresh_from_db()
    assert "«Схема перекрытия улицы»" in row.last_error and "Фото ремонта" not in row.last_error
    if network == "vk":
        [post] = fake.vk_posts[-VK_GROUP]
        assert [a["type"] for a in post["attachments"]].count("photo") == 1
    else:
        [topic] = (
            fake.ok_topics[f"group:{OK_DEFAULT_GID}"]
            if f"group:{OK_DEFAULT_GID}" in fake.ok_topics
            else list(fake.ok_topics.values())[0]
        )
        photos = [b for b in topic["media"] if b["type"] == "photo"]
        assert len(photos) == 1 and len(photos[0]["list"]) == 1
    [message] = [m for m in mail.outbox if "без изображения" in m.subject]
    assert "Схема перекрытия улицы" in message.body


@pytest.mark.parametrize(
    "step", ["photos.getWallUploadServer", "vk_upload", "photos.saveWallPhoto"]
)
def test_a_transient_failure_of_one_upload_step_is_retried_within_the_delivery(
    site_tree, fake, step
):
    account = vk_community()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = only_row(news, account)
    fake.fail_next(step, "http500")

    assert delivery.deliver(row.pk) == "done"  # not back to the queue for 30 s and more

    row.refresh_from_db()
    assert row.attempts == 1 and row.last_error == ""
    [post] = fake.vk_posts[-VK_GROUP]
    assert [a["type"] for a in post["attachments"]].count("photo") == 1


def test_a_dead_shared_session_holds_both_accounts_with_one_notice(
    site_tree, fake, editor, django_capture_on_commit_callbacks
):
    session = {"refresh_token": "never-issued", "vk_client_id": "51000", "vk_device_id": "dev-x"}
    community = vk_community(**session)
    head = make_account(
        network="vk",
        kind="person",
        owner_id=str(VK_HEAD_USER),
        name="Глава",
        token="vk-head-user-token",
        **session,
    )
    fake.expire_vk_token(community.get_secret("access_token"))
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver(only_row(news, community).pk) == "held"

    community.refresh_from_db()
    head.refresh_from_db()
    assert community.credentials_problem and head.credentials_problem
    [notice] = [m for m in mail.outbox if "Нет доступа" in m.subject]
    assert "«Группа ВК»" in notice.subject and "«Глава»" in notice.subject
    assert only_row(news, head).state == OutboxState.PENDING  # waits with its account
