"""Hostile values at the intake API and the import: a Russian 400 naming the field, never a 5xx,
and nothing stored by a refused request."""

import csv
import datetime
import io
import json

from django.utils import timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from newsroom import roles
from newsroom.casework.intake.api.forms import MessageForm
from newsroom.casework.intake.api.views import NON_FIELD
from newsroom.models import Case, CaseEvent, CaseImport
from tests.factories import UserFactory
from tests.hostile import (
    PROPERTY_SETTINGS,
    hostile_moments,
    hostile_strings,
    hostile_values,
    is_russian,
)
from tests.newsroom.casework.intake.test_api import integration_user, token_for
from tests.once import once

pytestmark = pytest.mark.django_db

URL = "/api/v1/messages/"
FIELDS = sorted(MessageForm.base_fields)
IMPORT_COLUMNS = ["Номер", "Сеть", "Ссылка", "Автор", "Текст", "Выявлено", "Опубликовано", "Вид"]


def good_message(number):
    return {
        "external_id": f"h-{number}",
        "network": "vk",
        "url": "https://vk.com/wall-1_1",
        "author_name": "Мария Петрова",
        "text": "Третий день нет воды на улице Мира",
        "detected_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }


def counts():
    return Case.objects.count(), CaseEvent.objects.count(), CaseImport.objects.count()


@pytest.fixture
def api_token(organisation_ready):
    return token_for(integration_user())[1]


@pytest.fixture
def organisation_ready(db):
    from newsroom.organisation import organisation_settings

    return organisation_settings()


@pytest.fixture
def importer(client, organisation_ready):
    user = UserFactory(username="hostile-curator", groups=[roles.CURATORS])
    client.force_login(user)
    return client


class Counter:
    value = 0

    @classmethod
    def next(cls):
        cls.value += 1
        return cls.value


def check_refusal(response, sent_fields):
    """A refusal is JSON in Russian whose errors name fields that were sent (or the body)."""
    body = response.json()
    assert is_russian(body["message"]), body
    assert body["errors"], body
    # A field name that is itself broken Unicode is named with its escapes.
    named = {name.encode("utf-8", "backslashreplace").decode("utf-8") for name in sent_fields}
    for name, messages in body["errors"].items():
        assert name in named or name == NON_FIELD, (name, sent_fields)
        assert all(is_russian(message) for message in messages), messages


@once
@PROPERTY_SETTINGS
@given(
    changes=st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), hostile_strings), hostile_values, min_size=1, max_size=3
    )
)
def test_the_api_never_fails_on_hostile_fields(client, api_token, changes):
    payload = {**good_message(Counter.next()), **changes}
    before = counts()
    body = json.dumps(payload, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}"
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.status_code == 400
        check_refusal(response, set(payload))
        assert counts() == before
    else:
        case = Case.objects.get(pk=response.json()["id"])
        assert "\x00" not in case.text and "\u202e" not in case.author_name


@once
@PROPERTY_SETTINGS
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.just(b"[" * 100_000),
        st.just(b'{"text": "' + b"a" * 300_000 + b'"}'),
        st.just(b"NaN"),
        st.just(b'{"detected_at": 1e999}'),
    )
)
def test_the_api_never_fails_on_a_broken_body(client, api_token, body):
    before = counts()
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}"
    )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert is_russian(response.json()["message"])
    assert counts() == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("text", "\ud800"),
        ("author_name", "Иванов\u202eвонавИ"),
        ("author_name", "Иван\x00ов"),
        ("url", []),
        ("author_name", {}),
        ("detected_at", "1900-01-01T10:00:00+03:00"),
        ("detected_at", "2100-01-01T10:00:00+03:00"),
        ("detected_at", "9999-12-31T23:59:59-14:00"),
        ("published_at", "0001-01-01T00:00:00+14:00"),
    ],
)
def test_the_api_refuses_what_it_used_to_accept_or_crash_on(client, api_token, field, value):
    payload = {**good_message(Counter.next()), field: value}
    response = client.post(
        URL,
        json.dumps(payload, ensure_ascii=True),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token}",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Case.objects.exists()


# Import ----------------------------------------------------------------------------------

import_cells = st.one_of(hostile_strings, hostile_moments)


def csv_bytes(rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(IMPORT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, "surrogatepass")


def good_row(number):
    detected = timezone.localtime() - datetime.timedelta(hours=2)
    return [
        f"i-{number}",
        "ВКонтакте",
        "vk.com/wall-1_1",
        "Мария",
        "Нет воды",
        detected.strftime("%d.%m.%Y %H:%M"),
        "",
        "",
    ]


def upload(client, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/cases/import/",
        {"file": SimpleUploadedFile(name, content), "source": "import"},
    )


def check_import(client, content, name):
    """Upload and, when the file was taken, its preview: never a 5xx, errors in Russian naming a
    column, and no case written by either step."""
    before = counts()
    response = upload(client, content, name)
    assert response.status_code < 500
    html = response.content.decode()
    if response.status_code == 302:
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        html = preview.content.decode()
    else:
        assert "errorlist" in html or "error-message" in html or "help-critical" in html, html[:800]
    assert is_russian(html)
    assert counts() == before
    return html


@once
@PROPERTY_SETTINGS
@given(
    cells=st.dictionaries(st.integers(0, len(IMPORT_COLUMNS) - 1), import_cells, max_size=3),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "cp1251", "utf-16"]),
)
def test_a_hostile_csv_never_fails(importer, cells, encoding):
    row = good_row(Counter.next())
    for position, value in cells.items():
        row[position] = value
    try:
        content = csv_bytes([row], encoding)
    except UnicodeEncodeError:  # cp1251 has no such letter: send it as UTF-8 after all
        content = csv_bytes([row], "utf-8")
    check_import(importer, content, "hostile.csv")


xlsx_cells = st.one_of(
    hostile_strings.filter(
        lambda text: not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text)
    ),
    st.sampled_from(
        [
            datetime.datetime(1, 1, 1),
            datetime.datetime(9999, 12, 31, 23, 59, 59),
            datetime.datetime(1900, 1, 1, 10, 0),
            datetime.date(2026, 1, 1),
            2958465.9999999,
            2958466,
            -1,
            0,
            1e308,
            True,
        ]
    ),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**15), 10**15),
)


@once
@PROPERTY_SETTINGS
@given(cells=st.dictionaries(st.integers(0, len(IMPORT_COLUMNS) - 1), xlsx_cells, max_size=3))
def test_a_hostile_xlsx_never_fails(importer, cells):
    row = good_row(Counter.next())
    for position, value in cells.items():
        row[position] = value
    book = Workbook()
    sheet = book.active
    sheet.append(IMPORT_COLUMNS)
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    check_import(importer, buffer.getvalue(), "hostile.xlsx")


def test_a_nul_in_a_csv_cell_is_named_with_its_row_and_column(importer):
    row = good_row(Counter.next())
    row[4] = "Нет\x00воды"
    html = check_import(importer, csv_bytes([row], "utf-8-sig"), "nul.csv")
    assert "нулевой символ" in html
    assert "Текст" in html


def test_a_serial_date_past_the_calendar_is_a_row_error(importer):
    row = good_row(Counter.next())
    book = Workbook()
    sheet = book.active
    sheet.append(IMPORT_COLUMNS)
    row[5] = 2958465.9999999
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    html = check_import(importer, buffer.getvalue(), "serial.xlsx")
    assert "не дата" in html
