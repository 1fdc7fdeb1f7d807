"""What the case screens share: the organisation's time, who sees a case and what they may do."""

from django.db.models import Case as Conditional
from django.db.models import IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from newsroom.casework.access import case_roles
from newsroom.casework.rules.lifecycle import Role, Status, available
from newsroom.models import Answer, Case
from newsroom.organisation import organisation_zone

from .filters import executor_label, open_q

DEADLINE_NOTE = gettext_lazy(
    "Сроки в рабочих часах считаются по графику организации и производственному календарю; "
    "сроки в календарных часах и днях — подряд. Время указано по часовому поясу организации"
)
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
