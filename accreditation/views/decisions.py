"""The reviewers' decisions on an application and the actions on a card."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import resolve, reverse
from django.views.decorators.http import require_POST

from wagtail.admin import messages

from accreditation import admin_forms
from accreditation.models import (
    Accreditation,
    Application,
    JournalistDecision,
)
from accreditation.services import decisions
from accreditation.views.access import reviewer_required


def application_page(request, pk, **extra):
    """The application's page as its viewset serves it, with the forms that need correcting."""
    view = resolve(reverse("accreditation:detail", args=[pk])).func
    return view(request, pk=pk, **extra)


DECISION_FORMS = {
    "approve": admin_forms.ApproveForm,
    "reject": admin_forms.RejectForm,
    "correction": admin_forms.CorrectionForm,
}
DONE_MESSAGES = {
    "approve": "Аккредитация предоставлена, заявителю отправлено письмо.",
    "reject": "Отказ записан, заявителю отправлено письмо.",
    "correction": "Заявка возвращена на исправление, заявителю отправлено письмо.",
}


@reviewer_required
@require_POST
def decide(request, pk, action):
    if action not in DECISION_FORMS:
        raise Http404
    application = get_object_or_404(Application, pk=pk)
    pending = list(application.journalists.filter(decision=JournalistDecision.PENDING))
    form_class = DECISION_FORMS[action]
    kwargs = {"prefix": action}
    if action != "correction":
        kwargs["pending"] = pending
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            if action == "approve":
                decisions.approve(application, request.user, form.journalist_ids())
            elif action == "reject":
                decisions.reject(
                    application, request.user, form.cleaned_data["reason"], form.journalist_ids()
                )
            else:
                decisions.ask_correction(application, request.user, form.cleaned_data["comment"])
        except decisions.DecisionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect("accreditation:detail", pk=application.pk)
    else:
        messages.error(request, "Решение не записано: исправьте отмеченные поля.")
    request.method = "GET"
    return application_page(request, pk, forms={action: form})


@reviewer_required
@require_POST
def card_action(request, pk, action):
    card = get_object_or_404(Accreditation.objects.select_related("journalist"), pk=pk)
    application_pk = card.journalist.application_id
    if action == "revoke":
        form = admin_forms.RevokeForm(request.POST, prefix=f"revoke{card.pk}")
        if form.is_valid():
            try:
                decisions.revoke(
                    card,
                    request.user,
                    form.cleaned_data["ground"],
                    form.cleaned_data["details"],
                    form.cleaned_data["court_decision"],
                )
            except decisions.DecisionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Аккредитация № {card.number} отозвана.")
                return redirect("accreditation:detail", pk=application_pk)
        extra = {"revoke_forms": {card.pk: form}}
    elif action == "returned":
        form = admin_forms.ReturnForm(request.POST, prefix=f"return{card.pk}")
        if form.is_valid():
            try:
                decisions.record_return(
                    card, request.user, form.cleaned_data["returned_on"], form.cleaned_data["note"]
                )
            except decisions.DecisionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Возврат карточки № {card.number} отмечен.")
                return redirect("accreditation:detail", pk=application_pk)
        extra = {"return_forms": {card.pk: form}}
    else:
        raise Http404
    messages.error(request, "Действие не выполнено: исправьте отмеченные поля.")
    request.method = "GET"
    return application_page(request, application_pk, **extra)
