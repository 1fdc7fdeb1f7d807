"""Turning the rows of an imported file into data for ``register_case``, with errors per row.

Nothing here touches the database: the result is kept between the preview and the commit as JSON
(``to_json`` / ``data_from_json``) and each row's ``data`` goes to
``newsroom.casework.services.cases.register_case`` as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from newsroom import characters
from newsroom.casework.intake.importing.parsing import (
    COLUMN_TITLES,
    DATE_FIELDS,
    DateParseError,
    ParsedFile,
    choice_lookup,
    normalise_label,
    parse_datetime,
)
from newsroom.casework.rules.moments import moment_problem
from newsroom.models import Case, CaseKind, Network
from newsroom.networks import CASE_NETWORKS
from newsroom.organisation import local_datetime

REQUIRED_FIELDS = ("network", "text", "detected_at")
TEXT_FIELDS = ("external_id", "url", "author_name", "author_id", "category")

NETWORKS = choice_lookup(
    CASE_NETWORKS,
    {
        "вк": Network.VK,
        "вконтакте": Network.VK,
        "в контакте": Network.VK,
        "vkontakte": Network.VK,
        "vk.com": Network.VK,
        "ок": Network.OK,
        "ok.ru": Network.OK,
        "odnoklassniki": Network.OK,
        "телеграм": Network.TELEGRAM,
        "телеграмм": Network.TELEGRAM,
        "тг": Network.TELEGRAM,
        "tg": Network.TELEGRAM,
        "макс": Network.MAX,
        "мессенджер max": Network.MAX,
        "сайт администрации": Network.SITE,
        "пос": Network.POS,
        "госуслуги": Network.POS,
        "платформа обратной связи": Network.POS,
        "другое": Network.OTHER,
        "прочее": Network.OTHER,
    },
)
KINDS = choice_lookup(
    CaseKind.choices,
    {
        "повышенной важности": CaseKind.HIGH_IMPORTANCE,
        "инцидент пв": CaseKind.HIGH_IMPORTANCE,
        "найдено администрацией": CaseKind.FOUND_BY_ADMINISTRATION,
        "публикация администрации": CaseKind.FOUND_BY_ADMINISTRATION,
        "пос": CaseKind.POS_MESSAGE,
        "сообщение пос": CaseKind.POS_MESSAGE,
        "обращение": CaseKind.POS_APPEAL,
        "обращение 59-фз": CaseKind.POS_APPEAL,
        "обращение по 59-фз": CaseKind.POS_APPEAL,
        "59-фз": CaseKind.POS_APPEAL,
    },
)


def _max_length(name):
    return Case._meta.get_field(name).max_length


@dataclass
class RowError:
    row: int
    column: str  # the column's header as written in the file, or its usual Russian name
    message: str


@dataclass
class ValidatedRow:
    row: int
    data: dict  # ready for register_case


@dataclass
class ValidationResult:
    rows: list = field(default_factory=list)  # ValidatedRow, in file order
    errors: list = field(default_factory=list)  # RowError, in file order
    total: int = 0  # rows with data read from the file

    @property
    def ok(self):
        return not self.errors


class MissingColumns(Exception):
    """The file lacks a required column; the message says which, in Russian."""


def check_columns(parsed: ParsedFile):
    missing = [name for name in REQUIRED_FIELDS if name not in parsed.headers]
    if missing:
        titles = ", ".join(f"«{COLUMN_TITLES[name]}»" for name in missing)
        word = "обязательного столбца" if len(missing) == 1 else "обязательных столбцов"
        raise MissingColumns(
            f"В файле нет {word}: {titles}. Проверьте первую строку (заголовки) "
            "или скачайте образец файла."
        )


def validate(parsed: ParsedFile, tz: datetime.tzinfo, *, now=None) -> ValidationResult:
    """Checks every row; raises MissingColumns when a required column is absent altogether."""
    check_columns(parsed)
    now = now or timezone.now()
    result = ValidationResult(total=len(parsed.rows))
    seen_ids = {}

    def title(name):
        return parsed.headers.get(name) or COLUMN_TITLES.get(name, "")

    for parsed_row in parsed.rows:
        errors = [RowError(parsed_row.number, title(n), m) for n, m in parsed_row.problems]
        data, row_errors = clean_row(parsed_row.values, tz, now=now)
        errors += [RowError(parsed_row.number, title(n), m) for n, m in row_errors]
        external_id = data.get("external_id")
        if external_id:
            if external_id in seen_ids:
                errors.append(
                    RowError(
                        parsed_row.number,
                        title("external_id"),
                        f"номер «{external_id}» уже встречался в строке {seen_ids[external_id]}",
                    )
                )
            else:
                seen_ids[external_id] = parsed_row.number
        if errors:
            result.errors += errors
        else:
            result.rows.append(ValidatedRow(parsed_row.number, data))
    return result


def clean_row(values: dict, tz, *, now) -> tuple[dict, list]:
    """One row's data for register_case, and its problems as (field, message)."""
    data, errors = {}, []

    for name in REQUIRED_FIELDS:
        if values.get(name) in (None, ""):
            errors.append((name, "не заполнено — это обязательное поле"))

    network = values.get("network")
    if network not in (None, ""):
        value = NETWORKS.get(normalise_label(network))
        if value is None:
            allowed = ", ".join(str(label) for _value, label in CASE_NETWORKS)
            errors.append(
                (
                    "network",
                    f"неизвестная сеть «{network}»; допустимо: {allowed}",
                )
            )
        else:
            data["network"] = value

    text = values.get("text")
    if text not in (None, ""):
        text = str(text)
        problem = characters.problem(text, multiline=True)
        if problem:
            errors.append(("text", problem))
        else:
            data["text"] = text

    kind = values.get("kind")
    if kind in (None, ""):
        data["kind"] = CaseKind.INCIDENT.value
    else:
        value = KINDS.get(normalise_label(kind))
        if value is None:
            allowed = ", ".join(f"«{label}»" for label in CaseKind.labels)
            errors.append(("kind", f"неизвестный вид «{kind}»; допустимо: {allowed}"))
        else:
            data["kind"] = value

    for name in DATE_FIELDS:
        try:
            moment = parse_datetime(values.get(name), tz)
        except DateParseError as error:
            errors.append((name, str(error)))
            continue
        if moment is None:
            continue
        problem = moment_problem(moment, now)
        if problem:
            errors.append((name, f"{problem}: {shown_moment(moment, tz)}"))
        else:
            data[name] = moment

    for name in TEXT_FIELDS:
        value = values.get(name)
        if value in (None, ""):
            data[name] = ""
            continue
        value = str(value).strip()
        problem = characters.problem(value)
        if problem:
            errors.append((name, problem))
            continue
        if name == "url":
            value, problem = clean_url(value)
            if problem:
                errors.append((name, problem))
                continue
        limit = _max_length(name)
        if limit and len(value) > limit:
            errors.append((name, f"слишком длинно: {len(value)} символов, допустимо {limit}"))
            continue
        data[name] = value
    return data, errors


def shown_moment(moment, tz):
    """A moment as the file gave it, in the organisation's time where it can be converted."""
    try:
        return local_datetime(moment, tz)
    except (OverflowError, ValueError):
        return moment.isoformat()


def clean_url(value):
    """A link to the message: ``vk.com/wall-1_2`` is taken as ``https://vk.com/wall-1_2``."""
    if "://" not in value and "." in value.split("/")[0] and " " not in value:
        value = "https://" + value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return value, f"«{value[:100]}» — не ссылка; ожидается адрес вида https://vk.com/wall-1_2"
    return value, ""


# Between the preview and the commit -------------------------------------------------------


def to_json(result: ValidationResult) -> dict:
    return {
        "total": result.total,
        "rows": [
            {
                "row": row.row,
                "data": {
                    k: v.isoformat() if isinstance(v, datetime.datetime) else v
                    for k, v in row.data.items()
                },
            }
            for row in result.rows
        ],
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
    }


def data_from_json(data: dict) -> dict:
    """A row's data as stored by to_json, with its moments as datetimes again."""
    return {
        k: datetime.datetime.fromisoformat(v) if k in DATE_FIELDS and v else v
        for k, v in data.items()
    }
