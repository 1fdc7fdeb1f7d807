import calendar
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase

from newsroom import process_memo
from newsroom.blocks import NewsBodyBlock
from newsroom.cache import request_generation
from newsroom.forms import NewsPageForm
from newsroom.panels import StyleCheckPanel

# The one import of a leaf app from the newsroom: crossposting's extension point (see
# docs/architecture.md and the import contract in pyproject.toml).
from social_sync.crossposting import CrosspostedPage, crossposting_form, crossposting_tabs

NEWS_PER_PAGE = 12
LISTING_RENDITION = "fill-480x300"


def paginate(request, queryset, per_page, count_key=None):
    """The requested page of ``queryset``; with ``count_key``, the total is counted once per site
    generation and process instead of on every request (a full scan of the news on SQLite)."""
    paginator = Paginator(queryset, per_page)
    if count_key is not None:
        key = f"count:{count_key}:{request_generation(request)}"
        paginator.count = caches[process_memo.FRAGMENTS_CACHE].get_or_set(key, queryset.count)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def news_listing(queryset):
    """News pages with everything a listing card shows, in a fixed number of queries."""
    from wagtail.images import get_image_model

    renditions = models.Prefetch(
        "main_image__renditions",
        queryset=get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=LISTING_RENDITION),
    )
    return (
        queryset.live()
        .select_related("main_image", "department")
        .prefetch_related(renditions)
        .order_by("-date", "-pk")
    )


class NewsParentMixin:
    """Routes to a child page in one query that also brings what the child's page shows.

    Wagtail's generic routing costs two queries per level (the child, then its specific row).
    ``child_routes`` lists the child types to try, the most requested first; each brings the
    relations named in its ``route_select_related``.
    """

    @property
    def child_routes(self):
        return [NewsPage]

    def route(self, request, path_components):
        if path_components:
            for model in self.child_routes:
                child = (
                    model.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related(*_select_related_for_route(model))
                    .first()
                )
                if child is not None:
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)


def _select_related_for_route(model):
    return getattr(model, "route_select_related", ())


class HomePage(NewsParentMixin, Page):
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
        process_memo.sync(request_generation(request))
        if remembered := process_memo.remembered_route(self, path_components):
            model, pk = remembered
            page = model.objects.select_related(*_select_related_for_route(model)).filter(pk=pk)
            if page := page.first():
                return page.route(request, path_components[page.depth - self.depth :])
        result = super().route(request, path_components)
        if result[0].pk != self.pk:
            process_memo.remember_route(self, path_components, result[0])
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = news_listing(NewsPage.objects.descendant_of(self))[:6]
        context["upcoming_events"] = (
            EventPage.objects.live()
            .descendant_of(self)
            .filter(end__gte=timezone.now())
            .order_by("start")[:4]
        )
        context["head_sections"] = (
            HeadSectionPage.objects.live()
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


class NewsIndexPage(NewsParentMixin, RoutablePageMixin, Page):
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
                    count_key=f"news:{self.pk}:{department and department.pk}:{tag and tag.pk}",
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


class DepartmentNewsIndexPage(NewsParentMixin, Page):
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


class NewsPage(CrosspostedPage, Page):
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


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Совещание")
    RECEPTION = "reception", _("Приём граждан")
    BROADCAST = "broadcast", _("Прямой эфир с Главой")
    PRESS = "press", _("Пресс-мероприятие")


class EventIndexPage(Page):
    intro = models.TextField(_("вводный текст"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("календарь событий")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        month = parse_month(request.GET.get("month")) or today.replace(day=1)
        first_day = month
        last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        tz = timezone.get_current_timezone()
        period_start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=tz)
        period_end = datetime.datetime.combine(last_day, datetime.time.max, tzinfo=tz)
        events = list(
            EventPage.objects.live()
            .descendant_of(self)
            .filter(start__lte=period_end, end__gte=period_start)
            .order_by("start")
        )
        context.update(
            month=month,
            previous_month=(first_day - datetime.timedelta(days=1)).replace(day=1),
            next_month=last_day + datetime.timedelta(days=1),
            weeks=month_grid(month, events),
            events=events,
            today=today,
        )
        return context


def parse_month(value):
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


def month_grid(month, events):
    """Weeks of the month, Monday first, each day with the events that touch it."""
    by_day = {}
    for event in events:
        day = timezone.localtime(event.start).date()
        last = timezone.localtime(event.end).date()
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += datetime.timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {"date": day, "in_month": day.month == month.month, "events": by_day.get(day, [])}
                for day in week
            ]
        )
    return weeks


class EventPage(CrosspostedPage, Page):
    crosspost_switch = "post_events"

    kind = models.CharField(_("вид события"), max_length=16, choices=EventKind.choices)
    start = models.DateTimeField(_("начало"), db_index=True)
    end = models.DateTimeField(_("окончание"), db_index=True)
    place = models.CharField(_("место"), max_length=255)
    participants = models.TextField(_("участники"), blank=True)
    description = RichTextField(
        _("описание"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("изображение"),
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
        related_name="events",
    )

    base_form_class = crossposting_form(WagtailAdminPageForm)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Время")),
        FieldPanel("place"),
        FieldPanel("participants"),
        FieldPanel("description"),
        FieldPanel("main_image"),
        FieldPanel("department"),
    ]
    edit_handler = crossposting_tabs(content_panels, Page.promote_panels, base_form_class)
    search_fields = Page.search_fields + [
        index.SearchField("place"),
        index.SearchField("participants"),
        index.SearchField("description"),
        index.FilterField("start"),
    ]

    parent_page_types = ["newsroom.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("событие")
        verbose_name_plural = _("события")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Окончание не может быть раньше начала.")})


class HeadKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Глава администрации")
    DISTRICT = "district", _("Глава района")


class HeadSectionPage(NewsParentMixin, Page):
    """The section of the Head of the administration or of the Head of the district."""

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
