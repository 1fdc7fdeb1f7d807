"""A journalist's files and card, and one person's data: export, withdrawn consent, erasure."""

import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accreditation import admin_forms
from accreditation.models import (
    Accreditation,
    CardState,
    Journalist,
)
from accreditation.permissions import is_reviewer
from accreditation.services import personal_data
from accreditation.views.access import ReviewerRequiredMixin, reviewer_required
from accreditation.views.public import pdf_response
from newsroom.http import forbidden


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
    return redirect("accreditation:detail", pk=journalist.application_id)


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
        # The viewset gives Home › the queue.
        return self.breadcrumbs_items + [
            {
                "url": reverse("accreditation:detail", args=[application.pk]),
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
            return redirect("accreditation:detail", pk=self.journalist.application_id)
        return self.render(admin_forms.EraseForm())

    def post(self, request, pk):
        form = admin_forms.EraseForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        personal_data.erase(self.journalist, request.user, form.cleaned_data["reason"])
        messages.success(request, "Персональные данные и файлы журналиста удалены.")
        return redirect("accreditation:detail", pk=self.journalist.application_id)
