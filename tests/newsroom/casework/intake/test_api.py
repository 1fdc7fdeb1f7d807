"""The intake API for monitoring systems: POST /api/v1/messages/, GET /api/v1/messages/<id>/."""

import datetime
import json

from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from wagtail.models import APIToken

import pytest

from newsroom import roles
from newsroom.casework.services import cases
from newsroom.models import Case, CaseEvent
from newsroom.organisation import organisation_settings
from tests.factories import UserFactory

URL = "/api/v1/messages/"
TEXT = "Третий день нет воды на улице Мира в селе Ключи, когда починят водопровод?"


def detail_url(case_id):
    return f"{URL}{case_id}/"


def payload(**overrides):
    data = {
        "network": "vk",
        "url": "https://vk.com/wall-1_100",
        "author_name": "Мария Петрова",
        "author_id": "id100",
        "text": TEXT,
        "published_at": "2026-11-20T15:40:00+03:00",
        "detected_at": "2026-11-20T16:00:00+03:00",
        "category": "ЖКХ",
        "attachments": ["https://vk.com/photo-1_1", "https://vk.com/photo-1_2"],
        "external_id": "vk-100",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not DROP}


DROP = object()


def integration_user(username="integration-monitor", perms=("add_case", "view_case")):
    user = UserFactory(username=username)
    user.set_unusable_password()
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=perms)
    )
    return user


def token_for(user, name="Мониторинг"):
    return APIToken.create_token(user=user, name=name)


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, token, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    extra.setdefault("content_type", "application/json")
    headers = auth(token) if token else {}
    return client.post(URL, body, **headers, **extra)


def get(client, token, case_id):
    return client.get(detail_url(case_id), **auth(token))


@pytest.fixture
def integration(db):
    user = integration_user()
    instance, plaintext = token_for(user)
    return user, instance, plaintext


@pytest.fixture
def token(integration):
    return integration[2]


def assert_nothing_stored():
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


# --- Registration -------------------------------------------------------------------------


@pytest.mark.django_db
def test_post_registers_the_message_with_its_deadlines(client, integration):
    user, _instance, token = integration
    response = post(client, token, payload())

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert response["Location"] == f"http://testserver/api/v1/messages/{case.pk}/"
    assert body["status"] == "new"
    assert body["status_label"] == "Новое"
    assert body["network"] == "vk"
    assert body["url"] == "https://vk.com/wall-1_100"
    assert body["text"] == TEXT
    assert body["kind"] == "incident", "the kind defaults to an ordinary incident"
    assert body["repeated_of"] is None
    assert body["profile"] == "Ключевский район (2021)"
    assert body["detected_at"] == "2026-11-20T16:00:00+03:00"
    # Fri 16:00–18:00 (2 h) + Mon 09:00–13:00 (4 h) + 14:00–17:00 (3 h): 9 working hours.
    assert body["deadlines"]["answer_due"] == "2026-11-23T17:00:00+03:00"
    # 4 working hours before: back 3 h to 14:00, the lunch break skipped, 1 h more to 12:00.
    assert body["deadlines"]["draft_due"] == "2026-11-23T12:00:00+03:00"
    assert body["deadlines"]["routing_due"] is None, "this profile sets no routing term"
    assert body["deadlines"]["next_due"] == "2026-11-23T17:00:00+03:00"

    assert case.source == user.username, "the integration's user is the source of its cases"
    assert case.external_id == "vk-100"
    assert case.author_name == "Мария Петрова"
    assert case.category == "ЖКХ"
    assert case.attachments == ["https://vk.com/photo-1_1", "https://vk.com/photo-1_2"]
    assert case.published_at == datetime.datetime(2026, 11, 20, 12, 40, tzinfo=datetime.UTC)
    event = CaseEvent.objects.get()
    assert (event.case, event.action, event.actor) == (case, "registered", user)


@pytest.mark.django_db
def test_moments_in_utc_are_shown_in_the_organisation_time_zone(client, token):
    response = post(client, token, payload(detected_at="2026-11-20T13:00:00Z"))
    assert response.status_code == 201
    assert response.json()["detected_at"] == "2026-11-20T16:00:00+03:00"


@pytest.mark.django_db
def test_deadlines_follow_the_organisation_time_zone_setting(client, token):
    settings = organisation_settings()
    settings.time_zone = "Asia/Barnaul"
    settings.save()
    response = post(client, token, payload(detected_at="2026-11-20T16:00:00+07:00"))
    assert response.status_code == 201
    body = response.json()
    assert body["detected_at"] == "2026-11-20T16:00:00+07:00"
    assert body["deadlines"]["answer_due"] == "2026-11-23T17:00:00+07:00"


