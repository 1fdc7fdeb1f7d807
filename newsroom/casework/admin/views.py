"""Admin screens of citizens' messages: the lists, the case page with its actions, manual entry.

Every screen works in the organisation's time zone (its settings, else ``TIME_ZONE``): times are
shown and typed in as the curator's office sees them on the wall clock.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case as Conditional
from django.db.models import F, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from newsroom.casework.access import case_roles, sees_all_cases
from newsroom.casework.rules.lifecycle import STATUS_LABELS, TRANSITIONS, Role, Status, available
from newsroom.casework.services import answers as answer_service
from newsroom.casework.services import cases as case_service
from newsroom.models import Answer, Case, CaseNotification, NoAnswerReason
from newsroom.organisation import local_datetime, organisation_zone
from newsroom.search import contains_text

from .filters import CaseFilterSet, Due, MyCaseFilterSet, due_state, executor_label, open_q
from .forms import (
    CaseCreateForm,
    CommentForm,
    ExtendForm,
    NoAnswerForm,
    PostAnswerForm,
    RecomputeForm,
    RouteForm,
)

DEADLINE_NOTE = gettext_lazy(
    "Сроки в рабочих часах считаются по графику организации и производственному календарю; "
    "сроки в календарных часах и днях — подряд. Время указано по часовому поясу организации"
)
LIST_PAGE_SIZE = 50

# The deadlines of a case, in the order they come, and those that run in each status
# (the same as newsroom.casework.services.cases.refresh_next_due).
DEADLINES = [
    ("routing_due", gettext_lazy("Назначить исполнителя до")),
    ("draft_due", gettext_lazy("Проект ответа до")),
    ("forward_due", gettext_lazy("Передать куратору до")),
    ("rework_due", gettext_lazy("Доработать до")),
    ("answer_due", gettext_lazy("Ответить до")),
    ("final_due", gettext_lazy("Окончательный ответ до")),
]
RUNNING_DEADLINES = {
    Status.NEW: {"routing_due", "answer_due"},
    Status.ROUTED: {"draft_due", "answer_due"},
    Status.DRAFTING: {"draft_due", "answer_due"},
    Status.REWORK: {"rework_due", "answer_due"},
    Status.PRESS_REVIEW: {"forward_due", "answer_due"},
    Status.CURATOR_REVIEW: {"answer_due"},
    Status.APPROVED: {"answer_due"},
    Status.NO_ANSWER_PROPOSED: {"answer_due"},
    Status.AWAITING_FINAL: {"final_due"},
}
EVENT_LABELS = {
    "registered": gettext_lazy("Зарегистрировано"),
    "linked_repeat": gettext_lazy("Связано с первым сообщением (R11)"),
    "extended": gettext_lazy("Срок продлён (59-ФЗ)"),
    "recomputed": gettext_lazy("Сроки пересчитаны"),
}
SOURCE_LABELS = {"manual": gettext_lazy("введено вручную")}
WORKFLOW_STEPS = {
    "submit_draft",
    "press_approve",
    "press_return",
    "curator_approve",
    "curator_return",
}


def person(user):
    return executor_label(user) if user is not None else ""


def answer_edit_url(answer):
    return reverse(Answer.snippet_viewset.get_url_name("edit"), args=[answer.pk])


def visible_cases(user):
    return Case.objects.visible_to(user)


def open_first(queryset):
    return queryset.annotate(
        _closed=Conditional(
            When(open_q(), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )


class OrganisationTimeMixin:
    """Runs the view, and renders its response, in the organisation's time zone."""

    def dispatch(self, request, *args, **kwargs):
        self.zone = organisation_zone()
        with timezone.override(self.zone):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deadline_note"] = DEADLINE_NOTE
        context["zone_name"] = str(self.zone)
        return context


