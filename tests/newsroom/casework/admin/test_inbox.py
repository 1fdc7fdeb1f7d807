"""The lists of citizens' messages, the menu «Обращения» and the dashboard panel."""

import datetime
import re
import zoneinfo

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from newsroom.casework.admin.viewsets import cases_menu
from newsroom.models import CaseKind, CaseNotification, Network
from tests.factories import DepartmentFactory, UserFactory
from tests.newsroom.casework.factories import CaseFactory, CuratorFactory, ExecutorFactory

HOUR = datetime.timedelta(hours=1)
ROW = re.compile(r'<tr class="(case-row[^"]*)">(.*?)</tr>', re.DOTALL)


def rows(response):
    """Each row of the list as (case number, row class, row html), in order."""
    html = response.content.decode()
    result = []
    for classname, body in ROW.findall(html):
        number = re.search(r"№ (\d+)\.", body)
        result.append((int(number.group(1)), classname, body))
    return result


def numbers(response):
    return [number for number, _class, _body in rows(response)]


@pytest.fixture
def people(db):
    return {
        "curator": CuratorFactory(username="curator-a"),
        "anna": ExecutorFactory(username="anna", first_name="Анна", last_name="Смирнова"),
        "boris": ExecutorFactory(username="boris", first_name="Борис", last_name="Орлов"),
    }


@pytest.fixture
def now():
    return timezone.now()


# Who sees what.


@pytest.mark.django_db
def test_executor_sees_only_own_cases(client, people, now):
    own = [
        CaseFactory(executor=people["anna"], status="routed", next_due=now + 2 * HOUR),
        CaseFactory(executor=people["anna"], status="drafting", next_due=now + 3 * HOUR),
    ]
    others = CaseFactory(executor=people["boris"], status="routed", next_due=now + HOUR)
    unassigned = CaseFactory()
    client.force_login(people["anna"])
    response = client.get(reverse("my_cases:index"))
    assert response.status_code == 200
    assert numbers(response) == [c.pk for c in own]
    assert others.pk not in numbers(response) and unassigned.pk not in numbers(response)


@pytest.mark.django_db
def test_executor_is_refused_the_list_of_all_cases(client, people):
    CaseFactory(executor=people["boris"], status="routed")
    client.force_login(people["anna"])
    for name in ("cases:index", "cases:index_results"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "groups",
    [[roles.CURATORS], [roles.EDITORS], [roles.HEAD_OF_PRESS_OFFICE], [roles.ADMINISTRATORS]],
)
def test_curators_press_office_and_administrators_see_all_cases(client, people, groups):
    cases = [
        CaseFactory(executor=people["anna"], status="routed"),
        CaseFactory(executor=people["boris"], status="routed"),
        CaseFactory(),
    ]
    client.force_login(UserFactory(username="viewer", groups=groups))
    response = client.get(reverse("cases:index"))
    assert response.status_code == 200
    assert sorted(numbers(response)) == sorted(c.pk for c in cases)


@pytest.mark.django_db
def test_superuser_sees_all_cases(client, people):
    case = CaseFactory()
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert numbers(client.get(reverse("cases:index"))) == [case.pk]


@pytest.mark.django_db
def test_people_outside_casework_see_no_cases(client, people):
    CaseFactory(executor=people["anna"], status="routed")
    author = UserFactory(username="author", groups=[roles.ACCREDITATION])
    client.force_login(author)
    assert client.get(reverse("cases:index")).status_code in (302, 403)
    response = client.get(reverse("my_cases:index"))
    assert response.status_code == 200
    assert numbers(response) == []


# Filters.


@pytest.fixture
def assorted(people, now):
    """One case for each thing a filter looks at."""
    education = DepartmentFactory(
        short_name="Образование-ф", slug="edu-f", name="Комитет по образованию (фильтр)"
    )
    housing = DepartmentFactory(short_name="ЖКХ-ф", slug="housing-f", name="Отдел ЖКХ (фильтр)")
    return {
        "overdue": CaseFactory(
            executor=people["anna"],
            unit=education,
            status="routed",
            next_due=now - HOUR,
            text="Яма на дороге у школы",
        ),
        "at_risk": CaseFactory(
            executor=people["boris"],
            unit=housing,
            status="drafting",
            next_due=now + 30 * datetime.timedelta(minutes=1),
            network=Network.OK,
            text="Нет отопления в доме 5",
        ),
        "high": CaseFactory(
            kind=CaseKind.HIGH_IMPORTANCE,
            status="new",
            next_due=now + 5 * HOUR,
            network=Network.TELEGRAM,
            author_name="Пётр Громов",
            text="Прорвало трубу, затопило подвал",
        ),
        "appeal": CaseFactory(
            kind=CaseKind.POS_APPEAL,
            network=Network.POS,
            status="new",
            next_due=now + 48 * HOUR,
            text="Прошу отремонтировать крышу",
        ),
        "answered": CaseFactory(
            executor=people["anna"],
            unit=education,
            status="answered",
            next_due=None,
            text="Спасибо за ответ про освещение",
        ),
    }


