"""A moderator's actions on the fake networks: delete and restore (also what a rule hid), ban and
lift a ban, reply through the outbox, take a comment into work as a case; each logged with the
comment's text kept as evidence."""

import datetime as dt

from django.utils import timezone

import pytest

from newsroom.models import Case
from social_sync.models import (
    AuthorBan,
    Comment,
    CommentStatus,
    ModerationEvent,
    OutboxItem,
    OutboxState,
    RemoteState,
)
from social_sync.services import comments, delivery, moderation
from social_sync.services.moderation import ModerationError
from tests.factories import UserFactory
from tests.fakes.social_server import OK_DEFAULT_GID
from tests.social_sync.helpers import VK_GROUP, ok_group, vk_community

pytestmark = pytest.mark.django_db

WALL = -VK_GROUP


@pytest.fixture
def editor(site_tree):
    return UserFactory(username="m-editor", groups=["Редакторы"])


@pytest.fixture
def vk_comment(fake):
    account = vk_community(rule_obscenity="hide")
    post = fake.seed_vk_post(WALL, "Новость о ремонте")["id"]
    fake.seed_vk_comment(WALL, post, "Когда уберут мусор у дома 7?", from_id=501)
    comments.pull_account(account)
    return Comment.objects.get(author_id="501")


def test_delete_keeps_the_text_as_evidence_and_restore_brings_it_back(fake, editor, vk_comment):
    moderation.hide(vk_comment, editor, "Персональные данные в тексте")

    assert fake.vk_comments.get(WALL, []) == []
    vk_comment.refresh_from_db()
    assert vk_comment.remote_state == RemoteState.HIDDEN

    moderation.restore(vk_comment, editor, "Данные проверены, можно вернуть")

    assert [c["text"] for c in fake.vk_comments[WALL]] == ["Когда уберут мусор у дома 7?"]
    events = list(ModerationEvent.objects.filter(comment=vk_comment).order_by("pk"))
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("hidden", editor, "Персональные данные в тексте"),
        ("restored", editor, "Данные проверены, можно вернуть"),
    ]
    assert all(e.comment_text == "Когда уберут мусор у дома 7?" for e in events)


def test_a_person_restores_what_a_rule_hid(fake, editor):
    account = vk_community(rule_obscenity="hide")
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    fake.seed_vk_comment(WALL, post, "Бляха-муха, опять лужа у подъезда", from_id=777)
    comments.pull_account(account)
    comment = Comment.objects.get(author_id="777")
    assert comment.hidden_by_rule and fake.vk_comments.get(WALL, []) == []

    moderation.restore(comment, editor, "Не брань, обычное выражение")

    comment.refresh_from_db()
    assert comment.remote_state == RemoteState.VISIBLE and not comment.hidden_by_rule
    assert [c["from_id"] for c in fake.vk_comments[WALL]] == [777]


def test_restore_after_the_network_forgot_says_so(fake, editor, vk_comment):
    moderation.hide(vk_comment, editor, "Спам")
    fake.advance_time(2 * 86400)

    with pytest.raises(ModerationError, match="больше не может восстановить"):
        moderation.restore(vk_comment, editor, "Ошибка")
    vk_comment.refresh_from_db()
    assert vk_comment.remote_state == RemoteState.HIDDEN


