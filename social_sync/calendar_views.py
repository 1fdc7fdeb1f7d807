"""«Календарь публикаций»: the week of every account against its norm, for editors, the head of
the press office and administrators."""

import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsroom import date_range
from social_sync import content_calendar
from social_sync.views import ReportReaderRequiredMixin

DAY_NAMES = (
    gettext_lazy("Пн"),
    gettext_lazy("Вт"),
    gettext_lazy("Ср"),
    gettext_lazy("Чт"),
    gettext_lazy("Пт"),
    gettext_lazy("Сб"),
    gettext_lazy("Вс"),
)


def parse_monday(value, today):
    """The Monday of the week that ``value`` (YYYY-MM-DD) falls in; this week when unreadable or
    outside the product's range of dates (``newsroom.date_range``): the calendar's links to the
    weeks before and after must stay dates."""
    try:
        day = datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        day = today
    earliest = date_range.EARLIEST + datetime.timedelta(days=7)
    latest = date_range.LATEST - datetime.timedelta(days=14)
    if not earliest <= day <= latest:
        day = today
    return content_calendar.monday_of(day)


class ContentCalendarView(ReportReaderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "social_sync/calendar.html"
    page_title = gettext_lazy("Календарь публикаций")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def monday(self):
        return parse_monday(self.request.GET.get("week"), self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        monday = self.monday
        days = [monday + datetime.timedelta(days=n) for n in range(7)]
        this_monday = content_calendar.monday_of(self.today)
        context.update(
            weeks=content_calendar.week_of(monday),
            monday=monday,
            sunday=days[-1],
            days=list(zip(DAY_NAMES, days, strict=True)),
            today=self.today,
            previous_week=monday - datetime.timedelta(days=7),
            next_week=monday + datetime.timedelta(days=7),
            this_week=this_monday,
            is_this_week=monday == this_monday,
        )
        return context
