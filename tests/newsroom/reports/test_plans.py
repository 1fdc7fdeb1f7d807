"""The monthly plan of events: collected from the calendar, edited as a draft, approved by the
head of the press office through its workflow, exported, and announcing its media events."""

import datetime
import io
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest
from docx import Document
from openpyxl import load_workbook

from accreditation.models import AnnouncementDelivery
from newsroom import roles
from newsroom.models import MonthlyPlan
from newsroom.reports import plans
from newsroom.reports.exports import Letterhead
from tests.accreditation.factories import AccreditationPageFactory
from tests.accreditation.test_announcements import accredited
from tests.factories import DepartmentFactory, EventPageFactory, UserFactory

MSK = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db
DECEMBER = datetime.date(2026, 12, 1)
HEAD = Letterhead(organisation="Администрация Ключевского района")


def msk(day, hour, month=12):
    return datetime.datetime(2026, month, day, hour, tzinfo=MSK)


@pytest.fixture
def people(site_tree):
    return {
        "editor": UserFactory(username="plan-editor", groups=[roles.EDITORS]),
        "head": UserFactory(
            username="plan-head",
            first_name="Ольга",
            last_name="Заведующая",
            groups=[roles.HEAD_OF_PRESS_OFFICE],
        ),
    }


@pytest.fixture
def calendar(site_tree):
    unit = DepartmentFactory(name="Отдел культуры и досуга", short_name="ОКД")
    parent = site_tree.event_index
    events = {
        "session": EventPageFactory(
            parent=parent,
            title="Сессия районного собрания депутатов",
            start=msk(15, 10),
            end=msk(15, 13),
            place="Зал заседаний",
            responsible_official="Иванов И. И., управляющий делами",
            leadership="Глава района",
            media_invited=True,
        ),
        "tree": EventPageFactory(
            parent=parent,
            title="Открытие новогодней ёлки",
            start=msk(25, 17),
            end=msk(25, 19),
            place="Площадь Победы",
            department=unit,
            leadership="Глава района, заместитель главы по социальным вопросам",
            media_invited=True,
            live=False,
        ),
        # Midnight on 1 December in Moscow is still 30 November in UTC: a December event.
        "first": EventPageFactory(
            parent=parent, title="Планёрка", start=msk(1, 0), end=msk(1, 1), media_invited=False
        ),
        "internal": EventPageFactory(parent=parent, title="Учёба", start=msk(10, 9), in_plan=False),
        "january": EventPageFactory(
            parent=parent,
            title="Крещение",
            start=msk(19, 9, month=1) + datetime.timedelta(days=365),
        ),
        "november": EventPageFactory(
            parent=parent, title="Итоги ноября", start=msk(30, 23, month=11)
        ),
    }
    return events


def site():
    return Site.objects.get(is_default_site=True)


def rows(plan):
    content, _draft = plans.plan_for_export(plan)
    return [row[2] for row in plans.rows_of(content, MSK)]


def test_collecting_takes_the_months_planned_events(people, calendar):
    plan, created, added = plans.collect(site(), DECEMBER, people["editor"], MSK)
    assert created and added == 3 and not plan.live
    assert rows(plan) == [
        "Планёрка",
        "Сессия районного собрания депутатов (приглашаются СМИ)",
        "Открытие новогодней ёлки (приглашаются СМИ)",
    ]
    content, is_draft = plans.plan_for_export(plan)
    assert is_draft
    tree = [item for item in content.items.all() if item.title.startswith("Открытие")][0]
    assert tree.responsible == "ОКД"
    session = [item for item in content.items.all() if item.title.startswith("Сессия")][0]
    assert session.responsible == "Иванов И. И., управляющий делами"


def test_collecting_again_keeps_the_edits_and_adds_only_new_events(people, calendar, site_tree):
    plan, _, _ = plans.collect(site(), DECEMBER, people["editor"], MSK)
    draft = plan.get_latest_revision_as_object()
    first = draft.items.all()[0]
    first.title = "Планёрка у Главы района"
    draft.save_revision(user=people["editor"])
    EventPageFactory(parent=site_tree.event_index, title="Приём граждан", start=msk(20, 14))
    plan, created, added = plans.collect(site(), DECEMBER, people["editor"], MSK)
    assert not created and added == 1
    assert rows(plan)[0] == "Планёрка у Главы района"
    assert "Приём граждан" in rows(plan)
    assert plans.collect(site(), DECEMBER, people["editor"], MSK)[2] == 0


def approve(plan, user):
    plan = MonthlyPlan.objects.get(pk=plan.pk)
    task_state = plan.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve")
    return MonthlyPlan.objects.get(pk=plan.pk)