def test_ban_and_unban_on_vk(fake, editor, vk_comment):
    record = moderation.ban(vk_comment, editor, reason="insult", days=30, note="Оскорбления")

    [ban] = fake.vk_bans
    assert ban["group_id"] == VK_GROUP and ban["owner_id"] == 501 and ban["reason"] == 2
    assert ban["end_date"] == pytest.approx(
        (timezone.now() + dt.timedelta(days=30)).timestamp(), abs=5
    )
    with pytest.raises(Exception, match="blacklist"):
        fake.seed_vk_comment(WALL, int(vk_comment.post_remote_id), "Снова я", from_id=501)
    with pytest.raises(ModerationError, match="уже заблокирован"):
        moderation.ban(vk_comment, editor, reason="spam", days=None, note="")

    moderation.unban(record, editor, vk_comment)

    assert fake.vk_bans == []
    record.refresh_from_db()
    assert record.lifted_by == editor
    fake.seed_vk_comment(WALL, int(vk_comment.post_remote_id), "Снова я", from_id=501)
    actions = list(
        ModerationEvent.objects.filter(comment=vk_comment)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["banned", "unbanned"]


def test_ok_bans_by_deleting_with_block_author_and_cannot_lift_through_the_api(fake, editor):
    account = ok_group()
    topic = fake.seed_ok_topic(OK_DEFAULT_GID, [{"type": "text", "text": "Новость"}])
    fake.seed_ok_comment(topic, "Реклама: займы без отказа", author_id=901)
    comments.pull_account(account)
    comment = Comment.objects.get(author_id="901")

    with pytest.raises(ModerationError, match="только бессрочно"):
        moderation.ban(comment, editor, reason="spam", days=7, note="")
    record = moderation.ban(comment, editor, reason="spam", days=None, note="")

    assert fake.ok_bans == [
        {"gid": str(OK_DEFAULT_GID), "user_id": "901", "by": fake.ok_bans[0]["by"]}
    ]
    assert [c["author_id"] for c in fake.ok_deleted_comments] == ["901"]
    with pytest.raises(ModerationError, match="вручную"):
        moderation.unban(record, editor, comment)
    moderation.unban(record, editor, comment, lifted_by_hand=True)
    assert AuthorBan.objects.get().lifted_at is not None


def test_a_refusal_of_the_network_is_explained_and_logged(fake, editor, vk_comment):
    fake.fail_next("wall.deleteComment", 211)

    with pytest.raises(ModerationError, match="администратором сообщества"):
        moderation.hide(vk_comment, editor, "Спам")

    vk_comment.refresh_from_db()
    assert vk_comment.remote_state == RemoteState.VISIBLE
    assert ModerationEvent.objects.get(comment=vk_comment).action == "failed"


def test_a_quick_reply_goes_through_the_outbox_under_the_comment(fake, editor, vk_comment):
    row = moderation.reply(vk_comment, editor, "Мусор вывезут завтра до 12:00.")
    delivery.deliver(row.pk)

    row.refresh_from_db()
    assert row.state == OutboxState.DONE
    [ours] = [c for c in fake.vk_comments[WALL] if c["from_id"] == WALL]
    assert ours["text"] == "Мусор вывезут завтра до 12:00."
    assert ours["reply_to_comment"] == int(vk_comment.remote_id)
    vk_comment.refresh_from_db()
    assert vk_comment.status == CommentStatus.DONE

    # Taken in at the next pull as our own reply, not as a citizen's comment.
    comments.pull_account(vk_comment.account)
    assert Comment.objects.get(remote_id=str(ours["id"])).is_ours


def test_reply_without_text_is_refused(editor, vk_comment):
    with pytest.raises(ModerationError, match="текст ответа"):
        moderation.reply(vk_comment, editor, "   ")
    assert OutboxItem.objects.count() == 0


def test_a_comment_taken_into_work_becomes_a_case_with_the_comments_time(editor, vk_comment):
    Comment.objects.filter(pk=vk_comment.pk).update(
        published_at=timezone.now() - dt.timedelta(hours=3)
    )
    vk_comment.refresh_from_db()

    case = moderation.to_case(vk_comment, editor)

    assert case.detected_at == vk_comment.published_at
    assert case.url == vk_comment.url and case.author_id == "501"
    assert case.network == "vk" and case.text == vk_comment.text
    vk_comment.refresh_from_db()
    assert vk_comment.case == case and vk_comment.status == CommentStatus.IN_WORK
    with pytest.raises(ModerationError, match="уже взят в работу"):
        moderation.to_case(vk_comment, editor)
    assert Case.objects.count() == 1


def test_a_repeat_of_a_comment_already_in_work_is_linked(fake, editor, vk_comment):
    first = moderation.to_case(vk_comment, editor)
    fake.seed_vk_comment(
        WALL, int(vk_comment.post_remote_id), "Когда уберут мусор у дома 7?!", from_id=501
    )
    comments.pull_account(vk_comment.account)
    again = Comment.objects.exclude(pk=vk_comment.pk).get(author_id="501")

    second = moderation.to_case(again, editor)

    assert second.repeated_of == first


def test_a_comment_taken_into_work_is_done_when_its_case_is_closed(editor, vk_comment):
    from newsroom import roles
    from newsroom.casework.services import cases

    case = moderation.to_case(vk_comment, editor)
    curator = UserFactory(username="m-curator", groups=[roles.CURATORS])
    cases.apply(case.pk, "propose_no_answer", curator, reason="spam")
    vk_comment.refresh_from_db()
    assert vk_comment.status == CommentStatus.IN_WORK  # proposed, not yet decided
    cases.apply(case.pk, "confirm_no_answer", curator)
    vk_comment.refresh_from_db()
    assert vk_comment.status == CommentStatus.DONE
