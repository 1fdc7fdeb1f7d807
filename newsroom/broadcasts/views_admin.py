"""The speaker's sheet: the questions picked for a broadcast, grouped by topic, ready to print."""

from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsroom.models import EventPage, QuestionStatus


class SpeakerSheetView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsroom/broadcasts/speaker_sheet.html"
    page_title = _("Вопросы для ведущего")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("newsroom.view_broadcastquestion"):
            raise PermissionDenied
        self.event = get_object_or_404(EventPage, pk=kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {
                "url": reverse("wagtailsnippets_newsroom_broadcastquestion:list")
                + f"?event={self.event.pk}",
                "label": _("Вопросы к эфирам"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        picked = self.event.questions.filter(status=QuestionStatus.PICKED).order_by(
            "topic", "submitted_at", "pk"
        )
        context["event"] = self.event
        context["groups"] = [
            (topic or _("Без темы"), list(items))
            for topic, items in groupby(picked, key=lambda q: q.topic)
        ]
        context["waiting"] = self.event.questions.filter(status=QuestionStatus.NEW).count()
        return context
