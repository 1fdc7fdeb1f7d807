"""Hostile values in the public application form: the page comes back with the error next to
the field, in Russian, never a server error, and a refused form stores nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accreditation.models import Application, Consent, Journalist
from tests.accreditation.helpers import form_data, journalist, submit
from tests.hostile import PROPERTY_SETTINGS, hostile_strings, hostile_values, is_russian
from tests.once import once

pytestmark = pytest.mark.django_db

OUTLET_FIELDS = [
    "outlet_name",
    "outlet_kind",
    "registration_number",
    "registration_date",
    "website",
    "editor_in_chief",
    "applicant_email",
    "processing_version",
]
PERSON_FIELDS = ["full_name", "position", "phone", "email"]


def counts():
    return Application.objects.count(), Journalist.objects.count(), Consent.objects.count()


def as_posted(value):
    """What a browser can send for a value: text (a form has no types)."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return str(value)
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ACCREDITATION_SUBMISSIONS_PER_HOUR = 1_000_000


@once
@PROPERTY_SETTINGS
@given(
    outlet=st.dictionaries(st.sampled_from(OUTLET_FIELDS), hostile_values, max_size=2),
    person=st.dictionaries(st.sampled_from(PERSON_FIELDS), hostile_values, max_size=2),
)
def test_the_form_never_fails_on_hostile_values(client, page, outlet, person):
    data = form_data(
        page,
        people=[journalist(0, **{k: as_posted(v) for k, v in person.items()})],
        **{k: as_posted(v) for k, v in outlet.items()},
    )
    before = counts()
    response = submit(client, page, data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the form again, with its errors
        html = response.content.decode()
        assert "error" in html and is_russian(html)
        assert counts() == before


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("outlet_name", "Вестник\u202eанйар", "направление текста"),
        ("editor_in_chief", "Петров\x07 Пётр", "управляющий символ"),
        ("full_name", "Иванова\u2066 Мария", "направление текста"),
        ("position", "корр\x1bеспондент", "управляющий символ"),
    ],
)
def test_control_and_direction_characters_in_names_are_refused(client, page, field, value, message):
    if field in PERSON_FIELDS:
        data = form_data(page, people=[journalist(0, **{field: value})])
    else:
        data = form_data(page, **{field: value})
    response = submit(client, page, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)


@once
@PROPERTY_SETTINGS
@given(name=hostile_strings)
def test_whatever_a_name_holds_it_is_stored_clean_or_refused(client, page, name):
    data = form_data(page, outlet_name=as_posted(name))
    response = submit(client, page, data)
    assert response.status_code in (200, 302)
    for stored in Application.objects.values_list("outlet_name", flat=True):
        assert not any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E for c in stored)
