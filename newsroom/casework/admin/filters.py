"""Filters of the case lists, and what «overdue» and «at risk» mean for a case's nearest deadline."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

import django_filters

from newsroom.casework.models.cases import CASE_STATUS_CHOICES
from newsroom.casework.rules.lifecycle import OPEN_STATUSES
from newsroom.casework.services.cases import executors
from newsroom.models import Case, CaseKind, Department
from newsroom.networks import CASE_NETWORKS

AT_RISK_WITHIN = datetime.timedelta(hours=1)
OPEN_VALUES = sorted(s.value for s in OPEN_STATUSES)


class Due:
    """The state of a deadline: every state has a colour class and a text label."""

    OVERDUE = "overdue"
    AT_RISK = "at-risk"
    ON_TIME = "on-time"
    NONE = "none"

    LABELS = {
        OVERDUE: _("Просрочено"),
        AT_RISK: _("Меньше часа"),
        ON_TIME: _("В срок"),
        NONE: _("Без срока"),
    }


def due_state(due, now, *, is_open=True):
    if due is None or not is_open:
        return Due.NONE
    if due < now:
        return Due.OVERDUE
    if due < now + AT_RISK_WITHIN:
        return Due.AT_RISK
    return Due.ON_TIME


def open_q():
    return Q(status__in=OPEN_VALUES)


def overdue_q(now):
    # Only open cases have a next deadline (Case.save keeps it so): the index answers this alone.
    return Q(next_due__lt=now)


def at_risk_q(now):
    return Q(next_due__gte=now, next_due__lt=now + AT_RISK_WITHIN)


STATUS_CHOICES = [
    ("open", _("Все открытые")),
    ("closed", _("Все закрытые")),
    *CASE_STATUS_CHOICES,
]


def executor_label(user):
    return user.get_full_name() or user.get_username()


class ExecutorChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return executor_label(obj)


class ExecutorFilter(django_filters.ModelChoiceFilter):
    field_class = ExecutorChoiceField


class YesNoFilter(django_filters.ChoiceFilter):
    """«Да» / «Нет» / «Все» as radio buttons; ``?overdue=true`` in the address."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", _("Да")), ("false", _("Нет"))])
        kwargs.setdefault("empty_label", _("Все"))
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)


class CaseFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Статус"),
        choices=STATUS_CHOICES,
        empty_label=_("Все"),
        method="filter_status",
    )
    overdue = YesNoFilter(label=_("Просрочено"), method="filter_overdue")
    at_risk = YesNoFilter(label=_("Срок истекает в течение часа"), method="filter_at_risk")
    high_importance = YesNoFilter(label=_("Повышенной важности"), method="filter_high_importance")
    unit = django_filters.ModelChoiceFilter(
        label=_("Подразделение"),
        queryset=Department.objects.order_by("short_name"),
        empty_label=_("Все"),
        widget=forms.Select,
    )
    network = django_filters.ChoiceFilter(
        label=_("Сеть"), choices=CASE_NETWORKS, empty_label=_("Все"), widget=forms.Select
    )
    kind = django_filters.ChoiceFilter(
        label=_("Вид"), choices=CaseKind.choices, empty_label=_("Все"), widget=forms.Select
    )
    executor = ExecutorFilter(
        label=_("Исполнитель"),
        queryset=lambda request: executors().order_by("last_name", "first_name", "username"),
        empty_label=_("Все"),
        widget=forms.Select,
    )

    class Meta:
        model = Case
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(open_q())
        if value == "closed":
            return queryset.exclude(open_q())
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)

    def filter_at_risk(self, queryset, name, value):
        condition = at_risk_q(timezone.now())
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)

    def filter_high_importance(self, queryset, name, value):
        condition = Q(kind=CaseKind.HIGH_IMPORTANCE)
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)


class MyCaseFilterSet(CaseFilterSet):
    """An executor's own list: filtering by executor makes no sense there."""

    executor = None