@pytest.mark.django_db
def test_kind_and_received_at_are_stored(client, token):
    response = post(
        client,
        token,
        payload(kind="high_importance", received_at="2026-11-20T16:30:00+03:00"),
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "high_importance"
    case = Case.objects.get()
    assert case.is_high_importance
    assert case.received_at == datetime.datetime(2026, 11, 20, 13, 30, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_optional_fields_may_be_left_out_or_null(client, token):
    data = {
        "network": "telegram",
        "text": TEXT,
        "detected_at": "2026-11-20T16:00:00+03:00",
        "external_id": "tg-1",
        "url": None,
        "attachments": None,
    }
    response = post(client, token, data)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.url, case.author_id, case.attachments, case.kind) == ("", "", [], "incident")


@pytest.mark.django_db
def test_a_repeat_of_an_earlier_message_is_linked(client, token):
    earlier, _ = cases.register_case(
        {
            "network": "vk",
            "text": TEXT,
            "author_id": "id100",
            "detected_at": datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC),
        },
        source="manual",
    )
    response = post(client, token, payload())
    assert response.status_code == 201
    assert response.json()["repeated_of"] == earlier.pk


@pytest.mark.django_db
def test_the_largest_allowed_text_is_accepted(client, token):
    text = "ж" * 20_000  # 40 000 bytes in UTF-8: well within the body limit
    response = post(client, token, payload(text=text))
    assert response.status_code == 201
    assert Case.objects.get().text == text


@pytest.mark.django_db
def test_path_without_trailing_slash_also_registers(client, token):
    response = client.post(
        "/api/v1/messages", json.dumps(payload()), content_type="application/json", **auth(token)
    )
    assert response.status_code == 201
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_no_csrf_token_is_needed(token):
    client = Client(enforce_csrf_checks=True)
    response = post(client, token, payload())
    assert response.status_code == 201


# --- Idempotency --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_external_id_again_returns_the_same_case(client, token):
    first = post(client, token, payload())
    again = post(client, token, payload(text="Совсем другой текст, отправленный повторно."))

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["text"] == TEXT, "the stored case is returned, not the new body"
    assert "Location" not in again
    assert again["Content-Location"].endswith(detail_url(first.json()["id"]))
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1, "nothing is logged for a repeated delivery"


