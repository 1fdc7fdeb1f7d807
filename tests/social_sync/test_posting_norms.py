"""The posting norms report (P8): posts per week and account against the weekly norm."""

import datetime
import io
import re
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from newsroom import roles
from social_sync import reports
from social_sync.models import OutboxAction, SocialAccount
from tests.factories import UserFactory
from tests.social_sync.factories import OutboxItemFactory, SocialAccountFactory
from tests.social_sync.test_accounts_admin import menu_labels

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
REPORT = "social_sync:norms_report"


def monday_of_this_week():
    today = timezone.localtime(timezone.now(), MOSCOW).date()
    return today - datetime.timedelta(days=today.weekday())


def at(day, hour=12, minute=0):
    """A moment on the Moscow wall clock."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MOSCOW)


def weeks_ago(n):
    return monday_of_this_week() - datetime.timedelta(weeks=n)


def done_post(account, moment, **fields):
    return OutboxItemFactory(account=account, done=True, done_at=moment, **fields)


@pytest.fixture(autouse=True)
def moscow(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def editor(db):
    return UserFactory(username="norms-editor", groups=[roles.EDITORS])


@pytest.fixture
def posts(db):
    """A VK account with a norm of 2 and an OK account with a norm of 5, and their posts."""
    vk = SocialAccountFactory(name="ВК Мясниковский", weekly_norm=2)
    ok = SocialAccountFactory(name="ОК Джумайловское", ok=True, weekly_norm=5)
    # VK: 3 posts a week ago, 1 two weeks ago (below the norm), 2 this week.
    for day in range(3):
        done_post(vk, at(weeks_ago(1) + datetime.timedelta(days=day)))
    done_post(vk, at(weeks_ago(2) + datetime.timedelta(days=4)))
    done_post(vk, at(weeks_ago(0), hour=0, minute=30))  # Monday 00:30 in Moscow, Sunday in UTC
    done_post(vk, at(weeks_ago(3) + datetime.timedelta(days=6), hour=23, minute=30))  # Sunday night
    # Not counted: failed, an edit, a delete, older than twelve weeks.
    OutboxItemFactory(account=vk, failed=True, done_at=at(weeks_ago(1)))
    OutboxItemFactory(account=vk, done=True, action=OutboxAction.EDIT, done_at=at(weeks_ago(1)))
    OutboxItemFactory(account=vk, done=True, action=OutboxAction.DELETE, done_at=at(weeks_ago(1)))
    done_post(vk, at(weeks_ago(12)))
    # OK: 5 posts a week ago (the norm), nothing else.
    for day in range(5):
        done_post(ok, at(weeks_ago(1) + datetime.timedelta(days=day), hour=9))
    return vk, ok


def by_week(entry):
    return {week.start: week for week in entry.weeks}


@pytest.mark.django_db
def test_weeks_are_counted_monday_to_sunday_in_the_site_time_zone(posts):
    vk, ok = posts
    report = {entry.account.pk: entry for entry in reports.posting_norms([vk, ok])}
    vk_weeks = by_week(report[vk.pk])
    assert len(vk_weeks) == 12
    assert list(vk_weeks) == [weeks_ago(n) for n in range(11, -1, -1)]
    assert vk_weeks[weeks_ago(1)].posts == 3
    assert vk_weeks[weeks_ago(2)].posts == 1
    assert vk_weeks[weeks_ago(0)].posts == 1  # Monday 00:30 Moscow belongs to this week
    assert vk_weeks[weeks_ago(3)].posts == 1  # Sunday 23:30 Moscow to the week it ends
    assert vk_weeks[weeks_ago(4)].posts == 0
    assert report[vk.pk].total == 6  # nothing older than twelve weeks, no edits or failures
    assert vk_weeks[weeks_ago(0)].current and not vk_weeks[weeks_ago(1)].current

    assert {w.start for w in report[vk.pk].below_norm_weeks} == {
        weeks_ago(n) for n in (0, 2, 3, *range(4, 12))
    }
    ok_weeks = by_week(report[ok.pk])
    assert ok_weeks[weeks_ago(1)].posts == 5 and not ok_weeks[weeks_ago(1)].below_norm
    assert ok_weeks[weeks_ago(2)].below_norm


@pytest.mark.django_db
def test_week_label_gives_its_dates():
    week = reports.Week(start=datetime.date(2026, 10, 12), posts=1, norm=2, current=False)
    assert week.label == "12.10–18.10"
    assert week.below_norm


@pytest.mark.django_db
def test_a_fixed_moment_gives_the_same_weeks():
    account = SocialAccountFactory(weekly_norm=2)
    done_post(account, datetime.datetime(2026, 10, 18, 20, 59, tzinfo=datetime.UTC))  # Sun 23:59
    done_post(account, datetime.datetime(2026, 10, 18, 21, 1, tzinfo=datetime.UTC))  # Mon 00:01
    now = datetime.datetime(2026, 10, 21, 9, 0, tzinfo=datetime.UTC)
    (entry,) = reports.posting_norms([account], now=now, zone=MOSCOW)
    weeks = by_week(entry)
    assert weeks[datetime.date(2026, 10, 12)].posts == 1
    assert weeks[datetime.date(2026, 10, 19)].posts == 1
    assert weeks[datetime.date(2026, 10, 19)].current
    assert entry.weeks[0].start == datetime.date(2026, 8, 3)


@pytest.mark.django_db
def test_report_makes_three_queries_for_any_number_of_accounts(posts, django_assert_num_queries):
    # The accounts, the posts read back from the walls, the system's posts not read back.
    with django_assert_num_queries(3):
        report = reports.posting_norms(SocialAccount.objects.all())
        assert len(report) == 2
    SocialAccountFactory.create_batch(3)
    with django_assert_num_queries(3):
        assert len(reports.posting_norms(SocialAccount.objects.all())) == 5


@pytest.mark.django_db
def test_report_page_query_count_is_constant(client, editor):
    client.force_login(editor)
    first = SocialAccountFactory(weekly_norm=2)
    done_post(first, at(weeks_ago(1)))
    client.get(reverse(REPORT))  # warm caches (content types, menu)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(REPORT)).status_code == 200
    for _n in range(2):
        other = SocialAccountFactory(weekly_norm=5)
        done_post(other, at(weeks_ago(2)))
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse(REPORT))
    assert len(response.context["report"]) == 3
    assert len(three) == len(one)


@pytest.mark.django_db
def test_report_page_draws_the_chart_and_lists_weeks_below_norm(client, editor, posts):
    vk, ok = posts
    client.force_login(editor)
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    assert reverse(REPORT) == "/admin/social/reports/norms/"
    body = response.content.decode()
    section = body[body.index(f'data-norms-account="{vk.pk}"') :]
    section = section[: section.index("</section>")]
    assert section.count("<rect") == 12
    assert "data-norm-line" in section
    below = re.findall(
        r'social-norms__week--below[^"]*" data-week="([\d-]+)" data-posts="(\d+)"', section
    )
    assert (weeks_ago(2).isoformat(), "1") in below
    assert weeks_ago(1).isoformat() not in {week for week, _posts in below}
    assert "текущая неделя" in section
    two_weeks_ago = weeks_ago(2)
    label = f"{two_weeks_ago:%d.%m}–{two_weeks_ago + datetime.timedelta(days=6):%d.%m}"
    row = re.search(
        rf'data-week-row="{two_weeks_ago.isoformat()}" data-below-norm>\s*<td>{re.escape(label)}</td>\s*<td>1</td>\s*<td>2</td>\s*<td><strong>ниже нормы</strong>',
        section,
    )
    assert row, section
    # No JavaScript library and nothing from outside.
    assert "cdn" not in body.lower()
    assert 'viewBox="0 0 ' in section and "," not in re.search(r"<rect[^>]*>", section).group(0)


@pytest.mark.django_db
def test_filter_shows_one_account(client, editor, posts):
    vk, ok = posts
    client.force_login(editor)
    response = client.get(reverse(REPORT), {"account": ok.pk})
    assert [entry.account for entry in response.context["report"]] == [ok]


@pytest.mark.django_db
def test_xlsx_export(client, editor, posts):
    vk, ok = posts
    client.force_login(editor)
    response = client.get(reverse(REPORT), {"account": vk.pk, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Аккаунт"
    assert len(rows) == 13
    two_weeks = next(r for r in rows[1:] if r[3].date() == weeks_ago(2))
    assert two_weeks[5:8] == (1, 2, "да")
    current = next(r for r in rows[1:] if r[8] == "да")
    assert current[3].date() == weeks_ago(0)


@pytest.mark.django_db
def test_report_is_in_the_reports_menu(client, editor):
    client.force_login(editor)
    assert "Нормы публикаций в соцсетях" in menu_labels(client.get(reverse("wagtailadmin_home")))


@pytest.mark.django_db
def test_chart_geometry_puts_the_norm_line_above_lower_bars():
    weeks = [
        reports.Week(start=datetime.date(2026, 10, 5), posts=1, norm=5, current=False),
        reports.Week(start=datetime.date(2026, 10, 12), posts=6, norm=5, current=True),
    ]
    chart = reports.build_chart(weeks, 5)
    low, high = chart.bars
    assert low.y > chart.norm_y > high.y  # SVG grows downwards
    assert low.y + low.height == pytest.approx(chart.plot_bottom)
    assert high.x > low.x
    assert reports.build_chart(weeks, 0).norm_y is None
