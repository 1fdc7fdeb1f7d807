from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

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


class SocialPreviewPanel(Panel):
    """The post as each network will show it, redrawn from the form as the editor types, with
    the style check of the social text."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "social_sync/panels/social_preview.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            parent = getattr(self.form, "parent_page", None)
            context["preview_url"] = reverse("social_sync:preview")
            context["page_id"] = page.pk or ""
            context["parent_id"] = parent.pk if parent is not None and not page.pk else ""
            context["page_type"] = page._meta.label_lower
            return context


NETWORK_PANELS = [
    ("vk", _("ВКонтакте")),
    ("ok", _("Одноклассники")),
    ("telegram", _("Telegram")),
    ("max", _("MAX")),
]


def crosspost_panels():
    per_network = [
        MultiFieldPanel(
            [FieldPanel(f"social_text_{network}"), FieldPanel(f"social_at_{network}")],
            heading=label,
            classname="collapsed",
        )
        for network, label in NETWORK_PANELS
    ]
    return [
        MultiFieldPanel(
            [
                FieldPanel("social_text"),
                FieldPanel("social_hashtags"),
                FieldPanel("social_images"),
                FieldPanel("social_publish_anyway"),
            ],
            heading=_("Пост в соцсетях"),
        ),
        SocialPreviewPanel(heading=_("Как пост будет выглядеть")),
        *per_network,
        FieldPanel("social_skip", heading=_("Отправить в соцсети")),
        CrosspostStatusPanel(heading=_("Отправка в соцсети")),
    ]
