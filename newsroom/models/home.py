"""The home page: the latest news, upcoming events, the Heads' sections."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, get_page_models

from newsroom import site_memory
from newsroom.cache import request_generation
from newsroom.visibility import visible_to_visitors

from .date_safety import DateRangeMixin
from .events import EventIndexPage, EventPage
from .heads import HeadSectionPage
from .listing import news_listing
from .news import NewsIndexPage, NewsPage
from .routing import NewsParentMixin, _select_related_for_route
from .slugs import LatinSlugMixin


class HomePage(DateRangeMixin, LatinSlugMixin, NewsParentMixin, Page):
    intro = models.TextField(_("приветствие"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("главная страница")

    @classmethod
    def clean_subpage_models(cls):
        """The sections: the page types that name the home page among their parents, those of
        other apps (the accreditation page) included, so that the newsroom need not know them."""
        if cls._clean_subpage_models is None:
            cls._clean_subpage_models = [
                model
                for model in get_page_models()
                if getattr(model, "parent_page_types", None) is not None
                and cls in model.clean_parent_page_models()
            ]
        return cls._clean_subpage_models

    @property
    def child_routes(self):
        return [NewsIndexPage, EventIndexPage, HeadSectionPage]

    def route(self, request, path_components):
        """Finds a page this process has already routed to in this site generation in one query."""
        if not path_components:
            return super().route(request, path_components)
        site_memory.sync(request_generation(request))
        if remembered := site_memory.remembered_route(self, path_components):
            model, pk = remembered
            page = model.objects.select_related(*_select_related_for_route(model)).filter(pk=pk)
            if page := page.first():
                return page.route(request, path_components[page.depth - self.depth :])
        result = super().route(request, path_components)
        if result[0].pk != self.pk:
            site_memory.remember_route(self, path_components, result[0])
        return result

    def serve(self, request, *args, **kwargs):
        from .appeals import allow_pos_widget
        from .site_settings import OrganisationSettings

        response = super().serve(request, *args, **kwargs)
        org = OrganisationSettings.for_request(request)
        if org.pos_on_home and org.pos_widget_id:
            allow_pos_widget(response)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = news_listing(NewsPage.objects.descendant_of(self))[:6]
        context["upcoming_events"] = (
            visible_to_visitors(EventPage.objects.all())
            .descendant_of(self)
            .filter(end__gte=timezone.now())
            .order_by("start")[:4]
        )
        context["head_sections"] = (
            visible_to_visitors(HeadSectionPage.objects.all())
            .child_of(self)
            .select_related("photo")
            .order_by("head_kind")
        )
        sections = {
            page.content_type_id: page
            for page in self.get_children()
            .live()
            .filter(
                content_type__in=[
                    ContentType.objects.get_for_model(NewsIndexPage),
                    ContentType.objects.get_for_model(EventIndexPage),
                ]
            )
        }
        context["news_index"] = sections.get(ContentType.objects.get_for_model(NewsIndexPage).pk)
        context["event_index"] = sections.get(ContentType.objects.get_for_model(EventIndexPage).pk)
        return context
