"""Housekeeping run by the minute schedule."""

import logging
from datetime import timedelta

from django.utils import timezone

from social_sync.clients.errors import SocialError
from social_sync.crossposting import crossposted_models
from social_sync.models import Network, OutboxAction, SocialAccount
from social_sync.services import tokens
from social_sync.services.outbox import record_publication

logger = logging.getLogger(__name__)

MISSED_WINDOW = timedelta(days=2)


def refresh_expiring():
    """Refreshes VK tokens that expire within ten minutes. Returns how many were refreshed."""
    soon = timezone.now() + timedelta(minutes=10)
    count = 0
    for account in SocialAccount.objects.filter(
        network=Network.VK, is_active=True, token_expires_at__lte=soon
    ).exclude(refresh_token_encrypted=""):
        if account.credentials_problem:
            continue  # a person has to log in again; the editors were told
        try:
            tokens.ensure_fresh(account)
            count += 1
        except SocialError as error:
            logger.warning("Refresh of account %s failed: %s", account.pk, error.code)
    return count


def record_missed_publications():
    """Pages published in the last two days that should have outbox rows and have none (a
    publication outside a request, or a crash between publishing and writing the outbox)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    since = timezone.now() - MISSED_WINDOW
    accounts = list(SocialAccount.objects.filter(is_active=True, auto_crosspost=True))
    if not accounts:
        return 0
    oldest_account = min(account.created_at for account in accounts)
    pages = (
        Page.objects.live()
        .filter(
            content_type__in=ContentType.objects.get_for_models(*crossposted_models()).values(),
            last_published_at__gte=max(since, oldest_account),
        )
        .exclude(social_outbox__action=OutboxAction.POST)
    )
    count = 0
    for page in pages:
        if record_publication(page):
            count += 1
    return count
