"""Placing an approved answer on the network as a reply to the citizen (seed 002 p.8, p.10:
«согласованный куратором ответ размещается … в социальной сети»).

The outbox row is written in the approval's transaction (``newsroom.casework.signals
.answer_approved``) and delivered like a crosspost — once, through faults and lost answers, in
the account's turn and within its token's rate limit. When the network confirms the reply, the
case records its link and that moment: «ответ размещён», on time or late.

Where the message is not on a wall of one of our official VK accounts or under a topic of our
OK group (another site, a messenger, a page we do not run), no row is written: the answer is
placed by hand and the case page's «Ответ размещён» records it, as before.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from social_sync.clients import ok, vk
from social_sync.models import (
    AccountKind,
    Network,
    OutboxAction,
    OutboxItem,
    OutboxState,
    ReplyAccountChoice,
    SocialAccount,
)

logger = logging.getLogger(__name__)


def vk_account(target):
    """The official VK account whose wall the message is on, or None."""
    owner = target["owner_id"]
    kind = AccountKind.COMMUNITY if owner < 0 else AccountKind.PERSON
    return _active(network=Network.VK, kind=kind, owner_id=str(abs(owner)))


def ok_account(target):
    """Our OK group whose topic the message is under, or None."""
    return _active(network=Network.OK, kind=AccountKind.COMMUNITY, owner_id=target["gid"])


def _active(**fields):
    return SocialAccount.objects.filter(is_active=True, **fields).order_by("pk").first()


def where_to_reply(case):
    """(target, account) for a message we can answer in place, else (None, None)."""
    if case.network == Network.VK:
        target = vk.reply_target(case.url)
        if target is None:
            return None, None
        return target, vk_account(target) or chosen_account(case)
    if case.network == Network.OK:
        target = ok.reply_target(case.url)
        return (target, ok_account(target)) if target else (None, None)
    return None, None


def chosen_account(case):
    """The account the curator picked for a message on a foreign page, if any and still active."""
    choice = (
        ReplyAccountChoice.objects.filter(case=case, account__is_active=True)
        .select_related("account")
        .first()
    )
    return choice.account if choice else None


def foreign_vk_target(case):
    """The message's place when it is on a VK wall none of our accounts owns, else None."""
    if case.network != Network.VK:
        return None
    target = vk.reply_target(case.url)
    if target is None or vk_account(target) is not None:
        return None
    return target


def accounts_for_foreign_pages():
    """Our VK accounts that can comment on another page: with credentials, or the sandbox."""
    return SocialAccount.objects.filter(network=Network.VK, is_active=True).order_by("kind", "name")


def choose_account(case, account, user):
    """Records the curator's pick (None clears it). When the answer is approved already and
    waits for a person, its reply is written at once. Returns the reply row, if one was written."""
    from newsroom.casework.services import cases

    with transaction.atomic():
        if account is None:
            ReplyAccountChoice.objects.filter(case=case).delete()
            cases.log(case, user, "reply_account", comment="Ответ будет размещён вручную.")
            return None
        ReplyAccountChoice.objects.update_or_create(
            case=case, defaults={"account": account, "chosen_by": user}
        )
        cases.log(case, user, "reply_account", comment=f"Ответ разместит «{account.name}».")
        answer = case.answers.filter(live=True).order_by("-last_published_at").first()
        if case.status == "approved" and answer is not None:
            return record_reply(answer, case)
    return None


def record_reply(answer, case):
    """Writes the reply row for an approved answer, in the caller's transaction. Returns the row,
    or None when the answer is to be placed by hand."""
    target, account = where_to_reply(case)
    if account is None:
        return None
    target["url"] = case.url
    try:
        with transaction.atomic():
            row = OutboxItem.objects.create(
                action=OutboxAction.REPLY,
                account=account,
                answer=answer,
                case=case,
                page_title=f"Ответ на сообщение № {case.pk}"[:255],
                reply_target=target,
                reply_text=answer.text,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:  # this answer was approved before: its reply exists already
        logger.info("Answer %s already has a reply row for account %s", answer.pk, account.pk)
        return None
    from social_sync.services.outbox import _enqueue

    _enqueue([row])
    return row


def cancel_unsent(case):
    """The answer was placed by hand: replies not yet started are cancelled (one that may have
    reached the network is left to finish, and is found by its read-back instead)."""
    return OutboxItem.objects.filter(
        case=case,
        action=OutboxAction.REPLY,
        state=OutboxState.PENDING,
        write_started_at__isnull=True,
    ).update(
        state=OutboxState.CANCELLED,
        last_error="Ответ размещён вручную.",
        updated_at=timezone.now(),
    )


def case_notes(case):
    """What the case page says about the system's reply: being placed, placed, or refused."""
    notes = []
    rows = OutboxItem.objects.filter(case=case, action=OutboxAction.REPLY).select_related("account")
    for row in rows.order_by("pk"):
        where = f"«{row.account.name}» ({row.account.get_network_display()})"
        if row.state == OutboxState.DONE:
            text, state = f"Ответ размещён системой в {where}.", "done"
        elif row.state == OutboxState.FAILED:
            text = (
                f"Система не смогла разместить ответ в {where}: {row.last_error} "
                "Разместите его вручную и отметьте ниже."
            )
            state = "failed"
        elif row.state == OutboxState.CANCELLED:
            text, state = f"Размещение в {where} отменено: {row.last_error}", "cancelled"
        else:
            text = f"Ответ размещается системой в {where} — вручную размещать не нужно." + (
                f" Последняя ошибка: {row.last_error}" if row.last_error else ""
            )
            state = "pending"
        notes.append(
            {"text": text, "url": row.remote_url if state == "done" else "", "state": state}
        )
    return notes
