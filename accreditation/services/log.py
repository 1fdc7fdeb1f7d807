"""The decision log: every step on an application, a journalist or a card, with who and why.

Each entry is also written to Wagtail's own log (``Отчёты → Журнал действий``) when a user did it.
"""

from wagtail.log_actions import log as wagtail_log

from accreditation.models import DecisionLog

APPLICANT = "заявитель"
SYSTEM = "система"


def actor_name(user):
    if user is None:
        return SYSTEM
    return user.get_full_name() or user.get_username()


def record(application, action, *, actor=None, journalist=None, comment="", label=None):
    entry = DecisionLog.objects.create(
        application=application,
        journalist=journalist,
        actor=actor,
        actor_label=label or actor_name(actor),
        action=action,
        comment=comment,
    )
    if actor is not None:
        wagtail_log(
            instance=application,
            action=f"accreditation.{action}",
            user=actor,
            data={"journalist": journalist.pk if journalist else None, "comment": comment},
        )
    return entry
