"""The case page, its actions through the views, and manual entry of a message."""

import datetime
import re
import zoneinfo

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from newsroom.casework.services import cases as case_service
from newsroom.models import (
    Answer,
    AnswerKind,
    Case,
    CaseEvent,
    CaseKind,
    CaseNotification,
    Network,
    NoAnswerReason,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.newsroom.casework.factories import (
    CaseFactory,
    CuratorFactory,
    EditorFactory,
    ExecutorFactory,
)

HOUR = datetime.timedelta(hours=1)
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def page_url(case):
    return reverse("cases:detail", args=(case.pk,))


def action_url(case, action):
    return reverse("cases:action", args=(case.pk, action))


def forms_on(response):
    """The actions whose forms the case page offers."""
    return set(
        re.findall(r'<form class="case-action"[^>]*data-action="(\w+)"', response.content.decode())
    )


def message_texts(response):
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


@pytest.fixture
def people(db):
    return {
        "curator": CuratorFactory(
            username="curator-v", first_name="Марина", last_name="Кураторова"
        ),
        "editor": EditorFactory(username="editor-v"),
        "anna": ExecutorFactory(username="anna-v", first_name="Анна", last_name="Смирнова"),
        "boris": ExecutorFactory(username="boris-v", first_name="Борис", last_name="Орлов"),
    }


@pytest.fixture
def new_case(people):
    case, _created = case_service.register_case(
        {
            "network": Network.VK,
            "url": "https://vk.com/wall-1_77",
            "author_name": "Иван Петров",
            "author_id": "id777",
            "text": "Во дворе дома 7 по улице Ленина третий день не вывозят мусор.",
            "detected_at": timezone.now() - HOUR,
            "category": "ЖКХ",
        },
        actor=people["curator"],
    )
    return case


@pytest.fixture
def routed_case(people, new_case):
    return case_service.apply(new_case.pk, "route", people["curator"], executor=people["anna"])


# The page.


@pytest.mark.django_db
def test_case_page_shows_the_message_deadlines_and_log(client, people, routed_case):
    client.force_login(people["curator"])
    response = client.get(page_url(routed_case))
    assert response.status_code == 200
    html = response.content.decode()
    case = routed_case
    for text in [
        case.text,
        "ВКонтакте",
        "https://vk.com/wall-1_77",
        "Иван Петров",
        "id777",
        "ЖКХ",
        "Назначен исполнитель",  # the status
        "Анна Смирнова",
        "Ключевский район (2021)",  # the profile
        "Ответить до",
        "Проект ответа до",
        timezone.localtime(case.detected_at, MOSCOW).strftime("%d.%m.%Y %H:%M"),
        timezone.localtime(case.answer_due, MOSCOW).strftime("%d.%m.%Y %H:%M"),
        "Зарегистрировано",  # the log: registration, then routing by the curator
        "Назначить исполнителя",
        "Марина Кураторова",
        "сроки в рабочих часах считаются по графику организации и производственному календарю",
    ]:
        assert text.lower() in html.lower(), text


@pytest.mark.django_db
def test_case_page_labels_running_deadlines(client, people, new_case):
    Case.objects.filter(pk=new_case.pk).update(
        answer_due=timezone.now() - HOUR, next_due=timezone.now() - HOUR
    )
    client.force_login(people["curator"])
    html = client.get(page_url(new_case)).content.decode()
    assert re.search(r'class="case-due case-due--overdue">Просрочено<', html)


@pytest.mark.django_db
def test_case_page_announces_a_repeated_message(client, people, routed_case):
    repeat = CaseFactory(repeated_of=routed_case, author_id="id777")
    client.force_login(people["curator"])
    response = client.get(page_url(repeat))
    html = response.content.decode()
    assert (
        "повторное сообщение: ответ должен сообщать о принятых мерах или ходе решения (r11)"
        in html.lower()
    )
    assert page_url(routed_case) in html
    # The executor of the first message is suggested first, with the reason.
    assert "исполнитель по первому сообщению" in html


@pytest.mark.django_db
def test_case_page_shows_notifications_and_marks_the_viewers_as_read(client, people, routed_case):
    mine = CaseNotification.objects.create(
        case=routed_case,
        recipient=people["curator"],
        kind="routing_late",
        message="Срок назначения истёк.",
    )
    other = CaseNotification.objects.create(
        case=routed_case,
        recipient=people["anna"],
        kind="draft_soon",
        message="Проект ответа нужен скоро.",
    )
    client.force_login(people["curator"])
    html = client.get(page_url(routed_case)).content.decode()
    assert "Срок назначения истёк." in html and "Проект ответа нужен скоро." in html
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None


@pytest.mark.django_db
def test_executor_sees_only_own_notifications_on_the_page(client, people, routed_case):
    CaseNotification.objects.create(
        case=routed_case,
        recipient=people["curator"],
        kind="draft_late",
        message="Исполнитель опаздывает.",
    )
    client.force_login(people["anna"])
    html = client.get(page_url(routed_case)).content.decode()
    assert "Исполнитель опаздывает." not in html


# Actions offered per role.


@pytest.mark.django_db
def test_actions_of_a_new_case(client, people, new_case):
    client.force_login(people["curator"])
    assert forms_on(client.get(page_url(new_case))) == {"route", "propose_no_answer", "recompute"}
    client.force_login(people["editor"])
    assert forms_on(client.get(page_url(new_case))) == {"route", "propose_no_answer"}


@pytest.mark.django_db
def test_actions_of_a_routed_case(client, people, routed_case):
    client.force_login(people["anna"])
    assert forms_on(client.get(page_url(routed_case))) == {"start_answer", "propose_no_answer"}
    client.force_login(people["curator"])
    assert forms_on(client.get(page_url(routed_case))) == {
        "reroute",
        "propose_no_answer",
        "recompute",
    }
    client.force_login(people["editor"])
    assert forms_on(client.get(page_url(routed_case))) == {"propose_no_answer"}


@pytest.mark.django_db
def test_actions_when_no_answer_is_proposed(client, people, routed_case):
    Case.objects.filter(pk=routed_case.pk).update(
        status="no_answer_proposed", no_answer_reason="spam"
    )
    client.force_login(people["curator"])
    html = client.get(page_url(routed_case))
    assert forms_on(html) == {"confirm_no_answer", "reject_no_answer", "recompute"}
    client.force_login(people["anna"])
    assert forms_on(client.get(page_url(routed_case))) == set()


@pytest.mark.django_db
def test_review_steps_point_to_the_answer_workflow(client, people, routed_case):
    answer = Answer.objects.create(case=routed_case, text="Мусор вывезут сегодня.", live=False)
    Case.objects.filter(pk=routed_case.pk).update(status="press_review")
    client.force_login(people["editor"])
    response = client.get(page_url(routed_case))
    html = response.content.decode()
    assert forms_on(response) == set()
    assert "Согласование ответа" in html
    assert reverse("wagtailsnippets_newsroom_answer:edit", args=[answer.pk]) in html


@pytest.mark.django_db
def test_extension_is_offered_only_for_an_appeal_not_yet_extended(client, people, new_case):
    appeal = CaseFactory(kind=CaseKind.POS_APPEAL, network=Network.POS, received_at=timezone.now())
    client.force_login(people["curator"])
    assert "extend" in forms_on(client.get(page_url(appeal)))
    assert "extend" not in forms_on(client.get(page_url(new_case)))
    Case.objects.filter(pk=appeal.pk).update(appeal_extended_at=timezone.now())
    assert "extend" not in forms_on(client.get(page_url(appeal)))


# Actions through the views.


@pytest.mark.django_db
def test_route_with_executor(client, people, new_case):
    client.force_login(people["curator"])
    response = client.post(
        action_url(new_case, "route"), {"executor": people["anna"].pk, "comment": "Срочно"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(new_case)
    new_case.refresh_from_db()
    assert new_case.status == "routed"
    assert new_case.executor == people["anna"]
    assert new_case.routed_by == people["curator"]
    assert CaseEvent.objects.filter(case=new_case, action="route", comment="Срочно").exists()
    assert any("Анна Смирнова" in m for m in message_texts(response))


@pytest.mark.django_db
def test_route_with_unit(client, people, new_case):
    unit = DepartmentFactory(slug="roads-v", short_name="Дороги-в", name="Отдел дорог (в)")
    client.force_login(people["curator"])
    client.post(action_url(new_case, "route"), {"executor": people["anna"].pk, "unit": unit.pk})
    new_case.refresh_from_db()
    assert new_case.unit == unit


@pytest.mark.django_db
def test_route_without_executor_shows_the_services_error(client, people, new_case):
    client.force_login(people["curator"])
    response = client.post(action_url(new_case, "route"), {"executor": ""}, follow=True)
    assert response.status_code == 200
    assert "Выберите исполнителя из группы «Исполнители»." in response.content.decode()
    new_case.refresh_from_db()
    assert new_case.status == "new" and new_case.executor is None


@pytest.mark.django_db
def test_route_suggests_executors_by_competence(client, people, new_case):
    unit = DepartmentFactory(
        slug="waste-v",
        short_name="Благоустройство-в",
        name="Отдел благоустройства (в)",
        competence="мусор, контейнерная площадка",
    )
    boris = people["boris"]
    boris.groups.add(department_group(unit))
    client.force_login(people["curator"])
    html = client.get(page_url(new_case)).content.decode()
    assert "компетенция: Благоустройство-в" in html
    # The suggested one comes before the others in the select.
    select = html[html.index('name="executor"') :]
    assert select.index("Борис Орлов") < select.index("Анна Смирнова")


def department_group(unit):
    unit.refresh_from_db()
    return unit.group


@pytest.mark.django_db
def test_reroute_to_another_executor(client, people, routed_case):
    client.force_login(people["curator"])
    client.post(action_url(routed_case, "reroute"), {"executor": people["boris"].pk})
    routed_case.refresh_from_db()
    assert routed_case.executor == people["boris"]


@pytest.mark.django_db
def test_executor_cannot_route(client, people, routed_case):
    client.force_login(people["anna"])
    response = client.post(
        action_url(routed_case, "reroute"), {"executor": people["anna"].pk}, follow=True
    )
    assert (
        "У вас нет права на действие «Передать другому исполнителю»." in response.content.decode()
    )


@pytest.mark.django_db
def test_start_answer_redirects_to_the_answer_editor(client, people, routed_case):
    client.force_login(people["anna"])
    response = client.post(action_url(routed_case, "start_answer"))
    answer = Answer.objects.get(case=routed_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_newsroom_answer:edit", args=[answer.pk])
    routed_case.refresh_from_db()
    assert routed_case.status == "drafting"
    assert client.get(response["Location"]).status_code == 200
    # Again: the same draft is opened, not a second one.
    again = client.post(action_url(routed_case, "start_answer"))
    assert again["Location"] == response["Location"]
    assert Answer.objects.filter(case=routed_case).count() == 1


@pytest.mark.django_db
def test_only_the_executor_starts_an_answer(client, people, routed_case):
    case_service.apply(routed_case.pk, "start_drafting", people["anna"])
    client.force_login(people["curator"])
    response = client.post(action_url(routed_case, "start_answer"), follow=True)
    assert "Готовит ответ исполнитель, назначенный на это сообщение." in response.content.decode()
    assert not Answer.objects.filter(case=routed_case).exists()


@pytest.fixture
def approved_case(people, routed_case):
    answer = Answer.objects.create(
        case=routed_case,
        kind=AnswerKind.FINAL,
        text="Мусор вывезли, контейнеры вымыты.",
        live=False,
    )
    answer.save_revision(user=people["anna"]).publish()
    Case.objects.filter(pk=routed_case.pk).update(status="approved")
    routed_case.refresh_from_db()
    return routed_case


@pytest.mark.django_db
def test_post_answer_on_an_approved_case(client, people, approved_case):
    client.force_login(people["anna"])
    assert "post_answer" in forms_on(client.get(page_url(approved_case)))
    response = client.post(
        action_url(approved_case, "post_answer"), {"answer_url": "https://vk.com/wall-1_77?reply=5"}
    )
    assert response.status_code == 302
    approved_case.refresh_from_db()
    assert approved_case.status == "answered"
    assert approved_case.answer_url == "https://vk.com/wall-1_77?reply=5"
    assert approved_case.answered_at is not None
    assert "Ответ отмечен размещённым." in message_texts(response)


@pytest.mark.django_db
def test_post_answer_without_a_link_is_refused(client, people, approved_case):
    client.force_login(people["anna"])
    response = client.post(
        action_url(approved_case, "post_answer"), {"answer_url": "vk.com/x"}, follow=True
    )
    assert (
        "Укажите ссылку на размещённый ответ (начинается с https://)." in response.content.decode()
    )
    approved_case.refresh_from_db()
    assert approved_case.status == "approved"


@pytest.mark.django_db
def test_no_answer_proposed_then_confirmed(client, people, routed_case):
    client.force_login(people["anna"])
    client.post(
        action_url(routed_case, "propose_no_answer"),
        {"reason": NoAnswerReason.SPAM, "comment": "Реклама"},
    )
    routed_case.refresh_from_db()
    assert routed_case.status == "no_answer_proposed"
    client.force_login(people["curator"])
    client.post(action_url(routed_case, "confirm_no_answer"), {"confirm-comment": "Согласна"})
    routed_case.refresh_from_db()
    assert routed_case.status == "closed_no_answer"


@pytest.mark.django_db
def test_no_answer_rejected_needs_a_comment(client, people, routed_case):
    client.force_login(people["anna"])
    client.post(action_url(routed_case, "propose_no_answer"), {"reason": NoAnswerReason.OBSCENITY})
    client.force_login(people["curator"])
    response = client.post(
        action_url(routed_case, "reject_no_answer"), {"reject-comment": ""}, follow=True
    )
    assert "Напишите комментарий: почему обращение возвращается." in response.content.decode()
    client.post(
        action_url(routed_case, "reject_no_answer"), {"reject-comment": "Это жалоба по существу"}
    )
    routed_case.refresh_from_db()
    assert routed_case.status == "routed"


@pytest.mark.django_db
def test_no_answer_without_a_reason_is_refused(client, people, routed_case):
    client.force_login(people["anna"])
    response = client.post(
        action_url(routed_case, "propose_no_answer"), {"reason": ""}, follow=True
    )
    assert "Выберите причину, по которой на сообщение не отвечают." in response.content.decode()


@pytest.mark.django_db
def test_extend_an_appeal(client, people):
    appeal = CaseFactory(kind=CaseKind.POS_APPEAL, network=Network.POS, received_at=timezone.now())
    before = appeal.answer_due
    client.force_login(people["curator"])
    response = client.post(
        action_url(appeal, "extend"), {"notice": "Уважаемый заявитель, срок продлён."}, follow=True
    )
    appeal.refresh_from_db()
    assert appeal.appeal_extended_at is not None
    assert appeal.answer_due == before + datetime.timedelta(days=30)
    expected = timezone.localtime(appeal.answer_due, MOSCOW).strftime("%d.%m.%Y %H:%M")
    assert f"Срок продлён до {expected}." in response.content.decode()
    again = client.post(action_url(appeal, "extend"), {"notice": "Ещё раз"}, follow=True)
    assert "Срок уже продлевался: по 59-ФЗ это возможно один раз." in again.content.decode()


@pytest.mark.django_db
def test_recompute_needs_confirmation(client, people, new_case):
    client.force_login(people["curator"])
    response = client.post(action_url(new_case, "recompute"), {}, follow=True)
    assert "Подтвердите пересчёт сроков: отметьте галочку." in response.content.decode()
    assert not CaseEvent.objects.filter(case=new_case, action="recomputed").exists()
    response = client.post(action_url(new_case, "recompute"), {"confirm": "on"}, follow=True)
    assert CaseEvent.objects.filter(
        case=new_case, action="recomputed", actor=people["curator"]
    ).exists()
    assert "Сроки пересчитаны" in response.content.decode()


@pytest.mark.django_db
def test_executor_cannot_recompute(client, people, routed_case):
    client.force_login(people["anna"])
    response = client.post(action_url(routed_case, "recompute"), {"confirm": "on"}, follow=True)
    assert "Пересчитать сроки может только куратор." in response.content.decode()


# Visibility and protection.


@pytest.mark.django_db
def test_executor_gets_404_for_another_executors_case(client, people, routed_case):
    client.force_login(people["boris"])
    assert client.get(page_url(routed_case)).status_code == 404
    for action, data in [
        ("start_answer", {}),
        ("propose_no_answer", {"reason": "spam"}),
        ("reroute", {"executor": people["boris"].pk}),
        ("post_answer", {"answer_url": "https://vk.com/x"}),
    ]:
        assert client.post(action_url(routed_case, action), data).status_code == 404
    routed_case.refresh_from_db()
    assert routed_case.status == "routed" and routed_case.executor == people["anna"]
    assert not Answer.objects.filter(case=routed_case).exists()


@pytest.mark.django_db
def test_executor_gets_404_for_an_unassigned_case(client, people, new_case):
    client.force_login(people["anna"])
    assert client.get(page_url(new_case)).status_code == 404


@pytest.mark.django_db
def test_unknown_action_and_get_are_refused(client, people, new_case):
    client.force_login(people["curator"])
    assert client.post(action_url(new_case, "delete_everything")).status_code == 404
    assert client.get(action_url(new_case, "route")).status_code == 405


@pytest.mark.django_db
def test_actions_need_csrf(people, new_case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["curator"])
    response = client.post(action_url(new_case, "route"), {"executor": people["anna"].pk})
    assert response.status_code == 403
    new_case.refresh_from_db()
    assert new_case.status == "new"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, new_case):
    response = client.get(page_url(new_case))
    assert response.status_code == 302 and "login" in response["Location"]


# Manual entry.


def entry_data(**overrides):
    detected = timezone.localtime(timezone.now() - 2 * HOUR, MOSCOW).replace(
        second=0, microsecond=0
    )
    data = {
        "network": "telegram",
        "url": "https://t.me/district/123",
        "author_name": "Ольга Иванова",
        "author_id": "olga_i",
        "text": "На остановке у рынка сломана скамейка и нет освещения.",
        "published_at": (detected - HOUR).strftime("%d.%m.%Y %H:%M"),
        "detected_at": detected.strftime("%d.%m.%Y %H:%M"),
        "received_at": "",
        "category": "Благоустройство",
        "kind": "incident",
    }
    data.update(overrides)
    return data, detected


@pytest.mark.django_db
def test_manual_entry_creates_a_case_with_deadlines(client, people):
    client.force_login(people["curator"])
    form = client.get(reverse("cases:add"))
    assert form.status_code == 200
    for name in ("published_at", "detected_at", "received_at"):
        assert f'initDateTimeChooser("id_{name}"' in form.content.decode()  # Wagtail's picker
    assert "date-time-chooser.js" in form.content.decode()
    data, detected = entry_data()
    response = client.post(reverse("cases:add"), data)
    case = Case.objects.get(author_id="olga_i")
    assert response.status_code == 302 and response["Location"] == page_url(case)
    assert case.source == "manual"
    assert case.detected_at == detected  # typed in the organisation's time zone
    assert case.profile is not None
    assert case.answer_due is not None and case.answer_due > case.detected_at
    assert case.next_due is not None
    assert CaseEvent.objects.filter(
        case=case, action="registered", actor=people["curator"]
    ).exists()


@pytest.mark.django_db
def test_manual_entry_validation_is_in_russian(client, people):
    client.force_login(people["curator"])
    data, _detected = entry_data(text="  ", network="", detected_at="")
    response = client.post(reverse("cases:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Вставьте текст сообщения." in html
    assert "Выберите сеть, где опубликовано сообщение." in html
    assert "Укажите, когда сообщение выявлено." in html
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_manual_entry_refuses_times_in_the_future(client, people):
    client.force_login(people["curator"])
    future = timezone.localtime(timezone.now() + 3 * HOUR, MOSCOW).strftime("%d.%m.%Y %H:%M")
    data, _detected = entry_data(detected_at=future, published_at="")
    response = client.post(reverse("cases:add"), data)
    assert "Дата ещё не наступила" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_manual_entry_of_a_repeat_is_announced(client, people, routed_case):
    client.force_login(people["curator"])
    data, _detected = entry_data(
        network="vk",
        author_id="id777",
        author_name="Иван Петров",
        text="Опять во дворе дома 7 по улице Ленина не вывозят мусор, уже неделю.",
    )
    response = client.post(reverse("cases:add"), data, follow=True)
    case = Case.objects.get(text__startswith="Опять")
    assert case.repeated_of == routed_case
    html = response.content.decode()
    assert (
        "повторное сообщение: ответ должен сообщать о принятых мерах или ходе решения (r11)"
        in html.lower()
    )
    assert f"Похоже на повтор сообщения № {routed_case.pk}" in html


@pytest.mark.django_db
def test_manual_entry_needs_the_permission(client, people):
    client.force_login(people["anna"])
    response = client.get(reverse("cases:add"))
    assert response.status_code in (302, 403)
    response = client.post(reverse("cases:add"), entry_data()[0])
    assert response.status_code in (302, 403)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_list_offers_new_message_only_to_those_who_may(client, people):
    client.force_login(people["curator"])
    assert reverse("cases:add") in client.get(reverse("cases:index")).content.decode()
    client.force_login(people["anna"])
    assert reverse("cases:add") not in client.get(reverse("my_cases:index")).content.decode()
    administrator = UserFactory(username="adm-v", groups=[roles.ADMINISTRATORS])
    client.force_login(administrator)
    response = client.get(reverse("cases:index"))
    assert response.status_code == 200
    shown = reverse("cases:add") in response.content.decode()
    assert shown == administrator.has_perm("newsroom.add_case")
