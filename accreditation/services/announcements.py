"""Press announcements of events: an outbox row per address, delivered exactly once or never.

``announce`` writes the announcement and one row per accredited journalist's address in one
transaction (one row per event and address, ever). ``deliver`` claims a row by a conditional
UPDATE (pending → sending, with a lease), sends it, and marks it sent. A row found still
«sending» after its lease ran out belongs to a worker that died after the claim — maybe after the
mail left — so it is not sent again but marked «неизвестно, ушло ли письмо» for a person to check.
That is the price of never sending twice; a failure the mail library reports is retried.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accreditation.models import Accreditation, Announcement, AnnouncementDelivery, DeliveryState
from accreditation.services import links, mail
from newsroom.plaintext import html_to_text

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RETRY_BASE = timedelta(minutes=1)


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def recipients(today=None):
    """Currently accredited journalists with an address, one card per address."""
    cards = (
        Accreditation.objects.current(today)
        .exclude(journalist__email="")
        .filter(journalist__anonymised_at__isnull=True)
        .select_related("journalist__application")
        .order_by("journalist__full_name", "-year")
    )
    chosen = {}
    for card in cards:
        chosen.setdefault(card.journalist.email.lower(), card)
    return list(chosen.values())


def default_text(event):
    event = event.specific
    context = {
        "event": event,
        "description": html_to_text(getattr(event, "description", "") or ""),
        "url": links.absolute(event) if event.live else "",
    }
    subject = f"Анонс для СМИ: {event.title}"
    body = render_to_string("accreditation/emails/announcement.txt", context).strip() + "\n"
    return subject, body


def announce(event, actor, subject=None, body=None):
    """Queues the announcement for everyone accredited who has not had one for this event.
    Returns the announcement and how many rows were queued."""
    default_subject, default_body = default_text(event)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            event=event,
            event_title=event.title,
            subject=subject or default_subject,
            body=body or default_body,
            created_by=actor,
        )
        already = set(
            AnnouncementDelivery.objects.filter(event=event).values_list("email", flat=True)
        )
        queued = 0
        for card in recipients():
            email = card.journalist.email.lower()
            if email in already:
                continue
            try:
                with transaction.atomic():
                    AnnouncementDelivery.objects.create(
                        announcement=announcement,
                        event=event,
                        accreditation=card,
                        recipient_name=card.journalist.full_name,
                        outlet_name=card.journalist.application.outlet_name,
                        email=email,
                    )
            except IntegrityError:  # queued meanwhile by another editor's click
                continue
            queued += 1
        transaction.on_commit(lambda: enqueue(announcement.pk))
    return announcement, queued


def announce_planned(plan, actor):
    """Announces the approved plan's events to which media are invited and that are published,
    each once: an event whose announcement went out before (by hand or with an earlier approval)
    is left alone. Returns how many events were announced."""
    from newsroom.models import EventPage

    event_ids = [item.event_id for item in plan.items.all() if item.media_invited and item.event_id]
    announced = 0
    for event in EventPage.objects.live().filter(pk__in=event_ids).order_by("start"):
        if AnnouncementDelivery.objects.filter(event=event).exists():
            continue
        announce(event, actor)
        announced += 1
    return announced


def enqueue(announcement_id):
    from django_q.tasks import async_task

    async_task("accreditation.tasks.deliver_announcement", announcement_id, group="accreditation")


def claim(delivery_id):
    now = timezone.now()
    taken = AnnouncementDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(
        state=DeliveryState.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + LEASE,
        claimed_by=worker_id(),
    )
    if not taken:
        return None
    return AnnouncementDelivery.objects.select_related("announcement").get(pk=delivery_id)


def deliver(delivery_id):
    """Sends one row if it is due and nobody else holds it. Returns the outcome."""
    row = claim(delivery_id)
    if row is None:
        return "skipped"
    mine = AnnouncementDelivery.objects.filter(pk=row.pk, claimed_by=row.claimed_by)
    try:
        mail.send_now([row.email], row.announcement.subject, row.announcement.body)
    except Exception as error:
        # The error's kind only: an SMTP refusal carries the address (no personal data in logs).
        logger.warning(
            "Announcement %s to delivery %s failed: %s",
            row.announcement_id,
            row.pk,
            type(error).__name__,
        )
        final = row.attempts >= settings.ACCREDITATION_MAIL_MAX_ATTEMPTS
        mine.update(
            state=DeliveryState.FAILED if final else DeliveryState.PENDING,
            next_attempt_at=timezone.now() + RETRY_BASE * (2 ** (row.attempts - 1)),
            lease_until=None,
            last_error=str(error)[:500],
        )
        return "failed" if final else "retry"
    mine.update(state=DeliveryState.SENT, sent_at=timezone.now(), lease_until=None, last_error="")
    return "sent"


def retry(event, delivery_id=None):
    """Puts this event's unsent e-mails back in the queue; returns how many.

    Without ``delivery_id``: every row that failed (the mail library reported an error each
    time, so nothing left). With it: that one row, also when it is «неизвестно, ушло ли
    письмо» — the person retrying has checked the mail server's log.
    """
    rows = AnnouncementDelivery.objects.filter(event=event)
    if delivery_id is None:
        rows = rows.filter(state=DeliveryState.FAILED)
    else:
        rows = rows.filter(
            pk=delivery_id, state__in=(DeliveryState.FAILED, DeliveryState.UNCERTAIN)
        )
    with transaction.atomic():
        announcement_ids = set(rows.values_list("announcement_id", flat=True))
        count = rows.update(
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            lease_until=None,
            claimed_by="",
            last_error="",
        )
        for announcement_id in sorted(announcement_ids):
            transaction.on_commit(lambda pk=announcement_id: enqueue(pk))
    return count


def abandon_stale():
    """Rows left «sending» by a dead worker: maybe sent, so never sent again."""
    return AnnouncementDelivery.objects.filter(
        state=DeliveryState.SENDING, lease_until__lt=timezone.now()
    ).update(
        state=DeliveryState.UNCERTAIN,
        last_error="Обработчик остановился во время отправки: проверьте по журналу почтового "
        "сервера, получил ли журналист письмо, и при необходимости отправьте его вручную.",
    )


def due(announcement_id=None):
    rows = AnnouncementDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
    )
    if announcement_id is not None:
        rows = rows.filter(announcement_id=announcement_id)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def deliver_all(announcement_id=None):
    abandon_stale()
    outcomes = {}
    for pk in due(announcement_id):
        outcome = deliver(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def log_for(event):
    return AnnouncementDelivery.objects.filter(Q(event=event)).select_related("announcement")
