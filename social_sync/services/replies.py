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
from social_sync.models import AccountKind, Network, OutboxAction, OutboxItem, SocialAccount

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
        return (target, vk_account(target)) if target else (None, None)
    if case.network == Network.OK:
        target = ok.reply_target(case.url)
        return (target, ok_account(target)) if target else (None, None)
    return None, None


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
