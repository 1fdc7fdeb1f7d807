"""One application: its journalists, files, consents and the forms of the decisions."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accreditation import admin_forms
from accreditation.models import (
    Application,
    ApplicationStatus,
    CardState,
    JournalistDecision,
)
from accreditation.permissions import is_reviewer
from accreditation.views.access import ReviewerRequiredMixin
from newsroom.http import forbidden
from newsroom.organisation import local_datetime


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
        # The viewset gives Home › the queue.
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

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
