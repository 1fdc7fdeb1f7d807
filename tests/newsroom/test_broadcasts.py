"""Live broadcasts: the question form with its anti-spam, the questions turned into cases with a
two-week deadline after the broadcast, and the Q&A list on the page."""

import datetime

from django.test import override_settings
from django.utils import timezone

import pytest

from newsroom.broadcasts import services
from newsroom.models import BroadcastQuestion, Case, QuestionStatus
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broadcast(site_tree):
    start = timezone.now() + datetime.timedelta(days=1)
    return EventPageFactory(
        parent=site_tree.event_index,
        title="Прямой эфир с Главой района",
        kind="broadcast",
        start=start,
        end=start + datetime.timedelta(hours=1),
        speaker="Глава района",
        stream_url="https://vk.com/video-1_1",
        takes_questions=True,
    )


def ask(client, page, **fields):
    data = {
        "name": "Мария",
        "settlement": "с. Ключи",
        "text": "Когда отремонтируют дорогу на улице Мира?",
        "consent": "on",
        **fields,
    }
    return client.post(page.url, data, REMOTE_ADDR="203.0.113.7")


def test_the_page_shows_the_form_and_is_not_cached(client, broadcast):
    response = client.get(broadcast.url)
    html = response.content.decode()
    assert 'name="text"' in html and "Отправить вопрос" in html
    assert "Глава района" in html and "https://vk.com/video-1_1" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_question_is_accepted_and_its_repeat_kept_once(client, broadcast):
    response = ask(client, broadcast)
    assert response.status_code == 302 and response["Location"].endswith("?question=sent#questions")
    assert "Спасибо, вопрос принят" in client.get(response["Location"]).content.decode()
    question = BroadcastQuestion.objects.get()
    assert (question.name, question.settlement) == ("Мария", "с. Ключи")
    assert "персональных данных" in question.consent_text
    again = ask(client, broadcast, text="  когда  отремонтируют дорогу на улице Мира? ")
    assert again["Location"].endswith("?question=repeat#questions")
    assert BroadcastQuestion.objects.count() == 1


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"name": ""}, "Напишите, как к вам обращаться."),
        ({"settlement": ""}, "Укажите населённый пункт"),
        ({"text": "Когда?"}, "Вопрос слишком короткий"),
        ({"text": "я" * 2001}, "Вопрос длиннее 2000 знаков"),
        ({"consent": ""}, "Без согласия на обработку персональных данных"),
        ({"name": "Мария\u202e"}, ""),
        (
            {"text": "Смотрите https://a.example и https://b.example про дорогу"},
            "слишком много ссылок",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, broadcast, fields, error):
    response = ask(client, broadcast, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Вопрос не отправлен: исправьте отмеченные поля." in html
    assert error in html
    assert not BroadcastQuestion.objects.exists()


def test_the_trap_field_and_the_hourly_limit(client, broadcast):
    assert ask(client, broadcast, homepage="http://spam.example").status_code == 400
    assert not BroadcastQuestion.objects.exists()
    with override_settings(BROADCAST_QUESTIONS_PER_HOUR=2):
        for n in range(2):
            assert (
                ask(client, broadcast, text=f"Вопрос номер {n} про уборку снега").status_code == 302
            )
        limited = ask(client, broadcast, text="Третий вопрос про уборку снега")
    assert limited.status_code == 429
    assert "Попробуйте через час" in limited.content.decode()
    assert BroadcastQuestion.objects.count() == 2


def test_no_questions_after_the_broadcast(client, broadcast):
    broadcast.start = timezone.now() - datetime.timedelta(hours=2)
    broadcast.end = timezone.now() - datetime.timedelta(hours=1)
    broadcast.save_revision().publish()
    assert "Отправить вопрос" not in client.get(broadcast.url).content.decode()
    response = ask(client, broadcast)
    assert response.status_code == 400
    assert "Приём вопросов к этому эфиру закончен" in response.content.decode()
    assert not BroadcastQuestion.objects.exists()


def test_after_the_broadcast_unanswered_questions_become_cases_with_two_weeks(broadcast):
    def question(text, status, answer=""):
        return BroadcastQuestion.objects.create(
            event=broadcast,
            name="Иван",
            settlement="пос. Новый",
            text=text,
            status=status,
            answer=answer,
            topic="Дороги",
            consent_text="согласие",
        )

    open_one = question("Когда починят мост через реку?", QuestionStatus.NEW)
    picked = question("Будет ли автобус до посёлка?", QuestionStatus.PICKED)
    answered = question("Где получить справку?", QuestionStatus.ANSWERED, "В МФЦ, с 9 до 18.")
    rejected = question("Купите слонов", QuestionStatus.REJECTED)
    after = broadcast.end + datetime.timedelta(minutes=5)
    assert services.close_finished(now=broadcast.end - datetime.timedelta(minutes=1)) == 0
    assert services.close_finished(now=after) == 2
    assert services.close_finished(now=after) == 0  # once per broadcast
    cases = Case.objects.filter(source="broadcast").order_by("pk")
    assert [case.text for case in cases] == [open_one.text, picked.text]
    case = cases[0]
    assert case.profile.name == "Вопросы к прямому эфиру (две недели)"
    assert case.detected_at == broadcast.end
    local_due = timezone.localtime(case.answer_due).date()
    assert (local_due - timezone.localtime(broadcast.end).date()).days in range(10, 15)
    assert case.author_name == "Иван (пос. Новый)" and case.category == "Дороги"
    for item, status in [(open_one, "case"), (answered, "answered"), (rejected, "rejected")]:
        item.refresh_from_db()
        assert item.status == status
    assert open_one.case_id == case.pk


def test_the_answered_questions_are_listed_on_the_page(client, broadcast):
    BroadcastQuestion.objects.create(
        event=broadcast,
        name="Ольга",
        settlement="с. Ключи",
        text="Откроют ли каток?",
        status=QuestionStatus.ANSWERED,
        answer="Каток откроется 20 декабря.",
        consent_text="согласие",
    )
    BroadcastQuestion.objects.create(
        event=broadcast, name="Пётр", settlement="с. Ключи", text="Не для списка", consent_text="с"
    )
    html = client.get(broadcast.url).content.decode()
    assert "Вопросы и ответы" in html
    assert "Откроют ли каток?" in html and "Каток откроется 20 декабря." in html
    assert "Не для списка" not in html


def test_questions_only_for_a_broadcast(site_tree):
    from django.core.exceptions import ValidationError

    event = EventPageFactory.build(kind="meeting", takes_questions=True)
    with pytest.raises(ValidationError, match="только к прямому эфиру"):
        event.clean()


def questions_of(broadcast, *statuses):
    return [
        BroadcastQuestion.objects.create(
            event=broadcast,
            name=f"Житель {n}",
            settlement="с. Ключи",
            text=f"Вопрос номер {n} о дорогах",
            status=status,
            topic="Дороги" if n % 2 else "",
            consent_text="согласие",
        )
        for n, status in enumerate(statuses)
    ]


def test_the_press_office_picks_several_questions_at_once(client, broadcast):
    from django.contrib.messages import get_messages

    from newsroom import roles
    from tests.factories import UserFactory

    new, other, answered = questions_of(broadcast, "new", "new", "answered")
    client.force_login(UserFactory(groups=[roles.EDITORS]))
    listing = client.get("/admin/snippets/newsroom/broadcastquestion/").content.decode()
    assert "3 вопроса" in listing
    ids = f"id={new.pk}&id={other.pk}&id={answered.pk}"
    url = f"/admin/bulk/newsroom/broadcastquestion/pick_for_broadcast/?{ids}"
    page = client.get(url).content.decode()
    assert "Выбрать эти вопросы для эфира?" in page
    response = client.post(url, {})
    messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert messages == ["Для эфира выбрано 2 вопроса."]
    assert list(BroadcastQuestion.objects.order_by("pk").values_list("status", flat=True)) == [
        "picked",
        "picked",
        "answered",
    ]
    client.post(f"/admin/bulk/newsroom/broadcastquestion/reject_questions/?id={new.pk}", {})
    new.refresh_from_db()
    assert new.status == "rejected"


def test_others_cannot_sort_questions(client, broadcast):
    from newsroom import roles
    from tests.factories import UserFactory

    (question,) = questions_of(broadcast, "new")
    client.force_login(UserFactory(groups=[roles.EXECUTORS]))
    url = f"/admin/bulk/newsroom/broadcastquestion/pick_for_broadcast/?id={question.pk}"
    assert client.post(url, {}).status_code in {302, 403}
    question.refresh_from_db()
    assert question.status == "new"


def test_the_speakers_sheet_groups_the_picked_questions_by_topic(client, broadcast):
    from django.urls import reverse

    from newsroom import roles
    from tests.factories import UserFactory

    questions_of(broadcast, "picked", "picked", "new", "rejected")
    client.force_login(UserFactory(groups=[roles.HEAD_OF_PRESS_OFFICE]))
    html = client.get(reverse("newsroom_speaker_sheet", args=(broadcast.pk,))).content.decode()
    assert html.count("data-speaker-topic") == 2  # «Без темы» and «Дороги»
    assert "Вопрос номер 0 о дорогах" in html and "Вопрос номер 1 о дорогах" in html
    assert "Вопрос номер 3" not in html
    assert "Ещё не разобрано вопросов: 1." in html
    assert "Вопросы для ведущего" in html
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,))).content.decode()
    assert "Вопросов: 4, не разобрано: 1." in edit
    assert reverse("newsroom_speaker_sheet", args=(broadcast.pk,)) in edit
