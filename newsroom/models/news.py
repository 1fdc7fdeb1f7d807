"""News: the news feed, the departments' areas and the news pages."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase

from newsroom import news_counts
from newsroom.blocks import NewsBodyBlock
from newsroom.cache import request_generation
from newsroom.forms import NewsPageForm
from newsroom.panels import StyleCheckPanel

from .crossposting import CrosspostedPage, crossposting_form, crossposting_tabs
from .date_safety import DateRangeMixin
from .listing import NEWS_PER_PAGE, news_listing, paginate
from .routing import NewsParentMixin
from .slugs import LatinSlugMixin


class NewsIndexPage(DateRangeMixin, LatinSlugMixin, NewsParentMixin, RoutablePageMixin, Page):
    show_in_menus_default = True  # a section of the site: in the main menu
    intro = models.TextField(_("вводный текст"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.NewsPage", "newsroom.DepartmentNewsIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("лента новостей")

    @property
    def child_routes(self):
        return [*super().child_routes, DepartmentNewsIndexPage]

    def all_news(self):
        """Every news item of the site: the press office's, the departments' and the Heads'.

        The site's home page is this feed's parent (page type rules), so its tree path is a
        prefix of this page's own, and no query is needed to find it.
        """
        home_path = self.path[: -self.steplen]
        return NewsPage.objects.filter(path__startswith=home_path, depth__gt=self.depth - 1)

    @path("")
    def index(self, request):
        from newsroom.models.departments import Department

        news = news_listing(self.all_news())
        departments = list(Department.objects.all())
        department = tag = None
        if slug := request.GET.get("department"):
            department = next((d for d in departments if d.slug == slug), None)
            news = news.filter(department=department) if department else news.none()
        if slug := request.GET.get("tag"):
            tag = Tag.objects.filter(slug=slug).first()
            news = news.filter(tags=tag) if tag else news.none()
        return self.render(
            request,
            context_overrides={
                "news": paginate(
                    request,
                    news,
                    NEWS_PER_PAGE,
                    count_key=news_counts.feed_count_key(self, department, tag),
                ),
                "departments": departments,
                "selected_department": department,
                "selected_tag": tag,
            },
        )

    @path("rss/", name="rss")
    def rss(self, request):
        from newsroom.feeds import NewsFeed

        return NewsFeed(self)(request)


class DepartmentNewsIndexPage(DateRangeMixin, LatinSlugMixin, NewsParentMixin, Page):
    """A department's own area: its users write news here and nowhere else."""

    route_select_related = ("department",)

    department = models.OneToOneField(
        "newsroom.Department",
        verbose_name=_("подразделение"),
        on_delete=models.PROTECT,
        related_name="news_area",
    )
    intro = models.TextField(_("вводный текст"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("department"), FieldPanel("intro")]

    parent_page_types = ["newsroom.NewsIndexPage"]
    subpage_types = ["newsroom.NewsPage"]

    class Meta:
        verbose_name = _("раздел новостей подразделения")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = news_listing(NewsPage.objects.child_of(self))
        context["news"] = paginate(request, news, NEWS_PER_PAGE)
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(DateRangeMixin, LatinSlugMixin, CrosspostedPage, Page):
    route_select_related = ("main_image", "department")
    crosspost_switch = "post_news"

    lead = models.TextField(
        _("лид"), max_length=600, help_text=_("Одно-два предложения: главное в новости.")
    )
    date = models.DateTimeField(_("дата"), default=timezone.now, db_index=True)
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("главное изображение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "newsroom.Department",
        verbose_name=_("подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        help_text=_("Для материалов из раздела подразделения заполняется автоматически."),
    )
    body = StreamField(NewsBodyBlock(), verbose_name=_("текст"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("теги"))

    base_form_class = crossposting_form(NewsPageForm)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("main_image"),
        FieldPanel("body"),
        StyleCheckPanel(heading=_("Проверка стиля")),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("department"), FieldPanel("tags")],
            heading=_("Сведения о материале"),
        ),
    ]
    edit_handler = crossposting_tabs(content_panels, promote_panels, base_form_class)

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        # Every word's lemmas: word forms are found on every database (newsroom.lemmas).
        index.SearchField("search_lemmas"),
        index.FilterField("date"),
        index.FilterField("department"),
    ]

    parent_page_types = [
        "newsroom.NewsIndexPage",
        "newsroom.DepartmentNewsIndexPage",
        "newsroom.HeadSectionPage",
    ]
    subpage_types = []

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")

    def search_lemmas(self):
        from newsroom.lemmas import lemma_text
        from newsroom.news_style import body_text

        return lemma_text(self.title, self.lead, body_text(self.body))

    def area_department(self):
        parent = self.get_parent() if self.path else None
        if parent is not None and isinstance(parent.specific, DepartmentNewsIndexPage):
            return parent.specific.department
        return None

    def save(self, *args, **kwargs):
        # A department's material always carries that department, whatever the form said.
        if department := self.area_department():
            self.department = department
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The rendered body is kept per process for the current site generation; a preview
        # shows the draft, never a stored fragment.
        if not getattr(request, "is_preview", False):
            context["body_generation"] = request_generation(request)
        return context

    def get_sitemap_urls(self, request=None):
        return [
            {**entry, "lastmod": self.last_published_at or self.latest_revision_created_at}
            for entry in super().get_sitemap_urls(request)
        ]
