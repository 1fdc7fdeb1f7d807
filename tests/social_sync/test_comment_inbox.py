"""«Комментарии» in the admin: who may open it, its filters, the comment's page with the thread
and the log, the actions posted from it, and a constant number of queries."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from social_sync.models import Comment, CommentStatus, ModerationEvent
from tests.factories import UserFactory
from tests.social_sync.factories import (
    CommentFactory,
    SocialAccountFactory,
    WatchedPostFactory,
)

pytestmark = pytest.mark.django_db

INBOX = reverse("social_sync:comments")


@pytest.fixture
def editor(site_tree):
    return UserFactory(username="i-editor", groups=["Редакторы"])


@pytest.fixture
def post():
    return WatchedPostFactory(account=SocialAccountFactory(name="Группа района"))


def listed(response):
    return [c.pk for c in response.context["object_list"]]


@pytest.mark.parametrize(
    ("group", "status"),
    [("Редакторы", 200), ("Заведующий отделом", 200), ("Кураторы", 403), ("Исполнители", 403)],
)
def test_only_moderators_open_the_inbox(client, site_tree, post, group, status):
    comment = CommentFactory(post=post)
    client.force_login(UserFactory(username=f"u-{status}-{len(group)}", groups=[group]))
    assert client.get(INBOX).status_code == status
    assert client.get(reverse("social_sync:comment", args=[comment.pk])).status_code == status
    response = client.post(
        reverse("social_sync:comment_action", args=[comment.pk, "status"]), {"status": "done"}
    )
    assert response.status_code == (302 if status == 200 else 403)


def test_filters_by_status_account_flag_author_and_post(client, editor, post):
    other = WatchedPostFactory(account=SocialAccountFactory(name="Глава"))
    plain = CommentFactory(post=post, author_name="Иван Петров", author_id="101")
    spam = CommentFactory(post=post, is_flagged=True, flag_rules=",spam,", author_id="102")
    done = CommentFactory(post=other, status=CommentStatus.DONE, author_id="103")
    CommentFactory(post=post, is_ours=True, author_id="-1")  # our own reply: never listed
    client.force_login(editor)

    assert set(listed(client.get(INBOX))) == {plain.pk, spam.pk}  # the queue: new ones
    assert set(listed(client.get(INBOX, {"status": ""}))) == {plain.pk, spam.pk, done.pk}
    assert listed(client.get(INBOX, {"status": "done"})) == [done.pk]
    assert set(listed(client.get(INBOX, {"account": post.account.pk}))) == {plain.pk, spam.pk}
    assert listed(client.get(INBOX, {"flag": "spam"})) == [spam.pk]
    assert listed(client.get(INBOX, {"flag": "insult"})) == []
    assert listed(client.get(INBOX, {"flag": "any"})) == [spam.pk]
    assert listed(client.get(INBOX, {"author": "петров"})) == [plain.pk]
    assert listed(client.get(INBOX, {"author": "103", "status": ""})) == [done.pk]
    assert listed(client.get(INBOX, {"author": "103"})) == []
    assert listed(client.get(INBOX, {"post": other.pk, "status": ""})) == [done.pk]


def test_the_comment_page_shows_the_thread_as_on_the_network(client, editor, post):
    root = CommentFactory(post=post, text="Когда починят фонарь?")
    reply = CommentFactory(post=post, thread_root_id=root.remote_id, text="У нас тоже темно")
    ours = CommentFactory(
        post=post, thread_root_id=root.remote_id, is_ours=True, text="Починим в пятницу."
    )
    CommentFactory(post=post, text="Другая ветка")
    client.force_login(editor)

    response = client.get(reverse("social_sync:comment", args=[reply.pk]))

    assert [c.pk for c in response.context["thread"]] == [root.pk, reply.pk, ours.pk]
    body = response.content.decode()
    assert "Ответ нашего аккаунта" in body and "Другая ветка" not in body
    assert "Взять в работу как сообщение" in body
    assert f"?post={post.pk}&amp;status=" in body  # every comment under the same post


def test_an_action_without_a_reason_is_refused_in_russian(client, editor, post):
    comment = CommentFactory(post=post)
    client.force_login(editor)

    response = client.post(
        reverse("social_sync:comment_action", args=[comment.pk, "hide"]),
        {"reason": ""},
        follow=True,
    )

    assert "Укажите причину" in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_taking_a_sandbox_comment_into_work_opens_its_case(client, editor, post):
    comment = CommentFactory(post=post, text="Во дворе дома 3 прорвало трубу")
    client.force_login(editor)

    response = client.post(reverse("social_sync:comment_action", args=[comment.pk, "case"]))

    comment.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[comment.case_id])
    assert comment.case.text == "Во дворе дома 3 прорвало трубу"


def test_the_inbox_makes_the_same_number_of_queries_for_5_and_40_comments(client, editor, post):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(queries)

    client.force_login(editor)
    for _ in range(5):
        CommentFactory(
            post=post,
            is_flagged=True,
            flag_rules=",insult,",
            flags=[{"rule": "insult", "evidence": "дурак"}],
        )
    few = count()
    for _ in range(35):
        CommentFactory(post=WatchedPostFactory(account=SocialAccountFactory()))
    assert count() == few


def test_the_dashboard_counts_new_and_flagged_comments_per_account(client, editor, post):
    CommentFactory.create_batch(3, post=post)
    CommentFactory(post=post, is_flagged=True, flag_rules=",spam,")
    CommentFactory(post=post, status=CommentStatus.DONE)
    client.force_login(editor)

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Новых комментариев: 4." in body and "Отмечено правилами: 1." in body
    assert Comment.objects.count() == 5


def test_the_answer_editor_shows_the_post_and_the_thread_of_the_comment(client, editor, post):
    from newsroom.casework.services import cases
    from newsroom.casework.services.answers import start_answer
    from social_sync.inbox import thread_of_case
    from social_sync.services import moderation

    curator = UserFactory(username="i-curator", groups=["Кураторы"])
    executor = UserFactory(username="i-executor", groups=["Исполнители"])
    root = CommentFactory(post=post, text="Во дворе дома 9 третий день нет света")
    CommentFactory(post=post, thread_root_id=root.remote_id, text="У нас в доме 11 тоже")
    CommentFactory(post=post, text="Другая ветка про парковку")
    case = moderation.to_case(root, editor)
    cases.apply(case.pk, "route", curator, executor=executor)
    answer = start_answer(case.pk, executor)

    client.force_login(executor)
    body = client.get(
        reverse("wagtailsnippets_newsroom_answer:edit", args=[answer.pk])
    ).content.decode()

    assert "data-case-thread" in body
    assert post.text in body and "У нас в доме 11 тоже" in body
    assert "Другая ветка про парковку" not in body

    # A case registered from the comment's link (not from the inbox) finds it the same way.
    other, _ = cases.register_case(
        {"network": "vk", "url": root.url, "text": root.text, "detected_at": root.published_at},
        source="test",
    )
    assert [c.pk for c in thread_of_case(other)["thread"]][0] == root.pk


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("reply", {"text": "Ответ\x00с нулём"}, "нулевой символ (NUL): уберите его"),
        ("reply", {"text": "х" * 4001}, "не более 4000 символов"),
        ("hide", {"reason": "спам\u202e"}, "меняющий направление текста"),
        ("ban", {"reason": "spam", "period": "10", "note": ""}, "Выберите корректный вариант"),
    ],
)
def test_bad_input_is_refused_in_russian_and_changes_nothing(
    client, editor, post, action, data, message
):
    comment = CommentFactory(post=post)
    client.force_login(editor)

    response = client.post(
        reverse("social_sync:comment_action", args=[comment.pk, action]), data, follow=True
    )

    assert message in response.content.decode()
    assert not ModerationEvent.objects.exists()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.NEW and not comment.replies.exists()
