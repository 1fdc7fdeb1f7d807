"""The sections of the Heads: their news, reception hours and photo."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .date_safety import DateRangeMixin
from .listing import NEWS_PER_PAGE, news_listing, paginate
from .news import NewsPage
from .routing import NewsParentMixin
from .slugs import LatinSlugMixin


class HeadKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Глава администрации")
    DISTRICT = "district", _("Глава района")


class HeadSectionPage(DateRangeMixin, LatinSlugMixin, NewsParentMixin, Page):
    """The section of the Head of the administration or of the Head of the district."""

    show_in_menus_default = True  # a section of the site: in the main menu

    route_select_related = ("photo",)

    head_kind = models.CharField(
        _("чья страница"), max_length=16, choices=HeadKind.choices, unique=True
    )
    person_name = models.CharField(_("фамилия, имя, отчество"), max_length=255)
    position = models.CharField(_("должность"), max_length=255)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фотография"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    biography = RichTextField(
        _("биография"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    reception_hours = models.CharField(_("приём граждан"), max_length=255, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("head_kind"),
        FieldPanel("person_name"),
        FieldPanel("position"),
        FieldPanel("photo"),
        FieldPanel("reception_hours"),
        FieldPanel("biography"),
    ]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.NewsPage"]
    max_count = 2

    class Meta:
        verbose_name = _("раздел Главы")

    @cached_property
    def news_items(self):
        return news_listing(NewsPage.objects.child_of(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = paginate(request, self.news_items, NEWS_PER_PAGE)
        return context
