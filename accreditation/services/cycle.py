"""The yearly cycle: accreditations end on 31 December; in December, a reminder to reapply.

Both run daily (``accreditation.tasks``). The state of a card never depends on these jobs (it is
computed from ``valid_until``); the expiry job records the end in the log, once per card.
"""

import logging

from django.db.models import Q
from django.utils import timezone

from accreditation.models import (
    Accreditation,
    Application,
    DecisionAction,
    Journalist,
    JournalistDecision,
)
from accreditation.services import links, log, mail

logger = logging.getLogger(__name__)


def expire(today=None):
    """Marks cards past their 31 December as expired and logs it. Returns how many."""
    today = today or timezone.localdate()
    due = Accreditation.objects.filter(
        valid_until__lt=today,
        expired_at__isnull=True,
        revoked_at__isnull=True,
        ended_at__isnull=True,
    ).select_related("journalist__application")
    count = 0
    for card in due:
        # Claimed by a conditional update: two workers never log the same card twice.
        if not Accreditation.objects.filter(pk=card.pk, expired_at__isnull=True).update(
            expired_at=timezone.now()
        ):
            continue
        log.record(
            card.journalist.application,
            DecisionAction.EXPIRED,
            journalist=card.journalist,
            comment=f"Карточка № {card.number} действовала до {card.valid_until:%d.%m.%Y}.",
        )
        count += 1
    return count


def applied_for(email, year):
    return (
        Journalist.objects.filter(email__iexact=email, application__year=year)
        .exclude(decision=JournalistDecision.REJECTED)
        .exists()
    )


def remind(today=None):
    """In December: e-mails each journalist accredited for this year, once, to apply for the
    next year (unless they already have). Returns how many were reminded.

    A reminder is claimed (``reminded_at`` set) before it is sent, so a crash never sends it
    twice; the price is that a crash between the two loses that one reminder.
    """
    today = today or timezone.localdate()
    if today.month != 12:
        return 0
    page_applications = Application.objects.filter(page__isnull=False)
    cards = (
        Accreditation.objects.current(today)
        .filter(year=today.year, reminded_at__isnull=True)
        .filter(journalist__application__in=page_applications)
        .exclude(Q(journalist__email="") | Q(journalist__anonymised_at__isnull=False))
        .select_related("journalist__application__page")
    )
    sent = 0
    seen = set()
    for card in cards:
        journalist = card.journalist
        email = journalist.email.lower()
        if not Accreditation.objects.filter(pk=card.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            continue
        if email in seen or applied_for(email, today.year + 1):
            continue
        seen.add(email)
        page = journalist.application.page.specific
        subject, body = mail.render(
            "reminder",
            {
                "journalist": journalist,
                "card": card,
                "next_year": today.year + 1,
                "window": page.window.next(today),
                "page_url": links.absolute(page),
            },
        )
        try:
            mail.send_now([journalist.email], subject, body)
        except Exception:
            logger.exception("Reminder to %s failed", journalist.pk)
            continue
        log.record(
            journalist.application,
            DecisionAction.REMINDED,
            journalist=journalist,
            comment=f"Напоминание подать заявку на {today.year + 1} год.",
        )
        sent += 1
    return sent
