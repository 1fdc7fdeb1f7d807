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
            from newsroom.style_review import review_page

            context = super().get_context_data(parent_context)
            context["check_url"] = reverse("newsroom_style_check")
            context["report"] = review_page(self.instance) if self.instance.pk else None
            context["field_labels"] = FIELD_LABELS
            return context
