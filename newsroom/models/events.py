"""Events: the calendar of the administration's events and the event pages."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from newsroom import date_range
from newsroom.panels import BroadcastLinksPanel
from newsroom.visibility import visible_to_visitors

from .crossposting import CrosspostedPage, crossposting_form, crossposting_tabs
from .date_safety import DateRangeMixin
from .slugs import LatinSlugMixin


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Совещание")
    RECEPTION = "reception", _("Приём граждан")
    BROADCAST = "broadcast", _("Прямой эфир с Главой")
    PRESS = "press", _("Пресс-мероприятие")


class EventIndexPage(DateRangeMixin, LatinSlugMixin, Page):
    show_in_menus_default = True  # a section of the site: in the main menu
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
            visible_to_visitors(EventPage.objects.all())
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
    """The first day of the month ``value`` (YYYY-MM) names; None when it names none within the
    product's range of dates (``newsroom.date_range``), so the calendar shows this month."""
    if not value:
        return None
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return (
        month if date_range.is_within(month) and month < date_range.LATEST.replace(day=1) else None
    )


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


class EventPage(DateRangeMixin, LatinSlugMixin, CrosspostedPage, Page):
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
    # What the monthly plan of events (seed 000 p.3.14) needs besides the calendar.
    responsible_official = models.CharField(
        _("ответственное должностное лицо"), max_length=255, blank=True
    )
    leadership = models.CharField(
        _("участие руководства"),
        max_length=255,
        blank=True,
        help_text=_("Кто из руководства участвует: Глава района, заместитель главы…"),
    )
    media_invited = models.BooleanField(_("приглашаются СМИ"), default=False)
    # A live broadcast (seed 000 p.2.4, p.3.4): who speaks, where it is streamed, questions.
    speaker = models.CharField(_("кто выступает"), max_length=255, blank=True)
    stream_url = models.URLField(_("ссылка на трансляцию"), blank=True)
    takes_questions = models.BooleanField(
        _("принимать вопросы"),
        default=False,
        help_text=_(
            "На странице эфира появится форма вопросов; она работает до окончания эфира. Вопросы "
            "без ответа после эфира становятся обращениями с двухнедельным сроком."
        ),
    )
    in_plan = models.BooleanField(
        _("в план мероприятий на месяц"),
        default=True,
        help_text=_(
            "Организационные и массовые мероприятия входят в план для администрации Губернатора."
        ),
    )

    base_form_class = crossposting_form(WagtailAdminPageForm)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Время")),
        FieldPanel("place"),
        FieldPanel("participants"),
        FieldPanel("description"),
        FieldPanel("main_image"),
        MultiFieldPanel(
            [
                FieldPanel("speaker"),
                FieldPanel("stream_url"),
                FieldPanel("takes_questions"),
                BroadcastLinksPanel(heading=_("Вопросы")),
            ],
            heading=_("Прямой эфир"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("department"), FieldPanel("responsible_official")]),
                FieldPanel("leadership"),
                FieldRowPanel([FieldPanel("media_invited"), FieldPanel("in_plan")]),
            ],
            heading=_("Для плана мероприятий"),
        ),
    ]
    edit_handler = crossposting_tabs(content_panels, Page.promote_panels, base_form_class)
    search_fields = Page.search_fields + [
        index.SearchField("place"),
        index.SearchField("participants"),
        index.SearchField("description"),
        index.SearchField("search_lemmas"),
        index.FilterField("start"),
    ]

    parent_page_types = ["newsroom.EventIndexPage"]
    subpage_types = []

    def search_lemmas(self):
        from newsroom.lemmas import lemma_text
        from newsroom.plaintext import html_to_text

        return lemma_text(
            self.title, self.place, self.participants, html_to_text(self.description or "")
        )

    class Meta:
        verbose_name = _("событие")
        verbose_name_plural = _("события")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Окончание не может быть раньше начала.")})
        if self.takes_questions and self.kind != EventKind.BROADCAST:
            raise ValidationError(
                {"takes_questions": _("Вопросы принимаются только к прямому эфиру.")}
            )

    def accepts_questions(self, now=None):
        now = now or timezone.now()
        return self.live and self.takes_questions and now < self.end

    def serve(self, request, *args, **kwargs):
        if self.takes_questions and self.kind == EventKind.BROADCAST:
            from newsroom.broadcasts.views import serve_broadcast

            return serve_broadcast(self, request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)