# The list of cases.


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

    model = Case
    permission_policy = None
    any_permission_required = None
    template_name = "newsroom/inbox/case_index.html"
    index_url_name = "newsroom_cases"
    index_results_url_name = "newsroom_cases_results"
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
                url_name="newsroom_case",
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
            return reverse("newsroom_case_create")

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

    index_url_name = "newsroom_my_cases"
    index_results_url_name = "newsroom_my_cases_results"
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


# One case.


def deadline_rows(case, now):
    running = RUNNING_DEADLINES.get(case.status_enum, set()) if case.is_open else set()
    rows = []
    for field, label in DEADLINES:
        value = getattr(case, field)
        if value is None:
            continue
        is_running = field in running
        state = due_state(value, now) if is_running else Due.NONE
        rows.append(
            {
                "label": label,
                "when": local_datetime(value),
                "running": is_running,
                "state": state,
                "state_label": Due.LABELS[state] if is_running else _("не текущий этап"),
            }
        )
    return rows


def event_label(event):
    if event.action in TRANSITIONS:
        return TRANSITIONS[event.action].label
    return EVENT_LABELS.get(event.action, event.action)


def status_label(value):
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value


def answer_state(answer):
    if answer.live:
        return _("Согласован и опубликован"), "approved"
    task = answer.current_workflow_task if answer.workflow_in_progress else None
    if task is not None:
        return _("На согласовании: %(task)s") % {"task": task.name}, "in-review"
    return _("Черновик"), "draft"


