"""The reviewers' queue: every application, the overdue first, with filters and search."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

import django_filters

from accreditation.models import (
    Application,
    ApplicationStatus,
)
from accreditation.views.access import ReviewerRequiredMixin
from newsroom.organisation import local_datetime
from newsroom.search import contains_text

PAGE_SIZE = 50


def overdue_q(now):
    return Q(status=ApplicationStatus.SUBMITTED, review_due_at__lt=now)


class ApplicationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Статус"),
        choices=[("open", _("Все нерассмотренные")), *ApplicationStatus.choices],
        empty_label=_("Все"),
        method="filter_status",
    )
    year = django_filters.ChoiceFilter(
        label=_("Год аккредитации"), empty_label=_("Все"), widget=forms.Select
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Срок рассмотрения истёк"),
        choices=[("true", _("Да")), ("false", _("Нет"))],
        empty_label=_("Все"),
        widget=forms.RadioSelect,
        method="filter_overdue",
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Application.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(
                status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_CORRECTION]
            )
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)


class StatusColumn(Column):
    cell_template_name = "accreditation/admin/status_cell.html"

    def __init__(self, name, now, **kwargs):
        super().__init__(name, **kwargs)
        self.now = now

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(
            application=instance,
            overdue=instance.is_overdue(self.now),
            due=local_datetime(instance.review_due_at),
        )
        return context


class ApplicationIndexView(ReviewerRequiredMixin, IndexView):
    model = Application
    permission_policy = None
    any_permission_required = None
    template_name = "accreditation/admin/index.html"
    index_url_name = "accreditation:index"
    index_results_url_name = "accreditation:index_results"
    page_title = _("Заявки на аккредитацию")
    header_icon = "group"
    paginate_by = PAGE_SIZE
    filterset_class = ApplicationFilterSet
    search_fields = ["outlet_name", "registration_number", "number", "journalists__full_name"]
    default_ordering = "-created_at"

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def verbose_name_plural(self):
        return _("заявки")

    def get_base_queryset(self):
        return Application.objects.annotate(
            _overdue=Exists(
                Application.objects.filter(pk=OuterRef("pk")).filter(overdue_q(timezone.now()))
            ),
        ).prefetch_related("journalists")

    def order_queryset(self, queryset):
        return queryset.order_by("-_overdue", "review_due_at", "-created_at", "-pk")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(contains_text(self.search_fields, self.search_query)).distinct()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "number",
                label=_("Заявка"),
                accessor=lambda a: f"{a.number} · {a.outlet_name}",
                url_name="accreditation:detail",
                width="30%",
            ),
            Column(
                "journalists",
                label=_("Журналисты"),
                accessor=lambda a: ", ".join(j.full_name for j in a.journalists.all()),
                width="26%",
            ),
            Column("year", label=_("Год"), width="7%"),
            Column(
                "created_at",
                label=_("Подана"),
                accessor=lambda a: local_datetime(a.created_at),
                width="13%",
            ),
            StatusColumn("status", self.now, label=_("Статус и срок"), width="24%"),
        ]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]