@pytest.mark.django_db
def test_a_numeric_external_id_is_the_same_key_as_its_string(client, token):
    first = post(client, token, payload(external_id=12345))
    again = post(client, token, payload(external_id="12345"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert Case.objects.get().external_id == "12345"


@pytest.mark.django_db
def test_the_same_external_id_from_another_integration_is_another_case(client, token):
    other_user = integration_user("integration-other")
    _instance, other_token = token_for(other_user)

    first = post(client, token, payload())
    second = post(client, other_token, payload())

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert set(Case.objects.values_list("source", "external_id")) == {
        ("integration-monitor", "vk-100"),
        ("integration-other", "vk-100"),
    }
    assert second.json()["repeated_of"] == first.json()["id"], "same author, same text"


# --- Validation -----------------------------------------------------------------------------

VALIDATION_CASES = [
    # (test id, overrides, field, fragment of the Russian message)
    ("network-missing", {"network": DROP}, "network", "Укажите сеть: vk, ok, telegram, max"),
    ("network-unknown", {"network": "facebook"}, "network", "Недопустимое значение «facebook»"),
    ("network-not-string", {"network": 1}, "network", "Ожидается строка, одно из значений"),
    ("url-not-a-link", {"url": "vk.com/wall-1_100"}, "url", "начинающуюся с http:// или https://"),
    ("url-other-scheme", {"url": "ftp://example.ru/x"}, "url", "http:// или https://"),
    ("url-too-long", {"url": "https://vk.com/" + "a" * 990}, "url", "Не длиннее 1000 символов"),
    (
        "author-name-too-long",
        {"author_name": "я" * 256},
        "author_name",
        "Не длиннее 255 символов (сейчас 256)",
    ),
    ("author-id-too-long", {"author_id": "1" * 129}, "author_id", "Не длиннее 128 символов"),
    ("author-id-list", {"author_id": ["id1"]}, "author_id", "Ожидается строка или целое число."),
    ("text-missing", {"text": DROP}, "text", "Укажите текст сообщения"),
    ("text-empty", {"text": ""}, "text", "Укажите текст сообщения"),
    ("text-blank", {"text": "  \n\t "}, "text", "Укажите текст сообщения"),
    ("text-null", {"text": None}, "text", "Укажите текст сообщения"),
    ("text-too-long", {"text": "ж" * 20_001}, "text", "Не длиннее 20000 символов (сейчас 20001)"),
    ("text-not-string", {"text": {"body": "вода"}}, "text", "Ожидается строка."),
    ("detected-missing", {"detected_at": DROP}, "detected_at", "Укажите, когда сообщение выявлено"),
    (
        "detected-naive",
        {"detected_at": "2026-11-20T16:00:00"},
        "detected_at",
        "Укажите смещение часового пояса",
    ),
    (
        "detected-garbage",
        {"detected_at": "вчера вечером"},
        "detected_at",
        "в формате ISO 8601 со смещением",
    ),
    (
        "detected-date-only",
        {"detected_at": "2026-11-20"},
        "detected_at",
        "в формате ISO 8601 со смещением",
    ),
    ("detected-number", {"detected_at": 1763643600}, "detected_at", "в формате ISO 8601"),
    (
        "detected-impossible",
        {"detected_at": "2026-11-31T10:00:00+03:00"},
        "detected_at",
        "Такой даты или времени не существует",
    ),
    (
        "published-naive",
        {"published_at": "2026-11-20 15:40"},
        "published_at",
        "Укажите смещение часового пояса",
    ),
    ("received-garbage", {"received_at": "20.11.2026 16:30"}, "received_at", "ISO 8601"),
    ("category-too-long", {"category": "т" * 256}, "category", "Не длиннее 255 символов"),
    (
        "kind-unknown",
        {"kind": "complaint"},
        "kind",
        "Недопустимое значение «complaint». Допустимые: incident, high_importance",
    ),
    (
        "attachments-not-list",
        {"attachments": "https://vk.com/photo-1_1"},
        "attachments",
        "Ожидается список ссылок.",
    ),
    (
        "attachments-too-many",
        {"attachments": [f"https://vk.com/photo-1_{n}" for n in range(21)]},
        "attachments",
        "Не больше 20 вложений (сейчас 21).",
    ),
    (
        "attachments-bad-link",
        {"attachments": ["https://vk.com/photo-1_1", "photo.jpg"]},
        "attachments",
        "Вложение № 2: Укажите полную ссылку",
    ),
    (
        "attachments-not-string",
        {"attachments": [{"url": "https://vk.com/photo-1_1"}]},
        "attachments",
        "Вложение № 1: ожидается строка со ссылкой.",
    ),
    ("external-id-missing", {"external_id": DROP}, "external_id", "Укажите external_id"),
    ("external-id-empty", {"external_id": ""}, "external_id", "Укажите external_id"),
    (
        "external-id-too-long",
        {"external_id": "x" * 129},
        "external_id",
        "Не длиннее 128 символов (сейчас 129)",
    ),
    ("external-id-bool", {"external_id": True}, "external_id", "Ожидается строка или целое число."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [case[1:] for case in VALIDATION_CASES],
    ids=[case[0] for case in VALIDATION_CASES],
)
def test_each_field_rule_is_reported_in_russian(client, token, overrides, field, fragment):
    response = post(client, token, payload(**overrides))

    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [field], "only the bad field is named"
    assert any(fragment in message for message in body["errors"][field]), body["errors"]
    assert field in body["message"]
    assert_nothing_stored()


@pytest.mark.django_db
def test_all_bad_fields_are_named_at_once(client, token):
    response = post(
        client, token, payload(network="fb", text="", detected_at="2026-11-20T16:00:00")
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"network", "text", "detected_at"}
    assert_nothing_stored()


@pytest.mark.django_db
def test_unknown_fields_are_named(client, token):
    response = post(client, token, payload(source="manual", priority=1))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"source", "priority"}
    assert errors["source"] == ["Неизвестное поле: API его не принимает."]
    assert_nothing_stored()


@pytest.mark.django_db
def test_malformed_json_is_refused(client, token):
    response = post(client, token, '{"network": "vk", "text": ')
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Тело запроса не разобрано как JSON."
    assert body["errors"]["__all__"][0].startswith("Ошибка в JSON: строка 1")
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_json_list_is_refused(client, token):
    response = post(client, token, json.dumps([payload()]))
    assert response.status_code == 400
    assert "Ожидается JSON-объект" in response.json()["errors"]["__all__"][0]
    assert_nothing_stored()


@pytest.mark.django_db
def test_deeply_nested_json_is_refused_not_crashed(client, token):
    response = post(client, token, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_body_not_in_utf8_is_refused(client, token):
    response = post(client, token, json.dumps(payload(), ensure_ascii=False).encode("cp1251"))
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["Тело запроса должно быть в кодировке UTF-8."]
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_other_content_types_are_refused(client, token, content_type):
    response = post(client, token, json.dumps(payload()), content_type=content_type)
    assert response.status_code == 415
    body = response.json()
    assert "Content-Type: application/json" in body["message"]
    assert content_type in body["errors"]["__all__"][0]
    assert_nothing_stored()


@pytest.mark.django_db
def test_json_with_a_charset_parameter_is_accepted(client, token):
    response = post(client, token, payload(), content_type="application/json; charset=utf-8")
    assert response.status_code == 201


@pytest.mark.django_db
def test_a_body_over_256_kb_is_refused(client, token):
    data = payload(text="ж" * 10, category="x" * (256 * 1024))
    response = post(client, token, data)
    assert response.status_code == 413
    body = response.json()
    assert body["message"] == "Тело запроса больше 256 КБ."
    assert "__all__" in body["errors"]
    assert_nothing_stored()


# --- Authentication and permissions ---------------------------------------------------------


def assert_unauthorized(response, fragment):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert fragment in response.json()["message"]
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_request_without_a_token_is_unauthorized(client, token):
    response = post(client, None, payload())
    assert_unauthorized(response, "Нужен токен доступа")
    assert "error=" not in response["WWW-Authenticate"], "no token is not an invalid token"


@pytest.mark.django_db
def test_another_scheme_is_unauthorized(client, token):
    response = post(client, None, payload(), HTTP_AUTHORIZATION=f"Token {token}")
    assert_unauthorized(response, "Bearer <токен>")


@pytest.mark.django_db
def test_a_malformed_token_is_unauthorized(client, token):
    response = post(client, token[:-1] + ("A" if token[-1] != "A" else "B"), payload())
    assert_unauthorized(response, "неверный формат")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.django_db
def test_an_unknown_token_is_unauthorized(client, token):
    response = post(client, APIToken.generate_token(), payload())
    assert_unauthorized(response, "Токен не найден")


@pytest.mark.django_db
def test_a_revoked_token_is_unauthorized(client, integration):
    _user, instance, token = integration
    instance.revoke()
    response = post(client, token, payload())
    assert_unauthorized(response, "Токен отозван")


@pytest.mark.django_db
def test_a_token_of_a_disabled_user_is_unauthorized(client, integration):
    user, _instance, token = integration
    user.is_active = False
    user.save()
    response = post(client, token, payload())
    assert_unauthorized(response, "отключена")


@pytest.mark.django_db
def test_the_scheme_name_is_case_insensitive(client, token):
    response = post(client, None, payload(), HTTP_AUTHORIZATION=f"bearer {token}")
    assert response.status_code == 201


@pytest.mark.django_db
def test_a_session_does_not_replace_the_token(client):
    admin = UserFactory(username="boss", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = post(client, None, payload())
    assert_unauthorized(response, "Нужен токен доступа")


@pytest.mark.django_db
def test_a_user_without_the_add_permission_is_forbidden(client):
    executor = UserFactory(username="executor", groups=[roles.EXECUTORS])
    _instance, token = token_for(executor)
    response = post(client, token, payload())
    assert response.status_code == 403
    assert (
        response.json()["message"] == "У учётной записи токена нет права регистрировать сообщения."
    )
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_curator_may_register_through_the_api(client):
    curator = UserFactory(username="curator", groups=[roles.CURATORS])
    _instance, token = token_for(curator)
    response = post(client, token, payload())
    assert response.status_code == 201
    assert Case.objects.get().source == "curator"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete", "get"])
def test_other_methods_on_the_collection_are_not_allowed(client, token, method):
    response = getattr(client, method)(URL, **auth(token))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "не поддерживается" in response.json()["message"]


@pytest.mark.django_db
def test_posting_to_a_case_is_not_allowed(client, token):
    created = post(client, token, payload()).json()
    response = post_to(client, detail_url(created["id"]), token)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert Case.objects.count() == 1


def post_to(client, url, token):
    return client.post(url, json.dumps(payload()), content_type="application/json", **auth(token))


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404(client, token):
    response = client.get("/api/v1/nothing/", **auth(token))
    assert response.status_code == 404
    assert response.json()["message"] == "Нет такого адреса API."


# --- Reading a case -------------------------------------------------------------------------


def manual_case(text=TEXT, **fields):
    data = {
        "network": "ok",
        "text": text,
        "detected_at": timezone.now(),
        **fields,
    }
    return cases.register_case(data, source="manual")[0]


@pytest.fixture
def executors(db):
    first = UserFactory(username="executor-a", groups=[roles.EXECUTORS])
    second = UserFactory(username="executor-b", groups=[roles.EXECUTORS])
    first_case = manual_case("Во дворе дома 5 по улице Мира не вывозят мусор.")
    second_case = manual_case("На остановке у школы разбито стекло, дети мёрзнут.")
    Case.objects.filter(pk=first_case.pk).update(executor=first)
    Case.objects.filter(pk=second_case.pk).update(executor=second)
    return {
        "first": (first, token_for(first)[1], first_case),
        "second": (second, token_for(second)[1], second_case),
    }


@pytest.mark.django_db
def test_an_executor_reads_only_the_cases_assigned_to_them(client, executors):
    _first, first_token, first_case = executors["first"]
    _second, second_token, second_case = executors["second"]

    own = get(client, first_token, first_case.pk)
    assert own.status_code == 200
    assert own.json()["id"] == first_case.pk
    assert own.json()["text"] == first_case.text
    assert "no-store" in own["Cache-Control"]

    # Read the other way round right after: an answer cached by URL would leak here.
    assert get(client, second_token, first_case.pk).status_code == 404
    assert get(client, first_token, second_case.pk).status_code == 404
    assert get(client, second_token, second_case.pk).status_code == 200


@pytest.mark.django_db
def test_a_hidden_case_looks_like_a_missing_one(client, executors):
    _first, first_token, _first_case = executors["first"]
    _second, _second_token, second_case = executors["second"]
    hidden = get(client, first_token, second_case.pk)
    missing = get(client, first_token, second_case.pk + 1000)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"errors": {}, "message": "Сообщение не найдено."}


@pytest.mark.django_db
def test_an_integration_reads_what_it_sent_and_nothing_else(client, token):
    other_user = integration_user("integration-other")
    _instance, other_token = token_for(other_user)
    own = post(client, token, payload()).json()
    others = post(client, other_token, payload(external_id="other-1")).json()
    manual = manual_case("Когда отремонтируют дорогу на улице Ленина?")

    response = get(client, token, own["id"])
    assert response.status_code == 200
    assert response.json() == own
    assert get(client, token, others["id"]).status_code == 404
    assert get(client, token, manual.pk).status_code == 404
    assert get(client, other_token, own["id"]).status_code == 404


@pytest.mark.django_db
def test_a_username_equal_to_a_source_does_not_reveal_its_cases(client):
    """A user called «manual» is not the author of every manually registered case."""
    case = manual_case()
    namesake = integration_user("manual")
    _instance, token = token_for(namesake)
    assert get(client, token, case.pk).status_code == 404


@pytest.mark.django_db
def test_a_curator_reads_every_case(client, executors):
    curator = UserFactory(username="curator", groups=[roles.CURATORS])
    _instance, token = token_for(curator)
    for _user, _token, case in executors.values():
        assert get(client, token, case.pk).status_code == 200


@pytest.mark.django_db
def test_reading_needs_a_case_permission(client, executors):
    nobody = UserFactory(username="nobody")
    _instance, token = token_for(nobody)
    Case.objects.filter(pk=executors["first"][2].pk).update(executor=nobody)
    response = get(client, token, executors["first"][2].pk)
    assert response.status_code == 403


@pytest.mark.django_db
def test_reading_needs_a_token(client, executors):
    response = client.get(detail_url(executors["first"][2].pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Token bookkeeping ----------------------------------------------------------------------


@pytest.mark.django_db
def test_last_used_at_is_recorded_at_most_once_a_minute(client, integration):
    _user, instance, token = integration
    assert instance.last_used_at is None

    post(client, token, payload())
    instance.refresh_from_db()
    first_use = instance.last_used_at
    assert first_use is not None
    assert timezone.now() - first_use < datetime.timedelta(seconds=30)

    post(client, token, payload())
    instance.refresh_from_db()
    assert instance.last_used_at == first_use, "no write within the minute"

    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    APIToken.objects.filter(pk=instance.pk).update(last_used_at=an_hour_ago)
    client.get(detail_url(Case.objects.get().pk), **auth(token))
    instance.refresh_from_db()
    assert instance.last_used_at > an_hour_ago


@pytest.mark.django_db
def test_a_revoked_token_is_not_marked_used(client, integration):
    _user, instance, token = integration
    instance.revoke()
    post(client, token, payload())
    instance.refresh_from_db()
    assert instance.last_used_at is None