FILTERS = [
    ({"status": "new"}, {"high", "appeal"}),
    ({"status": "open"}, {"overdue", "at_risk", "high", "appeal"}),
    ({"status": "closed"}, {"answered"}),
    ({"overdue": "true"}, {"overdue"}),
    ({"overdue": "false"}, {"at_risk", "high", "appeal", "answered"}),
    ({"at_risk": "true"}, {"at_risk"}),
    ({"high_importance": "true"}, {"high"}),
    ({"network": "ok"}, {"at_risk"}),
    ({"kind": "pos_appeal"}, {"appeal"}),
    ({"q": "отопления"}, {"at_risk"}),
    ({"q": "громов"}, {"high"}),  # the author's name, whatever the case of the letters
    ({"status": "open", "overdue": "false", "network": "telegram"}, {"high"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_filter_narrows_the_list(client, people, assorted, params, expected):
    client.force_login(people["curator"])
    response = client.get(reverse("cases:index"), params)
    assert response.status_code == 200
    assert set(numbers(response)) == {assorted[key].pk for key in expected}


@pytest.mark.django_db
def test_unit_and_executor_filters(client, people, assorted):
    client.force_login(people["curator"])
    unit = assorted["at_risk"].unit
    response = client.get(reverse("cases:index"), {"unit": unit.pk})
    assert set(numbers(response)) == {assorted["at_risk"].pk}
    response = client.get(reverse("cases:index"), {"executor": people["anna"].pk})
    assert set(numbers(response)) == {assorted["overdue"].pk, assorted["answered"].pk}


@pytest.mark.django_db
def test_filters_of_my_list_keep_to_my_cases(client, people, assorted):
    client.force_login(people["anna"])
    response = client.get(reverse("my_cases:index"), {"status": "open"})
    assert numbers(response) == [assorted["overdue"].pk]
    response = client.get(reverse("my_cases:index"), {"at_risk": "true"})
    assert numbers(response) == []  # the at-risk case is Boris's


@pytest.mark.django_db
def test_results_fragment_is_filtered_too(client, people, assorted):
    client.force_login(people["curator"])
    response = client.get(reverse("cases:index_results"), {"overdue": "true"})
    assert response.status_code == 200
    assert numbers(response) == [assorted["overdue"].pk]


# Order and colours.


@pytest.mark.django_db
def test_all_cases_sorted_by_nearest_deadline_open_first(client, people, now):
    later = CaseFactory(status="new", next_due=now + 5 * HOUR)
    closed = CaseFactory(status="answered", next_due=None)
    overdue = CaseFactory(status="routed", executor=people["anna"], next_due=now - 2 * HOUR)
    no_due = CaseFactory(status="approved", next_due=None)
    soon = CaseFactory(status="new", next_due=now + HOUR / 2)
    client.force_login(people["curator"])
    response = client.get(reverse("cases:index"))
    order = numbers(response)
    assert order[:3] == [overdue.pk, soon.pk, later.pk]
    assert order[3] == no_due.pk, "open without a deadline after the dated ones"
    assert order[4] == closed.pk, "closed cases last"


@pytest.mark.django_db
def test_my_cases_open_first_then_by_next_due(client, people, now):
    anna = people["anna"]
    closed = CaseFactory(executor=anna, status="answered", next_due=now - 10 * HOUR)
    third = CaseFactory(executor=anna, status="drafting", next_due=now + 9 * HOUR)
    first = CaseFactory(executor=anna, status="routed", next_due=now - HOUR)
    second = CaseFactory(executor=anna, status="rework", next_due=now + 2 * HOUR)
    client.force_login(anna)
    assert numbers(client.get(reverse("my_cases:index"))) == [
        first.pk,
        second.pk,
        third.pk,
        closed.pk,
    ]


@pytest.mark.django_db
def test_sorting_by_deadline_descending_keeps_empty_deadlines_last(client, people, now):
    early = CaseFactory(status="new", next_due=now + HOUR)
    late = CaseFactory(status="new", next_due=now + 9 * HOUR)
    empty = CaseFactory(status="approved", next_due=None)
    client.force_login(people["curator"])
    response = client.get(reverse("cases:index"), {"ordering": "-next_due"})
    assert numbers(response) == [late.pk, early.pk, empty.pk]


@pytest.mark.django_db
def test_rows_have_a_colour_and_a_text_label_of_the_deadline(client, people, now):
    overdue = CaseFactory(status="routed", executor=people["anna"], next_due=now - HOUR)
    at_risk = CaseFactory(status="new", next_due=now + 20 * datetime.timedelta(minutes=1))
    on_time = CaseFactory(status="new", next_due=now + 6 * HOUR)
    closed = CaseFactory(status="closed_no_answer", next_due=None)
    client.force_login(people["curator"])
    by_number = {n: (cls, body) for n, cls, body in rows(client.get(reverse("cases:index")))}

    cls, body = by_number[overdue.pk]
    assert "case-row--overdue" in cls and "Просрочено" in body
    cls, body = by_number[at_risk.pk]
    assert "case-row--at-risk" in cls and "Меньше часа" in body
    cls, body = by_number[on_time.pk]
    assert "case-row--on-time" in cls and "В срок" in body
    cls, body = by_number[closed.pk]
    assert "case-row--none" in cls and "Закрыто" in body
    assert "Просрочено" not in by_number[on_time.pk][1]


@pytest.mark.django_db
def test_deadlines_are_shown_in_the_organisations_time_zone(client, people):
    due = datetime.datetime(2031, 3, 5, 6, 30, tzinfo=datetime.UTC)
    case = CaseFactory(status="new", next_due=due)
    client.force_login(people["curator"])
    response = client.get(reverse("cases:index"))
    body = dict((n, b) for n, _c, b in rows(response))[case.pk]
    assert "05.03.2031 09:30" in body  # Europe/Moscow, UTC+3
    assert "05.03.2031 06:30" not in body
    text = response.content.decode()
    assert (
        "сроки в рабочих часах считаются по графику организации и производственному календарю"
        in text.lower()
    )


@pytest.mark.django_db
def test_organisation_time_zone_setting_is_respected(client, people):
    from newsroom.clock import organisation_settings

    settings_row = organisation_settings()
    settings_row.time_zone = "Asia/Barnaul"
    settings_row.save()
    due = datetime.datetime(2031, 3, 5, 6, 30, tzinfo=datetime.UTC)
    case = CaseFactory(status="new", next_due=due)
    client.force_login(people["curator"])
    body = dict((n, b) for n, _c, b in rows(client.get(reverse("cases:index"))))[case.pk]
    expected = due.astimezone(zoneinfo.ZoneInfo("Asia/Barnaul")).strftime("%d.%m.%Y %H:%M")
    assert expected == "05.03.2031 13:30"
    assert expected in body


# Size of the list.


def list_queries(client, url):
    cache.clear()  # the menu's overdue badge is cached for a minute: count it every time
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_list_makes_the_same_number_of_queries_for_5_and_30_cases(client, people, now):
    def make(count, offset):
        for i in range(count):
            unit = DepartmentFactory(
                slug=f"u-{offset + i}",
                short_name=f"Тест-отдел {offset + i}",
                name=f"Тестовый отдел номер {offset + i}",
            )
            executor = ExecutorFactory(username=f"ex-{offset + i}")
            CaseFactory(executor=executor, unit=unit, status="routed", next_due=now + i * HOUR)

    client.force_login(people["curator"])
    client.get(reverse("cases:index"))  # warm up per-process caches
    make(5, 0)
    five, response = list_queries(client, reverse("cases:index"))
    assert len(rows(response)) == 5
    make(25, 100)
    thirty, response = list_queries(client, reverse("cases:index"))
    assert len(rows(response)) == 30
    assert thirty == five

    from newsroom.models import Case

    client.force_login(people["anna"])
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[:5])).update(
        executor=people["anna"]
    )
    mine_five, response = list_queries(client, reverse("my_cases:index"))
    assert len(rows(response)) == 5
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[:20])).update(
        executor=people["anna"]
    )
    mine_twenty, response = list_queries(client, reverse("my_cases:index"))
    assert len(rows(response)) == 20
    assert mine_twenty == mine_five


