"""The intake API: monitoring systems send the messages they find; each becomes a case.

``POST /api/v1/messages/`` registers a message (idempotent on the sender's ``external_id``);
``GET /api/v1/messages/<id>/`` shows a case the token's user may see. Every answer is JSON,
errors included: ``{"errors": {field: [messages]}, "message": "..."}``.
"""

import json
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from newsroom.casework.intake.api.auth import AuthenticationFailed, authenticate
from newsroom.casework.intake.api.forms import MessageForm, unknown_fields
from newsroom.casework.intake.api.serializers import case_to_dict
from newsroom.casework.services.cases import CaseError, register_case
from newsroom.models import Case, CaseEvent

MAX_BODY_BYTES = 256 * 1024
SOURCE_MAX_LENGTH = Case._meta.get_field("source").max_length
NON_FIELD = "__all__"


def error(status, message, errors=None, **headers):
    response = JsonResponse(
        {"errors": errors or {}, "message": message},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return private(response)


def private(response):
    # The anonymous page cache keys on the URL alone: an API answer must never be stored in it.
    response["Cache-Control"] = "private, no-store"
    return response


def case_response(case, status, **headers):
    response = JsonResponse(
        case_to_dict(case), status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return private(response)


def api_view(methods):
    """JSON 405 for other methods, no CSRF (no cookies are used), the token's user resolved."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return error(
                    405,
                    "Метод %s здесь не поддерживается; допустимо: %s."
                    % (request.method, ", ".join(methods)),
                    Allow=", ".join(methods),
                )
            try:
                api_token = authenticate(request)
            except AuthenticationFailed as failure:
                return error(401, failure.message, WWW_Authenticate=failure.www_authenticate)
            request.api_token = api_token
            request.user = api_token.user
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_large():
    return error(
        413,
        "Тело запроса больше %d КБ." % (MAX_BODY_BYTES // 1024),
        {NON_FIELD: ["Сообщение слишком большое: не больше %d байт." % MAX_BODY_BYTES]},
    )


def read_json_object(request):
    """The body as a JSON object, or the error response to send instead."""
    if request.content_type != "application/json":
        return None, error(
            415,
            "Тело запроса должно быть в формате JSON с заголовком Content-Type: application/json.",
            {NON_FIELD: ["Неподдерживаемый тип содержимого: %s." % (request.content_type or "—")]},
        )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return None, too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        return None, too_large()
    if len(body) > MAX_BODY_BYTES:
        return None, too_large()
    invalid = "Тело запроса не разобрано как JSON."
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return None, error(
            400, invalid, {NON_FIELD: ["Тело запроса должно быть в кодировке UTF-8."]}
        )
    except RecursionError:
        return None, error(400, invalid, {NON_FIELD: ["Слишком глубокая вложенность JSON."]})
    except ValueError as problem:
        return None, error(
            400,
            invalid,
            {
                NON_FIELD: [
                    "Ошибка в JSON: строка %d, позиция %d." % (problem.lineno, problem.colno)
                    if isinstance(problem, json.JSONDecodeError)
                    else "Ошибка в JSON."
                ]
            },
        )
    if not isinstance(payload, dict):
        return None, error(
            400,
            invalid,
            {NON_FIELD: ["Ожидается JSON-объект с полями сообщения, а не список или значение."]},
        )
    broken = broken_unicode_fields(payload)
    if broken:
        return None, error(
            400,
            "Сообщение не принято: исправьте поля %s." % ", ".join(broken),
            {name: [BROKEN_UNICODE] for name in broken},
        )
    return payload, None


BROKEN_UNICODE = (
    "Текст повреждён: в нём половина символа Юникода (непарный суррогат, например \\ud800). "
    "Проверьте кодировку источника."
)


def has_surrogate(value):
    if isinstance(value, str):
        return any(0xD800 <= ord(char) <= 0xDFFF for char in value)
    if isinstance(value, list):
        return any(has_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in value.items())
    return False


def broken_unicode_fields(payload):
    """Top-level fields whose name or value holds a lone surrogate, named so they can be shown.

    JSON's ``\\ud800`` escapes decode into strings that cannot be encoded as UTF-8, so they are
    refused before anything echoes them back (a field named by one is shown escaped).
    """
    return sorted(
        (key.encode("utf-8", "backslashreplace").decode("utf-8") if has_surrogate(key) else key)
        for key, value in payload.items()
        if has_surrogate(key) or has_surrogate(value)
    )


@api_view(["POST"])
def message_list(request):
    user = request.user
    if not user.has_perm("newsroom.add_case"):
        return error(403, "У учётной записи токена нет права регистрировать сообщения.")
    source = user.get_username()
    if len(source) > SOURCE_MAX_LENGTH:
        return error(
            403,
            "Имя учётной записи токена длиннее %d символов и не может быть источником сообщений; "
            "выпустите токен командой create_api_token." % SOURCE_MAX_LENGTH,
        )
    payload, failure = read_json_object(request)
    if failure is not None:
        return failure

    form = MessageForm(data=payload)
    errors = {} if form.is_valid() else {k: list(v) for k, v in form.errors.items()}
    for name in unknown_fields(payload):
        errors[name] = ["Неизвестное поле: API его не принимает."]
    if errors:
        return error(
            400,
            "Сообщение не принято: исправьте поля %s." % ", ".join(sorted(errors)),
            errors,
        )

    try:
        case, created = register_case(form.case_data(), source=source, actor=user)
    except CaseError as refusal:
        return error(400, str(refusal), {NON_FIELD: [str(refusal)]})
    case = Case.objects.select_related("profile").get(pk=case.pk)
    location = request.build_absolute_uri(reverse("newsroom_api:message", args=(case.pk,)))
    if created:
        return case_response(case, 201, Location=location)
    return case_response(case, 200, Content_Location=location)


def visible_cases(user):
    """Cases the user may see through the API: by their role, or those they sent themselves."""
    sent_by_user = CaseEvent.objects.filter(case=OuterRef("pk"), action="registered", actor=user)
    return Case.objects.filter(
        Q(pk__in=Case.objects.visible_to(user).values("pk"))
        | Q(Exists(sent_by_user), source=user.get_username())
    )


@api_view(["GET"])
def message_detail(request, case_id):
    user = request.user
    if not (user.has_perm("newsroom.view_case") or user.has_perm("newsroom.add_case")):
        return error(403, "У учётной записи токена нет права просматривать сообщения.")
    case = visible_cases(user).select_related("profile").filter(pk=case_id).first()
    if case is None:
        return error(404, "Сообщение не найдено.")
    return case_response(case, 200)


@csrf_exempt
def not_found(request, *args, **kwargs):
    return error(404, "Нет такого адреса API.")
