"""The dashboard panel of citizens' messages: the user's counters and unread notifications."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from newsroom import roles as groups
from newsroom.casework.access import group_names, sees_all_cases
from newsroom.models import Case, CaseKind, CaseNotification

from .filters import at_risk_q, open_q, overdue_q

UNREAD_SHOWN = 10


def own_cases(user):
    """Cases the user answers for: all of them for curators and the press office, else their own."""
    if sees_all_cases(user):
        return Case.objects.all(), "cases:index"
    return Case.objects.filter(executor=user), "my_cases:index"


def works_with_cases(user):
    return sees_all_cases(user) or groups.EXECUTORS in group_names(user)


def overdue_count(cases):
    return cases.filter(overdue_q(timezone.now())).count()


class CasesPanel(Component):
    name = "cases:index"
    order = 50
    template_name = "newsroom/inbox/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        now = timezone.now()
        cases, url_name = own_cases(self.user)
        counts = cases.aggregate(
            open=Count("pk", filter=open_q()),
            at_risk=Count("pk", filter=at_risk_q(now)),
            overdue=Count("pk", filter=overdue_q(now)),
            high_importance=Count("pk", filter=open_q() & Q(kind=CaseKind.HIGH_IMPORTANCE)),
        )
        base = reverse(url_name)

        def link(**params):
            return f"{base}?{urlencode(params)}"

        counters = [
            ("open", _("Открытые"), counts["open"], link(status="open"), ""),
            (
                "at_risk",
                _("Срок истекает в течение часа"),
                counts["at_risk"],
                link(at_risk="true"),
                "at-risk",
            ),
            ("overdue", _("Просрочены"), counts["overdue"], link(overdue="true"), "overdue"),
            (
                "high_importance",
                _("Повышенной важности"),
                counts["high_importance"],
                link(status="open", high_importance="true"),
                "high",
            ),
        ]
        unread = CaseNotification.objects.filter(recipient=self.user, read_at__isnull=True)
        return {
            "counters": [
                {"key": key, "label": label, "value": value, "url": url, "state": state}
                for key, label, value, url, state in counters
            ],
            "everyone": sees_all_cases(self.user),
            "list_url": base,
            "unread": list(unread.select_related("case").order_by("-sent_at")[:UNREAD_SHOWN]),
            "unread_count": unread.count(),
        }
