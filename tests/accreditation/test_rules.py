"""Registration numbers, phones and the application window: plain Python rules."""

import datetime

import pytest

from accreditation import registration
from accreditation.windows import Window


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ЭЛ № ФС 77 - 12345", "ЭЛ № ФС 77 - 12345"),
        ("ЭЛ № ФС 77-12345", "ЭЛ № ФС 77 - 12345"),
        ("эл №фс77-12345", "ЭЛ № ФС 77 - 12345"),
        ("ПИ № ТУ 40-00123", "ПИ № ТУ 40 - 00123"),
        ("ПИ № ТУ 24 – 01234", "ПИ № ТУ 24 - 01234"),
        ("ИА № ФС 77 - 12345", "ИА № ФС 77 - 12345"),
        ("  ПИ   N  ТУ 22 — 0012 ", "ПИ № ТУ 22 - 0012"),
        ("PI № TY 22 - 00123".replace("PI", "ПИ").replace("TY", "ТУ"), "ПИ № ТУ 22 - 00123"),
        ("ЭЛ No ФС 77 - 123456", "ЭЛ № ФС 77 - 123456"),
        ("ПИ № 77-1234", "ПИ № 77 - 1234"),  # the 1990s: no registering body
        ("ТВ № 77-8123", "ТВ № 77 - 8123"),
        ("ЭЛ № ФC 77 - 12345", "ЭЛ № ФС 77 - 12345"),  # a Latin C typed for С
    ],
)
def test_registration_numbers_are_normalised(typed, normalised):
    assert registration.normalise(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Укажите номер"),
        ("12345", "серии"),
        ("АБ № ФС 77 - 12345", "серии"),
        ("ЭЛ № ФС 7 - 12345", "не похож"),
        ("ЭЛ № ФС 77 - 123", "не похож"),
        ("ЭЛ № ФС 77 - 1234567", "не похож"),
        ("ЭЛ № ФС 77 12345", "не похож"),
        ("ЭЛ № XX 77 - 12345", "не похож"),
        ("ЭЛ № ФС 77 - 12345 и ещё", "не похож"),
    ],
)
def test_wrong_registration_numbers_are_refused_in_russian(typed, message):
    with pytest.raises(registration.InvalidNumber, match=message):
        registration.normalise(typed)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("+7 (912) 345-67-89", "+79123456789"),
        ("8 912 345 67 89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("79123456789", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("8 (38578) 2-14-41", "+73857821441"),
        ("+7.495.123.45.67", "+74951234567"),
    ],
)
def test_russian_phones_are_normalised(typed, normalised):
    assert registration.normalise_phone(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "+1 212 555 0100",
        "+380 44 123 4567",
        "8 912 345 67",
        "8912345678a",
        "0123456789",
        "+7 912 345 67 890",
        "８９１２３４５６７８９",
    ],
)
def test_wrong_phones_are_refused(typed):
    with pytest.raises(registration.InvalidPhone):
        registration.normalise_phone(typed)


def d(text):
    return datetime.date.fromisoformat(text)


def test_a_window_across_the_new_year_is_for_the_year_it_ends_in():
    window = Window(1, 12, 10, 1)
    assert window.spans_new_year
    current = window.current(d("2026-12-15"))
    assert (current.opens, current.closes, current.year) == (d("2026-12-01"), d("2027-01-10"), 2027)
    january = window.current(d("2027-01-10"))  # the last day is included
    assert january == current
    assert window.current(d("2027-01-11")) is None
    assert window.current(d("2026-11-30")) is None


def test_a_closed_window_names_the_next_one():
    window = Window(1, 12, 10, 1)
    upcoming = window.next(d("2027-03-01"))
    assert (upcoming.opens, upcoming.closes, upcoming.year) == (
        d("2027-12-01"),
        d("2028-01-10"),
        2028,
    )
    assert upcoming.describe() == "с 1 декабря 2027 по 10 января 2028"


def test_a_window_within_a_year_is_for_that_year_or_the_next():
    december = Window(1, 12, 20, 12).current(d("2026-12-05"))
    assert december.year == 2027  # ends in July–December: for the next year
    january = Window(10, 1, 1, 2).current(d("2027-01-20"))
    assert january.year == 2027  # ends in January–June: for that year


def test_impossible_days_are_refused():
    with pytest.raises(ValueError):
        Window(29, 2, 10, 3)
    with pytest.raises(ValueError):
        Window(1, 4, 31, 4)
