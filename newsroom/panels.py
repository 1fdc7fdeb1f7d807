from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

FIELD_LABELS = {"title": _("Заголовок"), "lead": _("Лид"), "body": _("Текст")}


class StyleCheckPanel(Panel):
    """Shows the bureaucratese found in the news item and a readability figure.

    The first result is computed from the saved draft; «Проверить» re-checks what is in the form
    now, without saving.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/style_check.html"

        def get_context_data(self, parent_context=None):
            from newsroom.news_style import review_page

            context = super().get_context_data(parent_context)
            context["check_url"] = reverse("newsroom_style_check")
            context["report"] = review_page(self.instance) if self.instance.pk else None
            context["field_labels"] = FIELD_LABELS
            return context


class AnswerChecklistPanel(Panel):
    """The R12 checklist and the style check of an official answer, for its author and reviewers."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/answer_checklist.html"

        def get_context_data(self, parent_context=None):
            from newsroom.casework.rules.answer_check import check_answer
            from newsroom.news_style import review_fields

            context = super().get_context_data(parent_context)
            answer = self.instance
            if not answer.pk or not answer.text:
                context["hints"] = None
                return context
            context["hints"] = check_answer(
                text=answer.text,
                measures_taken=answer.measures_taken,
                stages_and_terms=answer.stages_and_terms,
                legal_basis=answer.legal_basis,
                attachments=len(answer.attachments.all()),
                network=answer.case.network,
                is_repeat=answer.case.repeated_of_id is not None,
            )
            context["report"] = review_fields(body=answer.text)
            context["field_labels"] = {"body": _("Ответ")}
            return context
