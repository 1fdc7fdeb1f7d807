"""Publishing urgently and signing off after the fact; both written to the page's history."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Page

from newsroom import roles
from newsroom.models import UrgentPublication
from newsroom.organisation import local_datetime

logger = logging.getLogger(__name__)

PUBLISH_ACTION = "newsroom.urgent_publication"
SIGN_OFF_ACTION = "newsroom.urgent_sign_off"
REASON_MIN_LENGTH = 10


class UrgentPublicationError(Exception):
    """The publication cannot be done; the message says why, in Russian."""


def may_publish_urgently(user, page):
    """Editors who may change the page but not publish it: the head and administrators publish
    the usual way."""
    if not user.has_perm("newsroom.add_urgentpublication"):
        return False
    permissions = page.permissions_for_user(user)
    return permissions.can_edit() and not permissions.can_publish()


def may_sign_off(user):
    return user.has_perm("newsroom.change_urgentpublication")


def publish_urgently(page, user, reason):
    """Publishes the page's latest version now and records why; the head is told after commit."""
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise UrgentPublicationError(
            _("Опишите причину срочной публикации (не короче %d символов).") % REASON_MIN_LENGTH
        )
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk).specific
        if not may_publish_urgently(user, page):
            raise UrgentPublicationError(_("Вы не можете срочно опубликовать эту страницу."))
        revision = page.get_latest_revision()
        if revision is None:
            revision = page.save_revision(user=user, log_action=True)
        if page.live and not page.has_unpublished_changes:
            raise UrgentPublicationError(
                _("Эта версия страницы уже опубликована: публиковать нечего.")
            )
        # The item leaves the usual workflow: the head signs it off from her queue instead.
        workflow_state = page.current_workflow_state
        if workflow_state is not None:
            workflow_state.cancel(user=user)
        # Permission is what may_publish_urgently checked: the editor holds no publish_page.
        revision.publish(user=user, skip_permission_checks=True)
        record = UrgentPublication.objects.create(
            page=page,
            revision=revision,
            title=page.title[:255],
            reason=reason,
            published_by=user,
        )
        log(instance=page, action=PUBLISH_ACTION, user=user, data={"reason": reason})
        transaction.on_commit(lambda: tell_the_head(record.pk))
    return record


def sign_off(record, user):
    """The head's sign-off after the fact; a second sign-off is refused, not repeated."""
    if not may_sign_off(user):
        raise UrgentPublicationError(_("Утверждать срочные публикации может заведующий отделом."))
    with transaction.atomic():
        updated = UrgentPublication.objects.filter(pk=record.pk, signed_off_at__isnull=True).update(
            signed_off_by=user, signed_off_at=timezone.now()
        )
        if not updated:
            raise UrgentPublicationError(_("Эта публикация уже утверждена."))
        log(instance=record.page.specific, action=SIGN_OFF_ACTION, user=user)
    record.refresh_from_db()
    return record


def tell_the_head(record_pk):
    """E-mail to the head of the press office; the dashboard panel shows the same item."""
    record = UrgentPublication.objects.select_related("page", "published_by").get(pk=record_pk)
    recipients = roles.member_emails(roles.HEAD_OF_PRESS_OFFICE)
    if not recipients:
        logger.warning("Urgent publication %s: nobody in the head's group has an e-mail", record.pk)
        return
    from django.conf import settings

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    author = record.published_by_name
    body = _(
        "%(author)s срочно опубликовал(а) материал без вашего утверждения.\n\n"
        "Материал: %(title)s\n"
        "Опубликован: %(when)s\n"
        "Причина: %(reason)s\n\n"
        "Страница: %(page_url)s\n"
        "Утвердить задним числом: %(queue_url)s\n"
    ) % {
        "author": author,
        "title": record.title,
        "when": local_datetime(record.published_at),
        "reason": record.reason,
        "page_url": base + reverse("wagtailadmin_pages:edit", args=(record.page_id,)),
        "queue_url": base + reverse("newsroom_urgent_report"),
    }
    try:
        send_mail(
            _("Срочная публикация без утверждения: %s") % record.title,
            body,
            None,
            recipients,
        )
    except OSError:
        logger.exception("Urgent publication %s: the e-mail to the head was not sent", record.pk)
