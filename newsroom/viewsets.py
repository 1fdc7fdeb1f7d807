import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from newsroom.models import (
    Answer,
    BroadcastQuestion,
    CalendarOverride,
    Case,
    Department,
    MonthlyPlan,
    RegulationProfile,
    StylePhrase,
)
from newsroom.pagination import CountingPaginator
from newsroom.security.choosers import ScopedSnippetViewSet


class DepartmentViewSet(ScopedSnippetViewSet):
    reference_data = True
    model = Department
    icon = "group"
    menu_label = _("Подразделения")
    list_display = ["name", "short_name", "head_name", "phone"]
    search_fields = ["name", "short_name", "head_name"]
    ordering = ["name"]


class StylePhraseViewSet(ScopedSnippetViewSet):
    reference_data = True
    model = StylePhrase
    icon = "edit"
    menu_label = _("Словарь стиля")
    list_display = ["phrase", "suggestion", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["phrase", "suggestion"]


class MonthlyPlanIndexView(snippet_views.IndexView):
    """«Собрать план» takes the place of «Добавить»: a plan starts from the calendar."""

    add_item_label = _("Собрать план на месяц")
    paginator_class = CountingPaginator

    @cached_property
    def add_url(self):
        if not self.request.user.has_perm("newsroom.add_monthlyplan"):
            return None
        return reverse("newsroom_plan_collect")


class PlanReadersOnlyMixin:
    """Wagtail's workflow views of a snippet check the workflow, not the model: a plan's screens
    are for those who may see plans (the press office and administrators), 403 for the rest."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("newsroom.view_monthlyplan"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MonthlyPlanViewSet(ScopedSnippetViewSet):
    model = MonthlyPlan
    icon = "date"
    menu_label = _("Планы мероприятий")
    index_view_class = MonthlyPlanIndexView
    list_display = ["__str__", LiveStatusTagColumn(), UpdatedAtColumn()]
    ordering = ["-month"]


@functools.cache
def _plan_guarded(view_class):
    if issubclass(view_class, PlanReadersOnlyMixin):
        return view_class
    return type(f"Plan{view_class.__name__}", (PlanReadersOnlyMixin, view_class), {})


for _name in (
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "workflow_action_view_class",
    "workflow_history_detail_view_class",
    "workflow_history_view_class",
    "workflow_preview_view_class",
):
    setattr(
        MonthlyPlanViewSet,
        _name,
        property(
            lambda self, name=_name: _plan_guarded(getattr(super(MonthlyPlanViewSet, self), name))
        ),
    )


class BroadcastQuestionIndexView(snippet_views.IndexView):
    paginator_class = CountingPaginator


class BroadcastQuestionViewSet(ScopedSnippetViewSet):
    """The press office groups the questions by topic and picks them for the speaker; after the
    broadcast it writes the short answers published on the broadcast's page."""

    model = BroadcastQuestion
    icon = "help"
    menu_label = _("Вопросы к эфирам")
    index_view_class = BroadcastQuestionIndexView
    list_display = ["text", "name", "settlement", "topic", "status", "submitted_at"]
    list_filter = ["status", "topic", "event"]
    search_fields = ["text", "name", "settlement"]
    ordering = ["event", "topic", "submitted_at"]
    list_per_page = 100


class NewsroomViewSetGroup(SnippetViewSetGroup):
    items = (DepartmentViewSet, StylePhraseViewSet, MonthlyPlanViewSet, BroadcastQuestionViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Редакция")
    menu_name = "newsroom"


def visible_answers(user):
    return Answer.objects.filter(case__in=Case.objects.visible_to(user).values("pk"))


class AnswerViewSet(ScopedSnippetViewSet):
    model = Answer
    icon = "mail"
    menu_label = _("Ответы на сообщения")
    list_display = ["__str__", "kind", UpdatedAtColumn(), LiveStatusTagColumn()]
    list_filter = ["kind", "live"]
    search_fields = ["text"]

    def visible_to(self, user):
        return visible_answers(user).select_related("case")


class VisibleCaseMixin:
    """Every view of one answer is open only to those who may see its case (404 otherwise)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not Case.objects.visible_to(self.request.user).filter(pk=obj.case_id).exists():
            raise Http404
        return obj


class UnchangedApprovalMixin:
    """Approving from the answer editor saves no revision when nothing was changed.

    Wagtail's snippet editor saves one on every workflow action; with re-approval on edit, an
    unchanged save would send the answer back to the first review and the approval would be lost.
    The page editor already behaves like this.
    """

    def save_instance(self):
        if self.action == "workflow-action" and not self.form.has_changed():
            self.new_revision = None
            return self.object
        return super().save_instance()


@functools.cache
def _guarded(view_class):
    if issubclass(view_class, VisibleCaseMixin):
        return view_class  # built from an already guarded view (revert is made from edit)
    mixins = (VisibleCaseMixin,)
    if hasattr(view_class, "save_instance") and hasattr(view_class, "workflow_action_action"):
        mixins = (VisibleCaseMixin, UnchangedApprovalMixin)
    return type(f"Answer{view_class.__name__}", (*mixins, view_class), {})


def _base_view(viewset, name):
    return getattr(super(AnswerViewSet, viewset), name)


# Wagtail checks permissions of snippet views per model; answers need them per case.
for _name in (
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "delete_view_class",
    "edit_view_class",
    "history_view_class",
    "inspect_view_class",
    "lock_view_class",
    "preview_on_edit_view_class",
    "revisions_compare_view_class",
    "revisions_revert_view_class",
    "revisions_unschedule_view_class",
    "revisions_view_class",
    "unlock_view_class",
    "unpublish_view_class",
    "usage_view_class",
    "workflow_action_view_class",
    "workflow_history_detail_view_class",
    "workflow_history_view_class",
    "workflow_preview_view_class",
):
    setattr(
        AnswerViewSet, _name, property(lambda self, name=_name: _guarded(_base_view(self, name)))
    )


class RegulationProfileViewSet(ScopedSnippetViewSet):
    reference_data = True
    model = RegulationProfile
    icon = "clipboard-list"
    menu_label = _("Профили регламентов")
    list_display = ["name", "scope", "clock_start", "answer_amount", "answer_unit"]


class CalendarOverrideViewSet(ScopedSnippetViewSet):
    reference_data = True
    model = CalendarOverride
    icon = "calendar-alt"
    menu_label = _("Производственный календарь")
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]


class RegulationViewSetGroup(SnippetViewSetGroup):
    items = (AnswerViewSet, RegulationProfileViewSet, CalendarOverrideViewSet)
    menu_icon = "clipboard-list"
    menu_label = _("Регламент")
    menu_name = "regulation"
