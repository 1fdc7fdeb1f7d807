"""The public registry lists the current year's accredited journalists who agreed to it; the
verification page tells «действительна», «истекла» or «отозвана»."""

import datetime

from django.utils import timezone

import pytest

from accreditation.models import RevocationGround
from accreditation.services import decisions
from accreditation.views.public import normalise_card_number
from tests.accreditation.factories import (
    AccreditationFactory,
    ApplicationFactory,
    JournalistFactory,
)

pytestmark = pytest.mark.django_db


def registry(client, page):
    response = client.get(page.url + "registry/")
    assert response.status_code == 200
    return response.content.decode()


def card_for(
    page, *, name, consents=("processing", "distribution"), year=None, outlet="Вестник района"
):
    year = year or timezone.localdate().year
    application = ApplicationFactory(page=page, outlet_name=outlet, status="approved", year=year)
    journalist = JournalistFactory(
        application=application, full_name=name, decision="approved", consents=consents
    )
    return AccreditationFactory(journalist=journalist, year=year)


def test_the_registry_lists_only_those_who_agreed(client, page):
    card_for(page, name="Иванова Мария Сергеевна")
    card_for(page, name="Тайный Журналист", consents=("processing",))
    html = registry(client, page)
    assert "Иванова Мария Сергеевна" in html
    assert "Тайный Журналист" not in html
    assert "Ещё аккредитовано журналистов: 1" in html


def test_the_registry_leaves_out_expired_and_revoked_cards(client, page, reviewer):
    last_year = timezone.localdate().year - 1
    card_for(page, name="Прошлогодний Корреспондент", year=last_year)
    revoked = card_for(page, name="Отозванный Репортёр")
    decisions.revoke(revoked, reviewer, RevocationGround.RULES_BREACH, "Нарушение правил")
    html = registry(client, page)
    assert "Прошлогодний" not in html and "Отозванный" not in html
    assert "нет действующих аккредитаций" in html


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2027-0001", "2027-0001"),
        ("№ 2027-0001", "2027-0001"),
        ("2027 - 1", "2027-0001"),
        ("АК-2027-0012", "2027-0012"),
        ("abc", None),
    ],
)
def test_card_numbers_are_read_as_people_type_them(typed, number):
    assert normalise_card_number(typed) == number


def test_verification_shows_valid_expired_and_revoked(client, page, reviewer):
    valid = card_for(page, name="Иванова Мария Сергеевна")
    expired = card_for(page, name="Прошлогодний Корреспондент", year=timezone.localdate().year - 1)
    revoked = card_for(page, name="Отозванный Репортёр")
    decisions.revoke(revoked, reviewer, RevocationGround.RULES_BREACH, "Нарушение правил")

    def state(number):
        response = client.get(f"{page.url}verify/{number}/")
        return response.status_code, response.content.decode()

    code, html = state(valid.number)
    assert code == 200 and 'data-card-state="valid">действительна' in html
    assert "Иванова Мария Сергеевна" in html
    assert 'data-card-state="expired">истекла' in state(expired.number)[1]
    assert 'data-card-state="revoked">отозвана' in state(revoked.number)[1]
    response = client.get(f"{page.url}verify/", {"number": f"№ {valid.number}"})
    assert "действительна" in response.content.decode()
    missing = client.get(f"{page.url}verify/", {"number": "1999-9999"})
    assert missing.status_code == 404 and "не найдена" in missing.content.decode()
    assert "no-store" in missing["Cache-Control"]


def test_verification_hides_the_name_without_consent(client, page):
    card = card_for(page, name="Тайный Журналист", consents=("processing",))
    html = client.get(f"{page.url}verify/{card.number}/").content.decode()
    assert "действительна" in html and "Тайный Журналист" not in html


def test_a_card_for_next_year_is_valid_now(page):
    card = card_for(page, name="Будущий Журналист", year=timezone.localdate().year + 1)
    assert card.valid_until == datetime.date(card.year, 12, 31)
    assert card.is_valid
