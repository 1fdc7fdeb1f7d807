"""The reviewers' admin screens: the queue, one application with its files and decisions, the
card, one person's export and erasure.

Only the «Аккредитация» group and superusers reach any of them: everyone else signed in gets
403 (guessing a number or a file's address included), anonymous visitors Wagtail's login page.
"""

import functools
import mimetypes

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin

import django_filters

from accreditation import admin_forms
from accreditation.models import (
    Accreditation,
    Application,
    ApplicationStatus,
    CardState,
    Journalist,
    JournalistDecision,
)
from accreditation.permissions import is_reviewer
from accreditation.services import decisions, personal_data
from accreditation.views.public import pdf_response
from newsroom.http import forbidden
from newsroom.organisation import local_datetime
from newsroom.search import contains_text

PAGE_SIZE = 50


def reviewer_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


# The queue ---------------------------------------------------------------------------------


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
    index_url_name = "accreditation_applications"
    index_results_url_name = "accreditation_applications_results"
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
                url_name="accreditation_application",
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


# One application ---------------------------------------------------------------------------


class ApplicationDetailView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accreditation/admin/application.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        self.application = get_object_or_404(Application, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Заявка {self.application.number}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("accreditation_applications"), "label": _("Заявки на аккредитацию")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        journalists = list(
            application.journalists.select_related("accreditation", "decided_by").prefetch_related(
                "consents__text"
            )
        )
        pending = [j for j in journalists if j.decision == JournalistDecision.PENDING]
        reviewing = application.status == ApplicationStatus.SUBMITTED
        decided_any = any(j.decision != JournalistDecision.PENDING for j in journalists)
        forms_ = kwargs.get("forms", {})
        if reviewing and pending:
            forms_.setdefault("approve", admin_forms.ApproveForm(pending=pending, prefix="approve"))
            forms_.setdefault("reject", admin_forms.RejectForm(pending=pending, prefix="reject"))
            if not decided_any:
                forms_.setdefault("correction", admin_forms.CorrectionForm(prefix="correction"))
        cards = []
        for journalist in journalists:
            card = getattr(journalist, "accreditation", None)
            if card is None:
                continue
            state = card.state()
            cards.append(
                {
                    "card": card,
                    "journalist": journalist,
                    "state": state,
                    "revoke_form": kwargs.get("revoke_forms", {}).get(card.pk)
                    or (
                        admin_forms.RevokeForm(prefix=f"revoke{card.pk}")
                        if state == CardState.VALID
                        else None
                    ),
                    "return_form": kwargs.get("return_forms", {}).get(card.pk)
                    or (
                        admin_forms.ReturnForm(prefix=f"return{card.pk}")
                        if state != CardState.VALID and not card.card_returned_at
                        else None
                    ),
                }
            )
        context.update(
            application=application,
            journalists=journalists,
            cards=cards,
            forms=forms_,
            overdue=application.is_overdue(),
            due=local_datetime(application.review_due_at),
            log=[
                {
                    "when": local_datetime(entry.created_at),
                    "who": entry.actor_label,
                    "what": entry.get_action_display(),
                    "journalist": entry.journalist.full_name if entry.journalist else "",
                    "comment": entry.comment,
                }
                for entry in application.log.select_related("journalist")
            ],
            local_created=local_datetime(application.created_at),
            local_submitted=local_datetime(application.submitted_at),
            local_decided=local_datetime(application.decided_at),
        )
        return context


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
            return redirect("accreditation_application", pk=application.pk)
    else:
        messages.error(request, "Решение не записано: исправьте отмеченные поля.")
    view = ApplicationDetailView.as_view()
    request.method = "GET"
    response = view(request, pk=pk, forms={action: form})
    return response


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
                return redirect("accreditation_application", pk=application_pk)
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
                return redirect("accreditation_application", pk=application_pk)
        extra = {"return_forms": {card.pk: form}}
    else:
        raise Http404
    messages.error(request, "Действие не выполнено: исправьте отмеченные поля.")
    request.method = "GET"
    return ApplicationDetailView.as_view()(request, pk=application_pk, **extra)


# Files and cards -----------------------------------------------------------------------------


@reviewer_required
def journalist_file(request, pk, kind):
    if kind not in ("photo", "letter"):
        raise Http404
    journalist = get_object_or_404(Journalist, pk=pk)
    field = getattr(journalist, kind)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = (
        journalist.letter_content_type
        if kind == "letter" and journalist.letter_content_type
        else mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    )
    extension = field.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=f"{kind}-{journalist.application.number}-{journalist.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@reviewer_required
def card_pdf(request, pk):
    card = get_object_or_404(
        Accreditation.objects.select_related("journalist__application__page"), pk=pk
    )
    if card.journalist.anonymised_at:
        raise Http404
    response = pdf_response(card)
    response["Cache-Control"] = "private, no-store"
    return response


# One person's data -------------------------------------------------------------------------------


@reviewer_required
@require_POST
def export_person(request, pk):
    journalist = get_object_or_404(Journalist.objects.select_related("application"), pk=pk)
    data = personal_data.export_zip(journalist, request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{journalist.application.number}-{journalist.pk}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@reviewer_required
@require_POST
def withdraw_consent(request, pk):
    journalist = get_object_or_404(Journalist.objects.select_related("application"), pk=pk)
    if personal_data.withdraw_distribution(journalist, request.user, request.POST.get("note", "")):
        messages.success(
            request, "Согласие на распространение отозвано: журналист больше не виден в реестре."
        )
    else:
        messages.warning(request, "Действующего согласия на распространение нет.")
    return redirect("accreditation_application", pk=journalist.application_id)


class ErasePersonView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, View):
    template_name = "accreditation/admin/erase.html"
    header_icon = "bin"
    page_title = _("Удалить персональные данные")

    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        self.journalist = get_object_or_404(
            Journalist.objects.select_related("application", "accreditation"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        application = self.journalist.application
        return self.breadcrumbs_items + [
            {"url": reverse("accreditation_applications"), "label": _("Заявки на аккредитацию")},
            {
                "url": reverse("accreditation_application", args=[application.pk]),
                "label": f"Заявка {application.number}",
            },
            {"url": "", "label": self.page_title},
        ]

    def render(self, form):
        card = getattr(self.journalist, "accreditation", None)
        context = self.get_context_data(
            journalist=self.journalist,
            form=form,
            valid_card=card if card and card.state() == CardState.VALID else None,
        )
        from django.template.response import TemplateResponse

        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        if self.journalist.anonymised_at:
            messages.warning(request, "Персональные данные этого журналиста уже удалены.")
            return redirect("accreditation_application", pk=self.journalist.application_id)
        return self.render(admin_forms.EraseForm())

    def post(self, request, pk):
        form = admin_forms.EraseForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        personal_data.erase(self.journalist, request.user, form.cleaned_data["reason"])
        messages.success(request, "Персональные данные и файлы журналиста удалены.")
        return redirect("accreditation_application", pk=self.journalist.application_id)