class CaseAccessMixin:
    """The case, if the user may see it; an executor gets 404 for another executor's case."""

    def get_case(self):
        queryset = visible_cases(self.request.user).select_related(
            "executor", "unit", "profile", "routed_by", "repeated_of"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


def actions_for(user, case):
    """What the user may do on the case page: lifecycle steps plus the extra case operations."""
    roles = case_roles(user, case)
    names = {t.name for t in available(case.status_enum, roles)}
    status = case.status_enum
    can = {
        "route": "route" in names,
        "reroute": "reroute" in names,
        "post_answer": "post_answer" in names,
        "propose_no_answer": "propose_no_answer" in names,
        "confirm_no_answer": "confirm_no_answer" in names,
        "reject_no_answer": "reject_no_answer" in names,
        "start_answer": Role.EXECUTOR in roles
        and status in {Status.ROUTED, Status.AWAITING_FINAL, Status.DRAFTING, Status.REWORK},
        "extend": case.is_open
        and case.is_appeal
        and not case.appeal_extended_at
        and bool(roles & {Role.CURATOR, Role.EDITOR, Role.ADMIN}),
        "recompute": case.is_open and bool(roles & {Role.CURATOR, Role.ADMIN}),
    }
    can["workflow"] = bool(names & WORKFLOW_STEPS)
    return can, roles


class CaseDetailView(
    OrganisationTimeMixin, CaseAccessMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "newsroom/inbox/case_detail.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.case = self.get_case()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Сообщение № %(n)s") % {"n": self.case.pk}

    def get_breadcrumbs_items(self):
        user = self.request.user
        if sees_all_cases(user):
            parent = {"url": reverse("newsroom_cases"), "label": _("Все обращения")}
        else:
            parent = {"url": reverse("newsroom_my_cases"), "label": _("Мои обращения")}
        return self.breadcrumbs_items + [parent, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        CaseNotification.objects.filter(
            case=self.case, recipient=request.user, read_at__isnull=True
        ).update(read_at=timezone.now())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user, now = self.case, self.request.user, timezone.now()
        can, roles = actions_for(user, case)
        state = due_state(case.next_due, now, is_open=case.is_open)

        answers = []
        for answer in case.answers.order_by("pk"):
            label, key = answer_state(answer)
            answers.append(
                {
                    "answer": answer,
                    "state": label,
                    "state_key": key,
                    "edit_url": answer_edit_url(answer),
                    "updated": local_datetime(answer.last_published_at) if answer.live else "",
                }
            )

        events = [
            {
                "when": local_datetime(event.created_at),
                "actor": person(event.actor) or _("система"),
                "label": event_label(event),
                "from": status_label(event.from_status) if event.from_status else "",
                "to": status_label(event.to_status) if event.to_status else "",
                "comment": event.comment,
            }
            for event in case.events.select_related("actor")
        ]

        notifications = case.notifications.select_related("recipient").order_by("-sent_at")
        if not sees_all_cases(user):
            notifications = notifications.filter(recipient=user)

        forms = {}
        if can["route"] or can["reroute"]:
            suggestions = [
                (executor, reason)
                for executor, reason in case_service.suggest_executors(case)
                if executor.pk != case.executor_id  # rerouting: someone else
            ]
            forms["route"] = RouteForm(suggestions=suggestions)
        if can["post_answer"]:
            forms["post_answer"] = PostAnswerForm()
        if can["propose_no_answer"]:
            forms["propose_no_answer"] = NoAnswerForm()
        if can["confirm_no_answer"]:
            forms["confirm_no_answer"] = CommentForm(prefix="confirm")
        if can["reject_no_answer"]:
            forms["reject_no_answer"] = CommentForm(prefix="reject")
        if can["extend"]:
            forms["extend"] = ExtendForm()
        if can["recompute"]:
            forms["recompute"] = RecomputeForm()

        context.update(
            case=case,
            can=can,
            has_actions=any(can.values()),
            roles=sorted(roles),
            forms=forms,
            urls={name: reverse("newsroom_case_action", args=(case.pk, name)) for name in ACTIONS},
            due={"state": state, "label": Due.LABELS[state], "when": local_datetime(case.next_due)},
            deadlines=deadline_rows(case, now),
            times=[
                (_("Опубликовано"), local_datetime(case.published_at)),
                (_("Выявлено"), local_datetime(case.detected_at)),
                (_("Получено от куратора"), local_datetime(case.received_at)),
                (_("Отсчёт срока с"), local_datetime(case.clock_started_at)),
                (_("Зарегистрировано"), local_datetime(case.created_at)),
                (_("Ответ размещён"), local_datetime(case.answered_at)),
                (_("Промежуточный ответ"), local_datetime(case.interim_answered_at)),
                (_("Срок продлён"), local_datetime(case.appeal_extended_at)),
            ],
            answers=answers,
            live_answer=next((a for a in answers if a["answer"].live), None),
            current_answer=next((a for a in reversed(answers) if not a["answer"].live), None),
            events=events,
            notifications=[
                {
                    "recipient": person(n.recipient),
                    "message": n.message,
                    "sent": local_datetime(n.sent_at),
                    "read": local_datetime(n.read_at),
                }
                for n in notifications
            ],
            status_label=status_label(case.status),
            source_label=SOURCE_LABELS.get(case.source, case.source),
            executor=person(case.executor),
            routed_by=person(case.routed_by),
            no_answer_reason=NoAnswerReason(case.no_answer_reason).label
            if case.no_answer_reason
            else "",
            start_answer_label=_("Продолжить подготовку ответа")
            if case.status_enum in {Status.DRAFTING, Status.REWORK}
            else _("Начать подготовку ответа"),
        )
        return context


# Actions of the case page: one view, each action a POST, each answered with a message.


def _route(request, case, action):
    form = RouteForm(request.POST)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    updated = case_service.apply(
        case.pk,
        action,
        request.user,
        comment=data["comment"],
        executor=data["executor"],
        unit=data["unit"],
    )
    return _("Исполнитель назначен: %(who)s.") % {"who": person(updated.executor)}


def _post_answer(request, case, action):
    form = PostAnswerForm(request.POST)
    if not form.is_valid():
        return form
    updated = case_service.apply(
        case.pk,
        action,
        request.user,
        comment=form.cleaned_data["comment"],
        answer_url=form.cleaned_data["answer_url"],
    )
    if updated.status_enum == Status.AWAITING_FINAL:
        return _(
            "Промежуточный ответ отмечен размещённым. Окончательный ответ нужен до %(due)s."
        ) % {"due": local_datetime(updated.final_due)}
    return _("Ответ отмечен размещённым.")


def _propose_no_answer(request, case, action):
    form = NoAnswerForm(request.POST)
    if not form.is_valid():
        return form
    case_service.apply(
        case.pk,
        action,
        request.user,
        comment=form.cleaned_data["comment"],
        reason=form.cleaned_data["reason"],
    )
    return _("Предложено оставить сообщение без ответа; решение за куратором.")


def _decide_no_answer(request, case, action):
    prefix = "confirm" if action == "confirm_no_answer" else "reject"
    form = CommentForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return form
    case_service.apply(case.pk, action, request.user, comment=form.cleaned_data["comment"])
    if action == "confirm_no_answer":
        return _("Сообщение оставлено без ответа.")
    return _("Предложение отклонено: на сообщение нужно ответить.")


def _extend(request, case, action):
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return form
    updated = case_service.extend_appeal(case.pk, request.user, form.cleaned_data["notice"])
    return _("Срок продлён до %(due)s.") % {"due": local_datetime(updated.answer_due)}


def _recompute(request, case, action):
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        return form
    updated = case_service.recompute_deadlines(case.pk, request.user)
    return _("Сроки пересчитаны по регламенту «%(profile)s»: ответить до %(due)s.") % {
        "profile": updated.profile,
        "due": local_datetime(updated.answer_due),
    }


def _start_answer(request, case, action):
    can, _roles = actions_for(request.user, case)
    if not can["start_answer"]:
        raise case_service.CaseError(_("Готовит ответ исполнитель, назначенный на это сообщение."))
    answer = answer_service.start_answer(case.pk, request.user)
    return redirect(answer_edit_url(answer))


ACTIONS = {
    "route": _route,
    "reroute": _route,
    "start_answer": _start_answer,
    "post_answer": _post_answer,
    "propose_no_answer": _propose_no_answer,
    "confirm_no_answer": _decide_no_answer,
    "reject_no_answer": _decide_no_answer,
    "extend": _extend,
    "recompute": _recompute,
}


class CaseActionView(OrganisationTimeMixin, CaseAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        handler = ACTIONS.get(action)
        if handler is None:
            raise Http404
        case = self.get_case()
        back = reverse("newsroom_case", args=(case.pk,))
        try:
            result = handler(request, case, action)
        except case_service.CaseError as error:
            messages.error(request, str(error))
            return redirect(back)
        if hasattr(result, "errors"):  # an invalid form
            errors = [str(e) for field_errors in result.errors.values() for e in field_errors]
            messages.error(request, " ".join(errors) or _("Проверьте заполнение формы."))
            return redirect(back)
        if isinstance(result, str):
            messages.success(request, result)
            return redirect(back)
        return result


# Manual entry.


class CaseCreateView(OrganisationTimeMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "newsroom/inbox/case_create.html"
    form_class = CaseCreateForm
    page_title = gettext_lazy("Новое сообщение")
    header_icon = "plus"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("newsroom.add_case"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("newsroom_cases"), "label": _("Все обращения")},
            {"url": "", "label": self.get_page_title()},
        ]

    def form_valid(self, form):
        case, created = case_service.register_case(
            dict(form.cleaned_data), source="manual", actor=self.request.user
        )
        messages.success(
            self.request, _("Сообщение зарегистрировано под № %(n)s.") % {"n": case.pk}
        )
        if case.repeated_of_id:
            messages.warning(
                self.request,
                _("Похоже на повтор сообщения № %(n)s: ответ должен сообщать о принятых мерах.")
                % {"n": case.repeated_of_id},
            )
        return redirect("newsroom_case", case.pk)

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("Сообщение не сохранено: исправьте ошибки."), form
        )
        return super().form_invalid(form)
