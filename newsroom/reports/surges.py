"""Surges of messages on one topic or about one address, reported at once (seed 002 p.13: «о
всплесках активности — незамедлительно»; R15).

Each new message with a topic or an address counts the messages with the same key found within
the profile's window before it. When the count reaches the profile's threshold and no alert for
that key is still running, the Head (the organisation's address) and the curators are told, once;
a message that joins a running surge — one whose last message is inside the window — adds to
its count and tells nobody again. The profile's row is the lock: two workers counting at once
never raise two alerts for one surge.
"""

from datetime import timedelta

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsroom.casework.services.escalation import curators, notify
from newsroom.models import Case, RegulationProfile, SurgeAlert, SurgeKey
from newsroom.organisation import local_datetime, organisation_settings


def keys_of(case):
    keys = []
    if case.category:
        keys.append((SurgeKey.TOPIC, case.category))
    if case.place:
        keys.append((SurgeKey.PLACE, case.place))
    return keys


def check(case_id):
    """Counts the surge around one new case; returns the alerts raised now (0, 1 or 2)."""
    case = Case.objects.select_related("profile").filter(pk=case_id).first()
    if case is None or case.profile is None or not case.profile.surge_threshold:
        return []
    raised = []
    with transaction.atomic():
        profile = RegulationProfile.objects.select_for_update().get(pk=case.profile_id)
        window = timedelta(hours=profile.surge_window_hours or 24)
        since = case.detected_at - window
        for kind, key in keys_of(case):
            field = "category" if kind == SurgeKey.TOPIC else "place"
            running = (
                SurgeAlert.objects.filter(key_kind=kind, key=key, last_at__gte=since)
                .order_by("-last_at")
                .first()
            )
            if running is not None:
                if not running.cases.filter(pk=case.pk).exists():
                    running.cases.add(case)
                    running.count += 1
                    running.last_at = max(running.last_at, case.detected_at)
                    running.save(update_fields=["count", "last_at"])
                continue
            recent = Case.objects.filter(
                **{field: key},
                detected_at__gt=since,
                detected_at__lte=case.detected_at,
            )
            count = recent.count()
            if count < profile.surge_threshold:
                continue
            alert = SurgeAlert.objects.create(
                key_kind=kind,
                key=key,
                profile=profile,
                started_at=min(recent.values_list("detected_at", flat=True)),
                last_at=case.detected_at,
                count=count,
            )
            alert.cases.add(*recent)
            raised.append(alert)
    for alert in raised:
        transaction.on_commit(lambda alert=alert: tell(alert, case))
    return raised


def describe(alert, window_hours):
    what = _("тематике «%(key)s»") if alert.key_kind == SurgeKey.TOPIC else _("адресу «%(key)s»")
    return ngettext(
        "Всплеск: %(n)s сообщение по %(what)s за %(hours)s ч (с %(since)s).",
        "Всплеск: %(n)s сообщений по %(what)s за %(hours)s ч (с %(since)s).",
        alert.count,
    ) % {
        "n": alert.count,
        "what": what % {"key": alert.key},
        "hours": window_hours,
        "since": local_datetime(alert.started_at),
    }


def tell(alert, case):
    """The Head by e-mail, the curators in the admin and by e-mail: once per alert."""
    message = describe(alert, alert.profile.surge_window_hours)
    for user in curators():
        notify(case, user, f"surge:{alert.pk}", message)
    head_email = organisation_settings().head_email
    if head_email:
        link = django_settings.WAGTAILADMIN_BASE_URL + reverse("cases:detail", args=(case.pk,))
        send_mail(
            message.split("(")[0].strip(),
            f"{message}\n\nПоследнее сообщение:\n{case.text[:1000]}\n\n{link}",
            None,
            [head_email],
        )
