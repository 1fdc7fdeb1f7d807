"""The posting norms report (P8 of the regulations): posts per week and account, against the
weekly norm of the account, for the last twelve weeks.

Every post on the account counts, those made by hand included: the posts read back from the wall
or the feed (``WatchedPost``, kept by the regular read of the walls) in the week they appeared, and
the system's own posts not (yet) read back in the week their delivery was done. Weeks run Monday to
Sunday in the site's time zone (``TIME_ZONE``), the current week included. Three queries whatever
the number of accounts: the accounts and two aggregates.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import spreadsheets
from newsroom.spreadsheets import append_row
from social_sync.models import OutboxAction, OutboxItem, OutboxState, WatchedPost

WEEKS = 12

# The chart, in SVG user units.
CHART_HEIGHT = 180
CHART_TOP = 16
CHART_BOTTOM = 24  # room for the week labels
CHART_LEFT = 28  # room for the axis labels
BAR_WIDTH = 34
BAR_GAP = 14
EMPTY_BAR = 2  # a week without posts still shows a sliver, in the warning colour if below norm


@dataclass
class Week:
    start: datetime.date
    posts: int
    norm: int
    current: bool

    @property
    def end(self):
        return self.start + datetime.timedelta(days=6)

    @property
    def label(self):
        return f"{self.start:%d.%m}–{self.end:%d.%m}"

    @property
    def below_norm(self):
        return self.posts < self.norm


@dataclass
class Bar:
    week: Week
    x: float
    y: float
    width: float
    height: float
    label_x: float

    @property
    def value_y(self):
        return round(self.y - 4, 1)


@dataclass
class Chart:
    width: float
    height: float
    plot_top: float
    plot_bottom: float
    left: float
    right: float
    bars: list
    norm_y: float | None
    max_value: int
    ticks: list = field(default_factory=list)  # (value, y)

    @property
    def tick_x(self):
        return self.left - 4

    @property
    def label_y(self):
        return self.height - 8


@dataclass
class AccountNorms:
    account: object
    weeks: list

    @property
    def norm(self):
        return self.account.weekly_norm

    @property
    def below_norm_weeks(self):
        return [week for week in self.weeks if week.below_norm]

    @property
    def finished_below_norm(self):
        return [week for week in self.weeks if week.below_norm and not week.current]

    @property
    def total(self):
        return sum(week.posts for week in self.weeks)

    @property
    def chart(self):
        return build_chart(self.weeks, self.norm)


def week_starts(today, weeks=WEEKS):
    """The Mondays of the last ``weeks`` weeks, the current one last."""
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _as_date(week, zone):
    if isinstance(week, datetime.datetime):
        return timezone.localtime(week, zone).date() if timezone.is_aware(week) else week.date()
    return week


def _add_counts(counts, rows, zone):
    for row in rows:
        key = (row["account_id"], _as_date(row["week"], zone))
        counts[key] = counts.get(key, 0) + row["posts"]


def posts_per_week(account_ids, since, zone, until=None):
    """``{(account_id, monday): posts}`` for every post on the accounts from ``since`` on
    (before ``until``): read back from the walls, or sent by the system and not read back yet."""
    seen = WatchedPost.objects.filter(account_id__in=account_ids, published_at__gte=since)
    sent = OutboxItem.objects.filter(
        account_id__in=account_ids,
        action=OutboxAction.POST,
        state=OutboxState.DONE,
        done_at__gte=since,
    ).exclude(
        Exists(
            WatchedPost.objects.filter(
                account_id=OuterRef("account_id"), remote_id=OuterRef("remote_id")
            )
        )
    )
    if until is not None:
        seen = seen.filter(published_at__lt=until)
        sent = sent.filter(done_at__lt=until)
    counts = {}
    for rows, moment in ((seen, "published_at"), (sent, "done_at")):
        _add_counts(
            counts,
            rows.annotate(week=TruncWeek(moment, tzinfo=zone))
            .values("account_id", "week")
            .annotate(posts=Count("pk"))
            .order_by(),
            zone,
        )
    return counts


def posting_norms(accounts, *, now=None, weeks=WEEKS, zone=None):
    """One ``AccountNorms`` per account of ``accounts`` (a queryset or a list)."""
    zone = zone or timezone.get_default_timezone()
    now = now or timezone.now()
    today = timezone.localtime(now, zone).date()
    mondays = week_starts(today, weeks)
    since = datetime.datetime.combine(mondays[0], datetime.time.min, tzinfo=zone)
    accounts = list(accounts)
    counts = posts_per_week([a.pk for a in accounts], since, zone) if accounts else {}
    current = mondays[-1]
    return [
        AccountNorms(
            account=account,
            weeks=[
                Week(
                    start=monday,
                    posts=counts.get((account.pk, monday), 0),
                    norm=account.weekly_norm,
                    current=monday == current,
                )
                for monday in mondays
            ],
        )
        for account in accounts
    ]


def build_chart(weeks, norm):
    """Geometry of the bar chart: one bar per week and a line at the norm."""
    max_value = max([norm, *(w.posts for w in weeks), 1])
    # A little headroom above the highest bar or the norm line, in whole posts.
    scale_top = max_value + max(1, round(max_value * 0.15))
    plot_top, plot_bottom = CHART_TOP, CHART_HEIGHT - CHART_BOTTOM
    plot_height = plot_bottom - plot_top

    def y_of(value):
        return round(plot_bottom - plot_height * value / scale_top, 1)

    bars = []
    for index, week in enumerate(weeks):
        x = CHART_LEFT + BAR_GAP / 2 + index * (BAR_WIDTH + BAR_GAP)
        y = y_of(week.posts) if week.posts else plot_bottom - EMPTY_BAR
        bars.append(
            Bar(
                week=week,
                x=x,
                y=y,
                width=BAR_WIDTH,
                height=round(plot_bottom - y, 1),
                label_x=x + BAR_WIDTH / 2,
            )
        )
    width = CHART_LEFT + len(weeks) * (BAR_WIDTH + BAR_GAP)
    ticks = sorted({0, max_value, norm} if norm else {0, max_value})
    return Chart(
        width=width,
        height=CHART_HEIGHT,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        left=CHART_LEFT,
        right=width,
        bars=bars,
        norm_y=y_of(norm) if norm else None,
        max_value=max_value,
        ticks=[(value, y_of(value)) for value in ticks],
    )


def norms_xlsx(report):
    """The report's table as an Excel workbook (bytes)."""
    from openpyxl.styles import Font, PatternFill

    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = _("Нормы публикаций")[:31]
    header = [
        _("Аккаунт"),
        _("Соцсеть"),
        _("Неделя"),
        _("С"),
        _("По"),
        _("Постов"),
        _("Норма"),
        _("Ниже нормы"),
        _("Текущая неделя"),
    ]
    for cell in append_row(sheet, header):
        cell.font = Font(bold=True)
    warning = PatternFill("solid", fgColor="FBE3C4")
    for entry in report:
        for week in entry.weeks:
            cells = append_row(
                sheet,
                [
                    entry.account.name,
                    entry.account.get_network_display(),
                    week.label,
                    week.start,
                    week.end,
                    week.posts,
                    week.norm,
                    _("да") if week.below_norm else _("нет"),
                    _("да") if week.current else "",
                ],
            )
            if week.below_norm:
                for cell in cells:
                    cell.fill = warning
            cells[3].number_format = cells[4].number_format = "DD.MM.YYYY"
    for column, width in zip("ABCDEFGHI", (36, 16, 14, 12, 12, 9, 9, 12, 15), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return spreadsheets.workbook_bytes(workbook)
