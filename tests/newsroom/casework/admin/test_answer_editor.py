"""The answer editor shows the checklist and the style check; only people of the case open it."""

from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.answers import start_answer
from tests.factories import UserFactory


@pytest.fixture
def drafted(site_tree):
    curator = UserFactory(username="curator", groups=["Кураторы"])
    executor = UserFactory(username="executor", groups=["Исполнители"])
    case, _ = cases.register_case(
        {"network": "vk", "text": "Нет воды", "detected_at": timezone.now()}, source="t"
    )
    cases.apply(case.pk, "route", curator, executor=executor)
    answer = start_answer(case.pk, executor)
    answer.text = "Ваше обращение рассмотрено. В настоящее время осуществляется ремонт."
    answer.save_revision(user=executor)
    return answer, executor


def edit_url(answer):
    return reverse(answer.snippet_viewset.get_url_name("edit"), args=(answer.pk,))


@pytest.mark.django_db
def test_the_executor_sees_hints_in_the_answer_editor(client, drafted):
    answer, executor = drafted
    client.force_login(executor)
    body = client.get(edit_url(answer)).content.decode()
    assert "Проверка ответа" in body
    assert "Нет срока" in body
    assert 'data-hint="evidence" data-ok="0"' in body
    assert "в настоящее время" in body.lower()  # the style check of the newsroom


@pytest.mark.django_db
def test_another_executor_cannot_open_the_answer(client, drafted):
    answer, _ = drafted
    client.force_login(UserFactory(username="stranger", groups=["Исполнители"]))
    response = client.get(edit_url(answer))
    assert response.status_code in (302, 403, 404)
    assert "Ваше обращение рассмотрено" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["edit", "history", "workflow_history", "revisions_compare"])
def test_no_view_of_the_answer_opens_for_another_executor(client, drafted, view):
    answer, executor = drafted
    name = answer.snippet_viewset.get_url_name(view)
    revision = answer.latest_revision
    args = (answer.pk, "earliest", revision.pk) if view == "revisions_compare" else (answer.pk,)
    client.force_login(executor)
    assert client.get(reverse(name, args=args)).status_code == 200, (
        "the executor of the case opens it"
    )
    client.force_login(UserFactory(username="stranger2", groups=["Исполнители"]))
    assert client.get(reverse(name, args=args)).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_answers_are_searched_within_the_cases_each_may_see(client, drafted):
    answer, executor = drafted
    answer.text = "Ремонт водопровода на улице Мира закончат в пятницу."
    answer.save()
    other = UserFactory(username="other-executor", groups=["Исполнители"])
    url = reverse(answer.snippet_viewset.get_url_name("list")) + "?q=водопровода"
    for user, found in ((executor, True), (other, False)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert (f"на сообщение № {answer.case_id}" in response.content.decode()) is found


@pytest.mark.django_db
def test_the_answer_editor_shows_the_message_and_the_time_left(client, drafted):
    answer, executor = drafted
    client.force_login(executor)
    body = client.get(edit_url(answer)).content.decode()
    assert "Сообщение гражданина и срок" in body
    assert "Нет воды" in body  # the citizen's text
    assert "data-case-due" in body
    assert ("осталось" in body) or ("просрочено на" in body)
