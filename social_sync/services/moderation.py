"""What a moderator (or a rule) does to a comment: hide it, restore it, ban its author, reply, or
take it into work as a citizen's message. Every action is logged with who, when and why, and the
comment's text is kept with the entry, so the evidence outlives a deletion on the network.

Network calls are made at once (a moderator waits for the answer and sees the error in Russian);
a reply goes through the outbox like every other reply, exactly once.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from social_sync.clients.errors import AuthError, NotFound, SocialError
from social_sync.crypto import CredentialsUnreadable
from social_sync.models import (
    AuthorBan,
    Comment,
    CommentStatus,
    ModerationEvent,
    OutboxAction,
    OutboxItem,
    RemoteState,
    WatchedPost,
)
from social_sync.services import tokens
from social_sync.services.comment_networks import Unsupported, comments_for

logger = logging.getLogger(__name__)

Action = ModerationEvent.Action

RULE_NAMES = {
    "obscenity": "нецензурная брань",
    "insult": "оскорбление",
    "threat": "угроза",
    "spam": "спам или реклама",
    "stop_word": "стоп-слово",
}
BAN_REASONS = [
    ("spam", "спам"),
    ("insult", "оскорбления"),
    ("obscenity", "нецензурная брань"),
    ("threat", "угрозы"),
    ("other", "другое"),
]
BAN_PERIODS = [
    ("7", "на неделю"),
    ("30", "на месяц"),
    ("365", "на год"),
    ("", "бессрочно"),
]


class ModerationError(Exception):
    """The action could not be done; the message says why, in Russian."""


def rule_reason(rule, evidence):
    return f"Правило «{RULE_NAMES.get(rule, rule)}»: «{evidence}»."


def log(comment, actor, action, *, rule="", reason="", **details):
    return ModerationEvent.objects.create(
        comment=comment,
        actor=actor,
        action=action,
        rule=rule,
        reason=reason,
        comment_text=comment.text,
        details=details,
    )


def _network(comment):
    account = comment.account
    if account.is_sandbox:
        return None
    problem = tokens.on_hold(account)
    if problem:
        raise ModerationError(f"Аккаунт «{account.name}» ждёт новых ключей: {problem}")
    return comments_for(account)


def _call(comment, actor, what, call):
    """Runs a network call; a refusal is logged and raised as ModerationError."""
    try:
        side = _network(comment)
        return call(side) if side is not None else None
    except Unsupported as reason:
        raise ModerationError(str(reason)) from None
    except AuthError as error:
        tokens.record_problem(comment.account, error.explanation)
        log(comment, actor, Action.FAILED, reason=error.explanation, attempted=what)
        raise ModerationError(error.explanation) from None
    except NotFound:
        raise
    except SocialError as error:
        log(comment, actor, Action.FAILED, reason=error.explanation, attempted=what)
        raise ModerationError(error.explanation) from None
    except CredentialsUnreadable:
        raise ModerationError(
            "Ключи аккаунта не расшифровываются текущим ключом шифрования: внесите их заново."
        ) from None


def _count_on_the_wall(comment, change):
    """A comment we removed or restored changes the post's count on the network: the pull
    expects the new count, so a new comment arriving meanwhile is not taken for no change."""
    least = 1 if change < 0 else 0  # -1 means «never read»: left as it is
    WatchedPost.objects.filter(pk=comment.post_id, seen_count__gte=least).update(
        seen_count=F("seen_count") + change
    )


def hide(comment, actor, reason):
    """Removes the comment from the network; one already gone there counts as removed."""
    if comment.remote_state == RemoteState.HIDDEN:
        raise ModerationError("Комментарий уже удалён из соцсети.")
    try:
        _call(comment, actor, "hide", lambda side: side.hide(comment))
    except NotFound:
        pass
    with transaction.atomic():
        comment.remote_state = RemoteState.HIDDEN
        comment.status = CommentStatus.DONE
        comment.save(update_fields=["remote_state", "status", "updated_at"])
        _count_on_the_wall(comment, -1)
        log(comment, actor, Action.HIDDEN, reason=reason)


def hide_by_rule(comment, rule, evidence):
    """A rule hides the comment at once; a refusal of the network leaves it flagged for a person."""
    try:
        try:
            _call(comment, None, "hide", lambda side: side.hide(comment))
        except NotFound:
            pass
    except ModerationError as error:
        logger.info("Rule %s could not hide comment %s: %s", rule, comment.pk, error)
        return False
    comment.remote_state = RemoteState.HIDDEN
    comment.hidden_by_rule = True
    comment.save(update_fields=["remote_state", "hidden_by_rule", "updated_at"])
    log(comment, None, Action.HIDDEN, rule=rule, reason=rule_reason(rule, evidence))
    return True


def restore(comment, actor, reason):
    if comment.remote_state != RemoteState.HIDDEN:
        raise ModerationError("Комментарий не удалялся — восстанавливать нечего.")
    try:
        _call(comment, actor, "restore", lambda side: side.restore(comment))
    except NotFound:
        raise ModerationError(
            "Соцсеть больше не может восстановить этот комментарий (прошло слишком много времени)."
        ) from None
    with transaction.atomic():
        comment.remote_state = RemoteState.VISIBLE
        comment.hidden_by_rule = False
        comment.status = CommentStatus.DONE
        comment.save(update_fields=["remote_state", "hidden_by_rule", "status", "updated_at"])
        _count_on_the_wall(comment, +1)
        log(comment, actor, Action.RESTORED, reason=reason)


def ban(comment, actor, *, reason, days, note):
    """Blacklists the comment's author in the account's community for ``days`` (None: for ever)."""
    if comment.is_ours or not comment.author_id or comment.author_id.startswith("-"):
        raise ModerationError("Автор комментария — сообщество, его нельзя заблокировать.")
    if active_ban(comment.account, comment.author_id):
        raise ModerationError("Автор уже заблокирован.")
    until = timezone.now() + dt.timedelta(days=days) if days else None
    try:
        _call(
            comment,
            actor,
            "ban",
            lambda side: side.ban(comment, reason=reason, until=until, note=note),
        )
    except NotFound:
        raise ModerationError("Комментарий уже удалён из соцсети.") from None
    with transaction.atomic():
        record = AuthorBan.objects.create(
            account=comment.account,
            author_id=comment.author_id,
            author_name=comment.author_name,
            reason=reason,
            comment=note,
            until=until,
            banned_by=actor,
        )
        if comment.network == "ok":  # OK bans by deleting the comment with block_author
            comment.remote_state = RemoteState.HIDDEN
        comment.status = CommentStatus.DONE
        comment.save(update_fields=["remote_state", "status", "updated_at"])
        log(
            comment,
            actor,
            Action.BANNED,
            reason=note or dict(BAN_REASONS).get(reason, ""),
            ban=record.pk,
            until=until.isoformat() if until else None,
            ban_reason=reason,
        )
    return record


def active_ban(account, author_id):
    now = timezone.now()
    return (
        AuthorBan.objects.filter(account=account, author_id=author_id, lifted_at__isnull=True)
        .exclude(until__lte=now)
        .first()
    )


def unban(ban_record, actor, comment, *, lifted_by_hand=False):
    """Lifts a ban (VK ``groups.unban``); on OK, records that a person lifted it by hand."""
    if ban_record.lifted_at:
        raise ModerationError("Блокировка уже снята.")
    if not lifted_by_hand:
        _call(comment, actor, "unban", lambda side: side.unban(ban_record))
    with transaction.atomic():
        ban_record.lifted_at = timezone.now()
        ban_record.lifted_by = actor
        ban_record.save(update_fields=["lifted_at", "lifted_by"])
        log(
            comment,
            actor,
            Action.UNBANNED,
            reason="Снята вручную в соцсети." if lifted_by_hand else "",
            ban=ban_record.pk,
        )


def set_status(comment, actor, status):
    if comment.status == status:
        return
    previous = comment.status
    comment.status = status
    comment.save(update_fields=["status", "updated_at"])
    log(comment, actor, Action.STATUS, reason="", before=previous, after=status)


def reply(comment, actor, text):
    """A reply from the group under the comment, through the outbox (exactly once)."""
    from social_sync.services.outbox import _enqueue

    text = (text or "").strip()
    if not text:
        raise ModerationError("Напишите текст ответа.")
    if comment.remote_state == RemoteState.HIDDEN:
        raise ModerationError("Комментарий удалён из соцсети — ответить под ним нельзя.")
    target = reply_target(comment)
    with transaction.atomic():
        row = OutboxItem.objects.create(
            action=OutboxAction.REPLY,
            account=comment.account,
            comment=comment,
            page_title=f"Ответ на комментарий: {comment.text[:80]}"[:255],
            reply_target=target,
            reply_text=text,
            next_attempt_at=timezone.now(),
        )
        comment.status = CommentStatus.IN_WORK
        comment.save(update_fields=["status", "updated_at"])
        log(comment, actor, Action.REPLIED, reason=text, outbox=row.pk)
        transaction.on_commit(lambda: _enqueue([row]))
    return row


def reply_target(comment):
    """Where a reply to the comment goes, in the shape the publishers take."""
    if comment.network == "vk":
        target = {
            "owner_id": comment.account.vk_wall_owner_id,
            "post_id": int(comment.post_remote_id),
            "comment_id": int(comment.remote_id),
        }
    else:
        target = {
            "gid": comment.owner_id,
            "topic_id": comment.post_remote_id,
            "comment_id": comment.remote_id,
        }
    target["url"] = comment.url
    return target


def reply_placed(item, url):
    """The network confirmed a reply from the inbox: the comment is done."""
    comment = Comment.objects.filter(pk=item.comment_id).first()
    if comment is None:
        return
    comment.status = CommentStatus.DONE
    comment.save(update_fields=["status", "updated_at"])


def case_closed(case):
    """The message a comment was taken in as is answered or left without an answer: the comment
    is done too, no longer «в работе» in the inbox."""
    Comment.objects.filter(case=case).exclude(status=CommentStatus.DONE).update(
        status=CommentStatus.DONE, updated_at=timezone.now()
    )


def to_case(comment, actor):
    """Registers the comment as a citizen's message (detected at the comment's time, so the
    profile's clock runs from then; repeats found by author and text) and links the two."""
    from newsroom.casework.services import cases

    if comment.case_id:
        raise ModerationError(f"Комментарий уже взят в работу: сообщение № {comment.case_id}.")
    data = {
        "external_id": f"{comment.network}:{comment.owner_id}:{comment.post_remote_id}:"
        f"{comment.remote_id}",
        "network": comment.network,
        "url": comment.url,
        "author_name": comment.author_name or comment.author_id,
        "author_id": comment.author_id,
        "text": comment.text or "(без текста)",
        "published_at": comment.published_at,
        "detected_at": min(comment.published_at, timezone.now()),
    }
    with transaction.atomic():
        case, _created = cases.register_case(data, source="comments", actor=actor)
        comment.case = case
        comment.status = CommentStatus.IN_WORK
        comment.save(update_fields=["case", "status", "updated_at"])
        log(comment, actor, Action.TO_CASE, reason=f"Сообщение № {case.pk}", case=case.pk)
    return case


def admin_url(comment):
    from django.urls import reverse

    return settings.WAGTAILADMIN_BASE_URL + reverse("social_sync:comment", args=[comment.pk])
