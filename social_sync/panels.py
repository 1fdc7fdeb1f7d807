from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, Panel

from social_sync.models import OutboxItem
from social_sync.permissions import can_manage_social


class CrosspostStatusPanel(Panel):
    """Where the page went: one line per account and action, with links and a retry button."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "social_sync/panels/crosspost_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            rows = []
            if page.pk:
                rows = list(
                    OutboxItem.objects.filter(page_id=page.pk)
                    .select_related("account")
                    .order_by("account__name", "created_at")
                )
            context["rows"] = rows
            context["can_retry"] = can_manage_social(self.request.user)
            context["next_url"] = self.request.get_full_path()
            return context


def crosspost_panels():
    return [
        FieldPanel("social_skip", heading=_("Отправить в соцсети")),
        CrosspostStatusPanel(heading=_("Отправка в соцсети")),
    ]
