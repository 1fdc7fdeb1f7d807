"""What a person does from the case screens: the actions of the case page (each a POST answered
with a message) and the manual entry of a new message."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsroom.casework.rules.lifecycle import Status
from newsroom.casework.services import answers as answer_service
from newsroom.casework.services import cases as case_service
from newsroom.organisation import local_datetime

from .common import CaseAccessMixin, OrganisationTimeMixin, actions_for, answer_edit_url, person
from .forms import (
    CaseCreateForm,
    CommentForm,
    ExtendForm,
    NoAnswerForm,
    PostAnswerForm,
    RecomputeForm,
    RouteForm,
)


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
        back = reverse("cases:detail", args=(case.pk,))
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
        # The viewset gives Home › «Все обращения».
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

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
        return redirect("cases:detail", case.pk)

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("Сообщение не сохранено: исправьте ошибки."), form
        )
        return super().form_invalid(form)
