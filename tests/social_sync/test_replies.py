"""Approved answers placed as replies on VK: exactly once, through lost answers and VK's guid
window, from the community itself, and the case records «ответ размещён» with the link."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.answers import start_answer
from newsroom.models import Answer, Case
from social_sync.clients.vk import reply_target
from social_sync.models import OutboxAction, OutboxItem, OutboxState
from social_sync.services import delivery
from tests.factories import UserFactory
from tests.social_sync.helpers import VK_GROUP, make_account, vk_community

pytestmark = pytest.mark.django_db

ANSWER = "Воду дали 23 ноября в 15:00, аварию на водопроводе устранили."


@pytest.fixture
def people(site_tree):
    return {
        "curator": UserFactory(username="r-curator", groups=["Кураторы"]),
        "editor": UserFactory(username="r-editor", groups=["Редакторы"]),
        "executor": UserFactory(username="r-executor", groups=["Исполнители"]),
    }


def act(answer, user, action):
    answer = Answer.objects.get(pk=answer.pk)
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, action)


def approve_answer_to(url, people, network="vk"):
    """A message at ``url``, routed, drafted and approved by the press office and the curator."""
    case, _ = cases.register_case(
        {
            "network": network,
            "url": url,
            "text": "Третий день нет воды",
            "detected_at": timezone.now(),
        },
        source="test",
    )
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    answer = start_answer(case.pk, people["executor"])
    answer.text = ANSWER
    answer.save_revision(user=people["executor"])
    Answer.get_default_workflow().start(answer, people["executor"])
    act(answer, people["editor"], "approve")
    act(answer, people["curator"], "approve")
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def citizen_comment(fake):
    post = fake.seed_vk_post(-VK_GROUP, "Новость о ремонте водопровода")
    comment_id = fake.seed_vk_comment(-VK_GROUP, post["id"], "Третий день нет воды!", from_id=555)
    return post["id"], comment_id


def reply_row(case):
    return OutboxItem.objects.get(case=case, action=OutboxAction.REPLY)


def our_comments(fake, post_id):
    return [
        c
        for c in fake.vk_comments.get(-VK_GROUP, [])
        if c["post_id"] == post_id and c["from_id"] == -VK_GROUP
    ]


def test_the_approved_answer_is_placed_under_the_citizens_comment(fake, people, citizen_comment):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    row = reply_row(case)  # written in the approval's transaction
    assert row.reply_target == {
        "owner_id": -VK_GROUP,
        "post_id": post_id,
        "comment_id": comment_id,
        "url": case.url,
    }

    assert delivery.deliver(row.pk) == "done"

    [reply] = our_comments(fake, post_id)
    assert reply["text"] == ANSWER
    assert reply["parents_stack"] == [comment_id]  # in the citizen's thread
    case.refresh_from_db()
    assert case.status == "answered"
    assert case.answer_url == f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={reply['id']}"
    assert case.answered_at is not None and case.answered_at <= timezone.now()
    event = case.events.get(action="post_answer")
    assert event.actor is None and event.data["placed_by"] == "network"
    assert fake.violations == []


def test_a_lost_answer_is_retried_with_the_same_guid_and_placed_once(fake, people, citizen_comment):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    fake.fail_next("wall.createComment", "lose_response")
    assert delivery.deliver(reply_row(case).pk) == "done"
    sent = [c for c in fake.calls if c[1] == "wall.createComment"]
    assert len(sent) == 2  # the lost one and its retry, with the same guid
    assert len(our_comments(fake, post_id)) == 1


def test_past_vks_guid_window_the_thread_is_read_back_before_placing(fake, people, citizen_comment):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    # An attempt two hours ago placed the reply and its answer never came back (the worker was
    # killed); VK no longer knows the guid, so a blind resend would place it twice.
    fake.seed_vk_comment(-VK_GROUP, post_id, ANSWER, from_id=-VK_GROUP, reply_to_comment=comment_id)
    row = reply_row(case)
    OutboxItem.objects.filter(pk=row.pk).update(
        write_started_at=timezone.now() - timedelta(hours=2)
    )
    assert delivery.deliver(row.pk) == "done"
    assert len(our_comments(fake, post_id)) == 1
    assert [c for c in fake.calls if c[1] == "wall.createComment"] == []
    assert [c for c in fake.calls if c[1] == "wall.getComments"] != []
    assert Case.objects.get(pk=case.pk).status == "answered"


def test_a_refused_reply_fails_with_an_explanation_and_leaves_the_manual_path(
    fake, people, citizen_comment, django_capture_on_commit_callbacks
):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    fake.fail_next("wall.createComment", 15)  # e.g. comments closed, or we were banned
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver(reply_row(case).pk) == "failed"
    row = reply_row(case)
    assert row.state == OutboxState.FAILED and "ошибка 15" in row.last_error
    assert any("Ответ на сообщение" in m.subject for m in mail.outbox)
    case.refresh_from_db()
    assert case.status == "approved"  # «Ответ размещён» by hand stays available
    cases.apply(
        case.pk, "post_answer", people["executor"], answer_url="https://vk.com/wall-1_1?reply=9"
    )
    assert Case.objects.get(pk=case.pk).status == "answered"


@pytest.mark.parametrize(
    "url, network",
    [
        ("https://vk.com/wall-99999_5?reply=6", "vk"),  # a wall that is not ours
        ("https://ok.ru/group/1/topic/2", "ok"),  # OK: placed by hand for now
        ("", "site"),
    ],
)
def test_messages_where_we_cannot_reply_keep_the_manual_path(fake, people, url, network):
    vk_community()
    make_account(owner_id="77", name="Чужой")  # a sandbox VK community, another wall
    case = approve_answer_to(url, people, network=network)
    assert not OutboxItem.objects.filter(case=case).exists()
    assert case.status == "approved"


def test_reply_targets_from_links():
    assert reply_target("https://vk.com/wall-1_2") == {"owner_id": -1, "post_id": 2}
    assert reply_target("https://vk.com/wall-1_2?reply=3&thread=2") == {
        "owner_id": -1,
        "post_id": 2,
        "comment_id": 3,
    }
    assert reply_target("https://vk.com/wall10_2_r7") == {
        "owner_id": 10,
        "post_id": 2,
        "comment_id": 7,
    }
    assert reply_target("https://vk.com/club1?w=wall-1_2") == {"owner_id": -1, "post_id": 2}
    assert reply_target("https://example.ru/") is None


# Одноклассники: the group's official comment; no idempotency key, so a lost answer is always
# looked for under the topic before the comment is sent again.


@pytest.fixture
def ok_citizen_comment(fake):
    from tests.social_sync.helpers import OK_DEFAULT_GID

    topic_id = fake.seed_ok_topic(OK_DEFAULT_GID, [{"type": "text", "text": "Ремонт водопровода"}])
    comment_id = fake.seed_ok_comment(topic_id, "Третий день нет воды!", author_id=777)
    url = f"https://ok.ru/group/{OK_DEFAULT_GID}/topic/{topic_id}?commentId={comment_id}"
    return topic_id, comment_id, url


def ok_official_comments(fake, topic_id):
    return [c for c in fake.ok_comments.get(str(topic_id), []) if c["as_admin"]]


def test_the_approved_answer_is_placed_as_the_ok_groups_comment(fake, people, ok_citizen_comment):
    from tests.social_sync.helpers import ok_group

    ok_group()
    topic_id, comment_id, url = ok_citizen_comment
    case = approve_answer_to(url, people, network="ok")
    assert delivery.deliver(reply_row(case).pk) == "done"
    [reply] = ok_official_comments(fake, topic_id)
    assert reply["text"] == ANSWER and reply["reply_to_comment_id"] == comment_id
    case.refresh_from_db()
    assert case.status == "answered"
    assert case.answer_url.endswith(f"/topic/{topic_id}?commentId={reply['id']}")
    assert fake.violations == []


def test_a_lost_ok_answer_is_found_under_the_topic_not_sent_twice(fake, people, ok_citizen_comment):
    from tests.social_sync.helpers import ok_group

    ok_group()
    topic_id, comment_id, url = ok_citizen_comment
    case = approve_answer_to(url, people, network="ok")
    fake.fail_next("discussions.addDiscussionComment", "lose_response")
    row = reply_row(case)
    # Ambiguous: not resent blind; the topic's comments are read back at once.
    assert delivery.deliver(row.pk) == "done"
    assert len(ok_official_comments(fake, topic_id)) == 1
    sent = [c for c in fake.calls if c[1] == "discussions.addDiscussionComment"]
    assert len(sent) == 1
    assert Case.objects.get(pk=case.pk).status == "answered"


def test_our_ok_answers_never_reach_the_comment_inbox(fake, people, ok_citizen_comment):
    """Nothing in an OK comment marks the group's official answer: ours are known by the ids
    their rows got back — also one read by a pull before its row learnt the id."""
    from social_sync.models import Comment, CommentStatus
    from social_sync.services import comments
    from tests.social_sync.helpers import ok_group

    account = ok_group()
    topic_id, _comment_id, url = ok_citizen_comment
    case = approve_answer_to(url, people, network="ok")
    fake.fail_next("discussions.addDiscussionComment", "lose_response")
    # The read-back fails too (every in-process try): the row waits for its next attempt.
    fake.fail_next("discussions.getComments", "http500", times=settings.SOCIAL_CLIENT_RETRIES + 1)
    row = reply_row(case)
    assert delivery.deliver(row.pk) == "retry"
    comments.pull_account(account)  # reads our answer while its row does not know it yet
    OutboxItem.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(row.pk) == "done"
    (ours,) = ok_official_comments(fake, topic_id)
    stored = Comment.objects.get(remote_id=ours["id"])
    assert stored.is_ours and stored.status == CommentStatus.DONE
    # An answer to another citizen, read only after its row is done.
    other = fake.seed_ok_comment(topic_id, "А на Садовой тоже нет воды", author_id=778)
    second = approve_answer_to(url.replace(_comment_id, other), people, network="ok")
    assert delivery.deliver(reply_row(second).pk) == "done"
    comments.pull_account(account)
    citizens = Comment.objects.filter(is_ours=False).order_by("published_at", "pk")
    assert list(citizens.values_list("author_id", flat=True)) == ["777", "778"]
    assert Comment.objects.filter(is_ours=True, status=CommentStatus.DONE).count() == 2


def test_the_case_page_says_the_system_is_placing_the_answer_then_that_it_did(
    client, fake, people, citizen_comment
):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    client.force_login(people["executor"])
    page = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert (
        "Ответ размещается системой в «Группа ВК» (ВКонтакте) — вручную размещать не нужно." in page
    )
    delivery.deliver(reply_row(case).pk)
    page = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert "Ответ размещён системой в «Группа ВК» (ВКонтакте)." in page
    assert reply_row(case).remote_url in page


def test_an_answer_placed_by_hand_is_not_placed_again(fake, people, citizen_comment):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    cases.apply(
        case.pk, "post_answer", people["executor"], answer_url="https://vk.com/wall-1_1?reply=9"
    )
    row = reply_row(case)
    assert row.state == OutboxState.CANCELLED and row.last_error == "Ответ размещён вручную."
    assert delivery.deliver(row.pk) == "skipped"
    assert our_comments(fake, post_id) == []


def test_a_reply_that_may_be_on_the_network_is_not_cancelled_by_hand(fake, people, citizen_comment):
    vk_community()
    post_id, comment_id = citizen_comment
    case = approve_answer_to(f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}", people)
    OutboxItem.objects.filter(pk=reply_row(case).pk).update(write_started_at=timezone.now())
    cases.apply(
        case.pk, "post_answer", people["executor"], answer_url="https://vk.com/wall-1_1?reply=9"
    )
    assert (
        reply_row(case).state == OutboxState.PENDING
    )  # it may be on the network already: it finishes (its guid keeps it single)


FOREIGN_WALL = -777  # a neighbouring community: none of our accounts runs it


@pytest.fixture
def foreign_comment(fake):
    fake.seed_vk_post(FOREIGN_WALL, "Пост соседнего сообщества", from_id=FOREIGN_WALL)
    post = fake.vk_posts[FOREIGN_WALL][0]["id"]
    comment_id = fake.seed_vk_comment(FOREIGN_WALL, post, "А в нашем районе воды нет!", from_id=556)
    return f"https://vk.com/wall{FOREIGN_WALL}_{post}?reply={comment_id}", post, comment_id


def test_the_curator_picks_the_heads_page_for_a_message_on_a_foreign_page(
    client, fake, people, foreign_comment, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.social_sync.helpers import VK_HEAD_USER, vk_head_page

    url, post, comment_id = foreign_comment
    head = vk_head_page()
    case = approve_answer_to(url, people)
    assert not OutboxItem.objects.filter(case=case).exists()  # nobody chosen: by hand

    client.force_login(people["curator"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-action="reply_account"' in page and "Глава ВК" in page
    with django_capture_on_commit_callbacks(execute=True):  # the worker, synchronous in tests
        response = client.post(
            reverse("social_sync:case_reply_account", args=[case.pk]), {"account": head.pk}
        )

    assert response.status_code == 302
    row = reply_row(case)
    assert row.account == head and row.state == OutboxState.DONE
    [reply] = [c for c in fake.vk_comments[FOREIGN_WALL] if c["from_id"] == VK_HEAD_USER]
    assert reply["text"] == ANSWER and reply["reply_to_comment"] == comment_id
    case.refresh_from_db()
    assert case.status == "answered" and case.answer_url.endswith(f"?reply={reply['id']}")
    assert case.events.filter(action="reply_account", actor=people["curator"]).exists()


def test_a_pick_made_before_the_approval_is_used_by_it(
    client, fake, people, foreign_comment, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    url, _post, _comment = foreign_comment
    account = vk_community()
    case, _ = cases.register_case(
        {"network": "vk", "url": url, "text": "Нет воды", "detected_at": timezone.now()},
        source="test",
    )
    client.force_login(people["curator"])
    client.post(reverse("social_sync:case_reply_account", args=[case.pk]), {"account": account.pk})
    assert not OutboxItem.objects.filter(case=case).exists()  # nothing approved yet

    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    answer = start_answer(case.pk, people["executor"])
    answer.text = ANSWER
    answer.save_revision(user=people["executor"])
    Answer.get_default_workflow().start(answer, people["executor"])
    act(answer, people["editor"], "approve")
    with django_capture_on_commit_callbacks(execute=True):
        act(answer, people["curator"], "approve")

    row = reply_row(case)
    assert row.account == account
    [ours] = [c for c in fake.vk_comments[FOREIGN_WALL] if c["from_id"] == -VK_GROUP]
    assert ours["text"] == ANSWER


def test_only_curators_pick_and_only_for_foreign_pages(
    client, fake, people, foreign_comment, citizen_comment
):
    from django.urls import reverse

    from tests.social_sync.helpers import vk_head_page

    head = vk_head_page()
    url, _post, _comment = foreign_comment
    case, _ = cases.register_case(
        {"network": "vk", "url": url, "text": "Нет воды", "detected_at": timezone.now()},
        source="test",
    )
    client.force_login(people["editor"])
    target = reverse("social_sync:case_reply_account", args=[case.pk])
    assert client.post(target, {"account": head.pk}).status_code == 403
    assert (
        'data-action="reply_account"'
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )

    vk_community()
    own_post, own_comment = citizen_comment
    ours, _ = cases.register_case(
        {
            "network": "vk",
            "url": f"https://vk.com/wall-{VK_GROUP}_{own_post}?reply={own_comment}",
            "text": "Нет воды",
            "detected_at": timezone.now(),
        },
        source="test",
    )
    client.force_login(people["curator"])
    page = client.get(reverse("cases:detail", args=[ours.pk])).content.decode()
    assert 'data-action="reply_account"' not in page  # our own wall: our account answers


def test_the_answers_photos_go_with_the_reply_on_vk(
    fake, people, citizen_comment, django_capture_on_commit_callbacks
):
    from newsroom.casework.models.answers import AnswerAttachment
    from tests.factories import ImageFactory

    post_id, comment_id = citizen_comment
    vk_community()
    case, _ = cases.register_case(
        {
            "network": "vk",
            "url": f"https://vk.com/wall-{VK_GROUP}_{post_id}?reply={comment_id}",
            "text": "Третий день нет воды",
            "detected_at": timezone.now(),
        },
        source="test",
    )
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    answer = start_answer(case.pk, people["executor"])
    answer.text = ANSWER
    answer.attachments.add(AnswerAttachment(image=ImageFactory(title="Труба заменена")))
    answer.save()
    answer.save_revision(user=people["executor"])
    Answer.get_default_workflow().start(answer, people["executor"])
    act(answer, people["editor"], "approve")
    with django_capture_on_commit_callbacks(execute=True):
        act(answer, people["curator"], "approve")

    [ours] = our_comments(fake, post_id)
    assert ours["text"] == ANSWER
    assert [a["type"] for a in ours["attachments"]] == ["photo"]
    assert reply_row(Case.objects.get(pk=case.pk)).state == OutboxState.DONE
