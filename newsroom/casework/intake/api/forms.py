"""Validation of a message sent by a monitoring system: one Django form, errors per field.

The form takes the decoded JSON object as its data, so a value may arrive as any JSON type; each
field checks the type it expects instead of turning, say, a list into its string form. Every
message is written out in Russian here so that a client sees the same words whatever Django's
translations say.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsroom.casework.rules.moments import moment_problem
from newsroom.models import CaseKind
from newsroom.networks import CASE_NETWORKS
from newsroom.validators import plain_line, plain_text

TEXT_MAX_LENGTH = 20_000
URL_MAX_LENGTH = 1000  # as Case.url
MAX_ATTACHMENTS = 20
EXTERNAL_ID_MAX_LENGTH = 128  # as Case.external_id

REQUIRED = "Обязательное поле."
NOT_A_STRING = "Ожидается строка."
TOO_LONG = "Не длиннее %(limit_value)d символов (сейчас %(show_value)d)."
BAD_URL = "Укажите полную ссылку, начинающуюся с http:// или https://."
NAIVE_DATETIME = (
    "Укажите смещение часового пояса: дата и время без него неоднозначны. "
    "Пример: 2026-11-20T16:00:00+03:00 или 2026-11-20T13:00:00Z."
)
BAD_DATETIME = (
    "Ожидаются дата и время в формате ISO 8601 со смещением часового пояса, "
    "например 2026-11-20T16:00:00+03:00."
)

DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}")
# Only these stand for "no value": an empty list or object is a wrong type, not an empty field.
EMPTY = (None, "")

http_url = URLValidator(schemes=["http", "https"], message=BAD_URL)


def choices_hint(choices):
    return ", ".join(value for value, _label in choices)


class StrictCharField(forms.CharField):
    """A string, and only a string; ``integers`` additionally accepts whole numbers (ids).

    A single line unless ``multiline``; broken Unicode, control characters and direction
    overrides are refused either way.
    """

    empty_values = list(EMPTY)

    def __init__(self, *, integers=False, multiline=False, **kwargs):
        self.integers = integers
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [plain_text if multiline else plain_line, *kwargs["validators"]]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {
            "required": REQUIRED,
            "max_length": TOO_LONG,
            **kwargs["error_messages"],
        }
        super().__init__(**kwargs)
        # NUL is one of the characters plain_line names; Django's own check would say it twice.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        if self.integers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValidationError(
                "Ожидается строка или целое число." if self.integers else NOT_A_STRING,
                code="invalid_type",
            )
        return super().to_python(value)


class HttpURLField(StrictCharField):
    default_validators = [http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", URL_MAX_LENGTH)
        super().__init__(**kwargs)


class StrictChoiceField(forms.ChoiceField):
    empty_values = list(EMPTY)

    def __init__(self, *, choices, **kwargs):
        invalid = "Недопустимое значение «%(value)s». Допустимые: " + choices_hint(choices) + "."
        kwargs["error_messages"] = {
            "required": REQUIRED,
            "invalid_choice": invalid,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(choices=choices, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        if not isinstance(value, str):
            raise ValidationError(
                "Ожидается строка, одно из значений: %(values)s.",
                code="invalid_type",
                params={"values": choices_hint(self.choices)},
            )
        return value


class AwareDateTimeField(forms.Field):
    """An ISO 8601 moment with its UTC offset; a naive one is refused, never guessed."""

    default_error_messages = {"required": REQUIRED}
    empty_values = list(EMPTY)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or DATE_ONLY.fullmatch(value.strip()):
            raise ValidationError(BAD_DATETIME, code="invalid")
        try:
            moment = parse_datetime(value.strip())
        except ValueError:  # well formed, but no such date or time (31 November, 25:00)
            raise ValidationError(
                "Такой даты или времени не существует: %(value)s.",
                code="invalid",
                params={"value": value},
            ) from None
        if moment is None:
            raise ValidationError(BAD_DATETIME, code="invalid")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValidationError(NAIVE_DATETIME, code="naive")
        problem = moment_problem(moment, timezone.now())
        if problem:
            raise ValidationError(problem[:1].upper() + problem[1:] + ".", code="out_of_range")
        return moment


class URLListField(forms.Field):
    """A JSON list of http(s) links, at most ``MAX_ATTACHMENTS`` of them."""

    empty_values = list(EMPTY)

    def to_python(self, value):
        if value in EMPTY:
            return []
        if not isinstance(value, list):
            raise ValidationError("Ожидается список ссылок.", code="invalid_type")
        return value

    def validate(self, value):
        if len(value) > MAX_ATTACHMENTS:
            raise ValidationError(
                "Не больше %(limit)d вложений (сейчас %(count)d).",
                code="too_many",
                params={"limit": MAX_ATTACHMENTS, "count": len(value)},
            )
        errors = []
        for number, item in enumerate(value, start=1):
            params = {"n": number}
            if not isinstance(item, str):
                errors.append(
                    ValidationError("Вложение № %(n)s: ожидается строка со ссылкой.", params=params)
                )
                continue
            if len(item) > URL_MAX_LENGTH:
                errors.append(
                    ValidationError(
                        "Вложение № %(n)s: ссылка длиннее %(limit)d символов.",
                        params={**params, "limit": URL_MAX_LENGTH},
                    )
                )
                continue
            try:
                http_url(item)
            except ValidationError:
                errors.append(ValidationError("Вложение № %(n)s: " + BAD_URL, params=params))
        if errors:
            raise ValidationError(errors)


class MessageForm(forms.Form):
    """One message found by monitoring software, as the intake API accepts it."""

    network = StrictChoiceField(
        choices=CASE_NETWORKS,
        error_messages={"required": "Укажите сеть: " + choices_hint(CASE_NETWORKS) + "."},
    )
    url = HttpURLField(required=False)
    author_name = StrictCharField(required=False, max_length=255)
    author_id = StrictCharField(required=False, max_length=128, integers=True)
    text = StrictCharField(
        max_length=TEXT_MAX_LENGTH,
        multiline=True,
        error_messages={"required": "Укажите текст сообщения: он не может быть пустым."},
    )
    published_at = AwareDateTimeField(required=False)
    detected_at = AwareDateTimeField(
        error_messages={
            "required": "Укажите, когда сообщение выявлено: от этого момента считаются сроки."
        }
    )
    received_at = AwareDateTimeField(required=False)
    category = StrictCharField(required=False, max_length=255)
    kind = StrictChoiceField(choices=CaseKind.choices, required=False)
    attachments = URLListField(required=False)
    external_id = StrictCharField(
        max_length=EXTERNAL_ID_MAX_LENGTH,
        integers=True,
        error_messages={
            "required": "Укажите external_id — номер сообщения в вашей системе: по нему повторная отправка не создаёт дубликат."
        },
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or CaseKind.INCIDENT.value

    def case_data(self):
        """Keyword arguments for ``register_case``."""
        data = dict(self.cleaned_data)
        for name in ("url", "author_name", "author_id", "category"):
            data[name] = data.get(name) or ""
        data["attachments"] = data.get("attachments") or []
        return data


def unknown_fields(payload):
    return sorted(set(payload) - set(MessageForm.base_fields))