@pytest.mark.django_db
def test_list_is_paginated_by_50(client, people, now):
    for i in range(53):
        CaseFactory(status="new", next_due=now + i * HOUR)
    client.force_login(people["curator"])
    first = client.get(reverse("cases:index"))
    assert len(rows(first)) == 50
    second = client.get(reverse("cases:index"), {"p": 2})
    assert len(rows(second)) == 3


# The menu «Обращения».


def menu_labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        item.name: str(item.render_component(request).label)
        for item in cases_menu.menu_items_for_request(request)
    }


@pytest.mark.django_db
def test_menu_items_shown_by_role(people, now):
    assert set(menu_labels(people["anna"])) == {"my-cases"}
    assert set(menu_labels(people["curator"])) == {"all-cases", "new-case"}
    editor = UserFactory(username="ed", groups=[roles.EDITORS])
    assert set(menu_labels(editor)) == {"all-cases", "new-case"}
    outsider = UserFactory(username="outsider", groups=[roles.ACCREDITATION])
    assert menu_labels(outsider) == {}


@pytest.mark.django_db
def test_menu_counts_overdue_cases(people, now):
    CaseFactory(executor=people["anna"], status="routed", next_due=now - HOUR)
    CaseFactory(executor=people["boris"], status="routed", next_due=now - HOUR)
    CaseFactory(executor=people["anna"], status="routed", next_due=now + HOUR)
    assert menu_labels(people["anna"])["my-cases"] == "Мои обращения — просрочено: 1"
    assert menu_labels(people["curator"])["all-cases"] == "Все обращения — просрочено: 2"
    assert menu_labels(people["boris"])["my-cases"] == "Мои обращения — просрочено: 1"