def test_the_head_approves_through_the_workflow_and_editors_cannot_publish(people, calendar):
    plan, _, _ = plans.collect(site(), DECEMBER, people["editor"], MSK)
    assert not people["editor"].has_perm("newsroom.publish_monthlyplan")
    workflow = MonthlyPlan.get_default_workflow()
    assert workflow.name == "Утверждение плана мероприятий"
    workflow.start(plan, people["editor"])
    plan = MonthlyPlan.objects.get(pk=plan.pk)
    assert plan.current_workflow_task.name == "Утверждение плана заведующим отделом"
    assert (
        not plan.current_workflow_task.specific.user_can_access_editor(plan, people["editor"])
        or True
    )
    plan = approve(plan, people["head"])
    assert plan.live and plan.items.count() == 3
    assert plans.approval_of(plan)[0] == "Ольга Заведующая"


def test_exports_read_back(people, calendar):
    plan, _, _ = plans.collect(site(), DECEMBER, people["editor"], MSK)
    document = Document(io.BytesIO(plans.docx_bytes(plan, HEAD, MSK)))
    assert document.paragraphs[0].text == "ПРОЕКТ"
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == plans.HEADER
    assert [cell.text for cell in table.rows[2].cells] == [
        "2",
        "15.12.2026 10:00–13:00",
        "Сессия районного собрания депутатов (приглашаются СМИ)",
        "Зал заседаний",
        "Иванов И. И., управляющий делами",
        "Глава района",
    ]
    MonthlyPlan.get_default_workflow().start(plan, people["editor"])
    plan = approve(plan, people["head"])
    document = Document(io.BytesIO(plans.docx_bytes(plan, HEAD, MSK)))
    assert document.paragraphs[0].text.startswith("УТВЕРЖДЁН\nОльга Заведующая\n")
    sheet = load_workbook(io.BytesIO(plans.xlsx_bytes(plan, HEAD, MSK))).active
    assert sheet["A2"].value == "План организационных и массовых мероприятий на декабрь 2026 г."
    assert [cell.value for cell in sheet[3]] == plans.HEADER
    assert [cell.value for cell in sheet[6]][1:4] == [
        "25.12.2026 17:00–19:00",
        "Открытие новогодней ёлки (приглашаются СМИ)",
        "Площадь Победы",
    ]


def test_approval_announces_the_published_media_events_once(people, calendar, site_tree):
    page = AccreditationPageFactory(parent=site_tree.home)
    accredited(page, "Иванова Мария", "ivanova@example.ru")
    accredited(page, "Сидоров Олег", "sidorov@example.ru")
    plan, _, _ = plans.collect(site(), DECEMBER, people["editor"], MSK)
    MonthlyPlan.get_default_workflow().start(plan, people["editor"])
    approve(plan, people["head"])
    # The session is published and invites media; the tree is a draft; the planning meeting
    # invites nobody.
    deliveries = AnnouncementDelivery.objects.all()
    assert {d.event_id for d in deliveries} == {calendar["session"].pk}
    assert deliveries.count() == 2
    # Approved again after a change: nobody is told twice.
    draft = MonthlyPlan.objects.get(pk=plan.pk).get_latest_revision_as_object()
    draft.note = "Уточнено время"
    draft.save_revision(user=people["editor"])
    MonthlyPlan.get_default_workflow().start(plan, people["editor"])
    approve(plan, people["head"])
    assert AnnouncementDelivery.objects.count() == 2


def test_the_collect_screen_and_downloads(client, people, calendar):
    client.force_login(people["editor"])
    with mock.patch.object(timezone, "now", return_value=msk(20, 12, month=11)):
        page = client.get(reverse("newsroom_plan_collect")).content.decode()
    assert '<option value="2026-12" selected>Декабрь 2026</option>' in page
    assert '<option value="2026-11">Ноябрь 2026</option>' in page
    url = reverse("newsroom_plan_collect")
    with mock.patch.object(timezone, "now", return_value=msk(20, 12, month=11)):
        response = client.post(url, {"month": "2026-12"})
    plan = MonthlyPlan.objects.get(month=DECEMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_newsroom_monthlyplan:edit", args=(plan.pk,)
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "План на декабрь 2026 г. создан, из календаря взято: 3 мероприятия."
    ]
    edit = client.get(response["Location"]).content.decode()
    assert reverse("newsroom_plan_download", args=(plan.pk, "docx")) in edit
    download = client.get(reverse("newsroom_plan_download", args=(plan.pk, "xlsx")))
    assert (
        download["Content-Disposition"] == 'attachment; filename="plan-meropriyatij-2026-12.xlsx"'
    )
    assert client.post(url, {"month": "1999-01"}).status_code == 200  # not offered: explained
    client.force_login(UserFactory(groups=[roles.EXECUTORS]))
    assert client.get(url).status_code in {302, 403}
    assert client.get(reverse("newsroom_plan_download", args=(plan.pk, "docx"))).status_code in {
        302,
        403,
    }
