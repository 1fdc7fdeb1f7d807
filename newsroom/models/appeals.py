"""«Обращения граждан»: the federal feedback platform's (ПОС) widget, or the other ways to reach
the administration where the organisation has no widget yet (the offline demo)."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .date_safety import DateRangeMixin
from .slugs import LatinSlugMixin

POS_ORIGIN = "https://pos.gosuslugi.ru"
# The widget's script and form (newsroom/templates/newsroom/includes/pos_widget.html).
#: What the widget needs beyond our own origin (django-csp's per-response update).
POS_CSP = {
    "script-src": [POS_ORIGIN],
    "frame-src": [POS_ORIGIN],
    "img-src": [POS_ORIGIN],
    "connect-src": [POS_ORIGIN],
    "style-src": [POS_ORIGIN],
}


def allow_pos_widget(response):
    """Lets the ПОС widget's script, frame and images into ``response``."""
    response._csp_update = POS_CSP
    return response


class AppealsPage(DateRangeMixin, LatinSlugMixin, Page):
    show_in_menus_default = True  # a section of the site: in the main menu
    intro = RichTextField(
        _("вступление"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "Например, о сроках рассмотрения обращений (30 дней по 59-ФЗ) и о личном приёме."
        ),
    )
    reception = RichTextField(
        _("личный приём и другие способы"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Показывается всегда; без виджета ПОС — вместо него."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("reception")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("обращения граждан")

    def serve(self, request, *args, **kwargs):
        from newsroom.models import OrganisationSettings

        response = super().serve(request, *args, **kwargs)
        if OrganisationSettings.for_request(request).pos_widget_id:
            allow_pos_widget(response)
        return response