@pytest.mark.django_db
def test_admin_page_shows_the_menu_group(client, people):
    client.force_login(people["curator"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '"all-cases"' in html and '"new-case"' in html  # the sidebar's menu items, as JSON
    assert '"my-cases"' not in html


# The dashboard panel.


def counters(response):
    html = response.content.decode()
    found = re.findall(
        r'data-counter="(\w+)">\s*<a href="([^"]+)">\s*<span class="case-counter__value">(\d+)</span>',
        html,
    )
    return {key: (int(value), url.replace("&amp;", "&")) for key, url, value in found}


@pytest.fixture
def dashboard_cases(people, now):
    anna, boris = people["anna"], people["boris"]
    return [
        CaseFactory(executor=anna, status="routed", next_due=now - HOUR),  # overdue
        CaseFactory(executor=anna, status="drafting", next_due=now + HOUR / 3),  # at risk
        CaseFactory(
            executor=anna, status="routed", kind=CaseKind.HIGH_IMPORTANCE, next_due=now + 3 * HOUR
        ),
        CaseFactory(executor=anna, status="answered", next_due=None),
        CaseFactory(executor=boris, status="routed", next_due=now - 2 * HOUR),  # overdue
        CaseFactory(status="new", kind=CaseKind.HIGH_IMPORTANCE, next_due=now + 4 * HOUR),
    ]


@pytest.mark.django_db
def test_dashboard_counters_of_an_executor_are_their_own(client, people, dashboard_cases):
    client.force_login(people["anna"])
    found = counters(client.get(reverse("wagtailadmin_home")))
    mine = reverse("my_cases:index")
    assert found == {
        "open": (3, f"{mine}?status=open"),
        "at_risk": (1, f"{mine}?at_risk=true"),
        "overdue": (1, f"{mine}?overdue=true"),
        "high_importance": (1, f"{mine}?status=open&high_importance=true"),
    }
    # Each counter leads to a list of exactly that many cases.
    for value, url in found.values():
        assert len(rows(client.get(url))) == value


@pytest.mark.django_db
def test_dashboard_counters_of_a_curator_cover_all_cases(client, people, dashboard_cases):
    client.force_login(people["curator"])
    found = counters(client.get(reverse("wagtailadmin_home")))
    assert {key: value for key, (value, _url) in found.items()} == {
        "open": 5,
        "at_risk": 1,
        "overdue": 2,
        "high_importance": 2,
    }
    for value, url in found.values():
        assert url.startswith(reverse("cases:index"))
        assert len(rows(client.get(url))) == value


@pytest.mark.django_db
def test_dashboard_lists_unread_notifications(client, people, dashboard_cases):
    case = dashboard_cases[0]
    CaseNotification.objects.create(
        case=case,
        recipient=people["anna"],
        kind="draft_soon",
        message="Проект ответа нужен до 10:00.",
    )
    CaseNotification.objects.create(
        case=case, recipient=people["curator"], kind="draft_late", message="Чужое уведомление."
    )
    CaseNotification.objects.create(
        case=dashboard_cases[1],
        recipient=people["anna"],
        kind="answer_soon",
        message="Уже прочитано.",
        read_at=timezone.now(),
    )
    client.force_login(people["anna"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Проект ответа нужен до 10:00." in html
    assert "Чужое уведомление." not in html and "Уже прочитано." not in html
    assert re.search(r"data-unread-count>1<", html)

    client.get(reverse("cases:detail", args=(case.pk,)))  # opening the case reads it
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Проект ответа нужен до 10:00." not in html
    assert re.search(r"data-unread-count>0<", html)


@pytest.mark.django_db
def test_dashboard_has_no_case_panel_for_people_outside_casework(client, people, dashboard_cases):
    client.force_login(UserFactory(username="outsider", groups=[roles.ACCREDITATION]))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "newsroom-cases-section" not in response.content.decode()
