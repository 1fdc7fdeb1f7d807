"""Reminders and escalations about deadlines: each sent once, by e-mail and in the admin.

- the executor, an hour before the draft is due (or the answer, where no draft term is set);
- the curators, when routing or a draft is late;
- the Head and the curators at once about every high-importance incident (R15).
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import roles as groups
from newsroom.casework.rules.lifecycle import Status
from newsroom.models import Case, CaseNotification
from newsroom.organisation import local_datetime

REMIND_BEFORE = datetime.timedelta(hours=1)
DRAFTING = [Status.ROUTED.value, Status.DRAFTING.value, Status.REWORK.value]


def case_url(case):
    return settings.WAGTAILADMIN_BASE_URL + reverse("cases:detail", args=(case.pk,))


def notify(case, recipient, kind, message):
    """Records and e-mails one notification; a second call for the same case, person and kind
    does nothing. Returns True when it was sent now."""
    try:
        with transaction.atomic():
            CaseNotification.objects.create(
                case=case, recipient=recipient, kind=kind, message=message
            )
    except IntegrityError:
        return False
    if recipient.email:
        send_mail(
            _("Обращение № %(n)s: %(what)s") % {"n": case.pk, "what": message.split(".")[0]},
            f"{message}\n\n{case.text[:500]}\n\n{case_url(case)}",
            None,
            [recipient.email],
            fail_silently=False,
        )
    return True


def notify_executor_assigned(case):
    """The executor learns at once that a case is theirs, and by when (once per case)."""
    due = case.draft_due or case.answer_due
    if case.draft_due:
        message = _("Вам назначено обращение. Проект ответа нужен до %(due)s.")
    else:
        message = _("Вам назначено обращение. Ответ нужен до %(due)s.")
    return notify(case, case.executor, "assigned", message % {"due": local_datetime(due)})


def curators():
    return groups.members(groups.CURATORS)


def notify_high_importance(case):
    if (
        not case.is_high_importance
        or not case.profile
        or not case.profile.reports_high_importance_to_head
    ):
        return 0
    message = _("Инцидент повышенной важности. Ответить до %(due)s.") % {
        "due": local_datetime(case.answer_due)
    }
    sent = sum(notify(case, user, "high_importance", message) for user in curators())
    sent += alert_the_head(case, message)
    return sent


HEAD_ALERTED = "head_alerted"


def alert_the_head(case, message):
    """The Head's e-mail about a high-importance incident, once per case, whether or not any
    curator is active (the Head is told even when nobody else is)."""
    from newsroom.organisation import organisation_settings

    head_email = organisation_settings().head_email
    if not head_email:
        return 0
    with transaction.atomic():
        # The case row is the lock: two workers never both send the Head's e-mail.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if case.events.filter(action=HEAD_ALERTED).exists():
            return 0
        case.events.create(action=HEAD_ALERTED, data={"to": head_email})
    send_mail(
        _("Инцидент повышенной важности: обращение № %(n)s") % {"n": case.pk},
        f"{message}\n\n{case.text[:1000]}\n\n{case.url}\n{case_url(case)}",
        None,
        [head_email],
    )
    return 1


def run_escalations(now=None):
    """One pass over open cases; returns how many notifications were sent."""
    now = now or timezone.now()
    sent = 0
    soon = Case.objects.filter(status__in=DRAFTING, executor__isnull=False).select_related(
        "executor"
    )
    for case in soon.filter(draft_due__gt=now, draft_due__lte=now + REMIND_BEFORE):
        sent += notify(
            case,
            case.executor,
            "draft_soon",
            _("Проект ответа нужен до %(due)s.") % {"due": local_datetime(case.draft_due)},
        )
    for case in soon.filter(
        draft_due=None, answer_due__gt=now, answer_due__lte=now + REMIND_BEFORE
    ):
        sent += notify(
            case,
            case.executor,
            "answer_soon",
            _("Ответ нужен до %(due)s.") % {"due": local_datetime(case.answer_due)},
        )

    late_routing = Case.objects.filter(status=Status.NEW.value, routing_due__lt=now)
    late_drafts = Case.objects.filter(status__in=DRAFTING, draft_due__lt=now)
    people = list(curators())
    for case in late_routing:
        message = _("Не назначен исполнитель, срок истёк %(due)s.") % {
            "due": local_datetime(case.routing_due)
        }
        sent += sum(notify(case, user, "routing_late", message) for user in people)
    for case in late_drafts.select_related("executor"):
        message = _("Исполнитель не прислал проект ответа, срок истёк %(due)s.") % {
            "due": local_datetime(case.draft_due)
        }
        sent += sum(notify(case, user, "draft_late", message) for user in people)
    return sent
