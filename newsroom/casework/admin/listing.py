"""The lists of cases: «Все обращения» and the executor's «Мои обращения»."""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from newsroom.casework.access import sees_all_cases
from newsroom.models import Case
from newsroom.organisation import local_datetime
from newsroom.pagination import CountingPaginator
from newsroom.search import contains_text

from .common import OrganisationTimeMixin, open_first, person, visible_cases
from .filters import CaseFilterSet, Due, MyCaseFilterSet, due_state

LIST_PAGE_SIZE = 50


class CaseTable(Table):
    """Each row is coloured by the state of the case's nearest deadline."""

    now = None

    def get_row_classname(self, instance):
        state = due_state(instance.next_due, self.now, is_open=instance.is_open)
        return f"case-row case-row--{state}"


class DueColumn(Column):
    cell_template_name = "newsroom/inbox/due_cell.html"

    def __init__(self, name, now, **kwargs):
        super().__init__(name, **kwargs)
        self.now = now

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        state = due_state(instance.next_due, self.now, is_open=instance.is_open)
        context.update(
            state=state,
            state_label=Due.LABELS[state],
            when=local_datetime(instance.next_due),
            closed=not instance.is_open,
        )
        return context


class StackedColumn(Column):
    """A value with a second, quieter line under it (the author under the network)."""

    cell_template_name = "newsroom/inbox/stacked_cell.html"

    def __init__(self, name, *, secondary, **kwargs):
        super().__init__(name, **kwargs)
        self.secondary = secondary

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["secondary"] = self.secondary(instance)
        return context


class KindColumn(Column):
    cell_template_name = "newsroom/inbox/kind_cell.html"


class CaseIndexView(OrganisationTimeMixin, IndexView):
    """«Все обращения»: every case, for curators, the press office and administrators."""

    paginator_class = CountingPaginator
    model = Case
    permission_policy = None
    any_permission_required = None
    template_name = "newsroom/inbox/case_index.html"
    index_url_name = "cases:index"
    index_results_url_name = "cases:index_results"
    page_title = gettext_lazy("Все обращения")
    header_icon = "mail"
    paginate_by = LIST_PAGE_SIZE
    filterset_class = CaseFilterSet
    search_fields = ["text", "author_name", "author_id"]
    default_ordering = "next_due"
    table_class = CaseTable
    table_classname = "listing case-listing"

    def dispatch(self, request, *args, **kwargs):
        self.check_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    def check_access(self, user):
        if not sees_all_cases(user):
            raise PermissionDenied

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def verbose_name_plural(self):
        return _("обращения")

    def get_base_queryset(self):
        return visible_cases(self.request.user).select_related("executor", "unit", "profile")

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        if ordering == "next_due":
            # Closed cases have no next deadline, so «nearest deadline first, none last» already
            # puts open cases first, and the database can read it straight from the index.
            return queryset.order_by(F("next_due").asc(nulls_last=True), "-pk")
        field = ordering.lstrip("-")
        expression = F(field).desc(nulls_last=True) if ordering.startswith("-") else None
        expression = expression or F(field).asc(nulls_last=True)
        return open_first(queryset).order_by("_closed", expression, "-detected_at", "-pk")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(contains_text(self.search_fields, self.search_query))

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "text",
                label=_("Сообщение"),
                accessor=lambda case: f"№ {case.pk}. {Truncator(case.text).chars(90)}",
                url_name="cases:detail",
                width="28%",
            ),
            StackedColumn(
                "network",
                label=_("Сеть, автор"),
                accessor="get_network_display",
                secondary=lambda c: c.author_name,
                width="13%",
            ),
            KindColumn("kind", label=_("Вид"), accessor="get_kind_display", width="11%"),
            Column("status", label=_("Статус"), accessor="get_status_display", width="12%"),
            StackedColumn(
                "executor",
                label=_("Исполнитель"),
                accessor=lambda c: person(c.executor) or "—",
                secondary=lambda c: c.unit.short_name if c.unit else "",
                width="13%",
            ),
            Column(
                "detected_at",
                label=_("Выявлено"),
                accessor=lambda c: local_datetime(c.detected_at),
                sort_key="detected_at",
                classname="case-nowrap",
                width="11%",
            ),
            DueColumn(
                "next_due", self.now, label=_("Ближайший срок"), sort_key="next_due", width="12%"
            ),
        ]

    def get_table(self, object_list):
        table = super().get_table(object_list)
        table.now = self.now
        return table

    def get_add_url(self):
        if self.request.user.has_perm("newsroom.add_case"):
            return reverse("cases:add")

    @cached_property
    def add_button(self):
        return HeaderButton(_("Новое сообщение"), url=self.add_url, icon_name="plus")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["due_legend"] = [
            (state, Due.LABELS[state]) for state in (Due.ON_TIME, Due.AT_RISK, Due.OVERDUE)
        ]
        return context


class MyCasesView(CaseIndexView):
    """«Мои обращения»: the executor's own cases, open ones first, the nearest deadline first."""

    index_url_name = "my_cases:index"
    index_results_url_name = "my_cases:index_results"
    page_title = gettext_lazy("Мои обращения")
    filterset_class = MyCaseFilterSet

    def check_access(self, user):
        pass  # everyone sees their own cases; for most people the list is empty

    def get_base_queryset(self):
        return super().get_base_queryset().filter(executor=self.request.user)

    @cached_property
    def columns(self):
        return [c for c in super().columns if c.name != "executor"]

    def get_add_url(self):
        return None
