"""Roskomnadzor registration numbers of mass media and Russian phone numbers, in plain Python.

A certificate of registration of a mass medium (Mass Media Law, art. 8, 11) carries a number such
as «ЭЛ № ФС 77 - 12345» or «ПИ № ТУ 24 - 01234»:

* the series: ПИ — periodical printed edition, ЭЛ — online edition, TV or radio channel and other
  electronic media, ИА — news agency; the older series ТВ and РВ (TV and radio programmes
  registered before 2008) are still valid;
* «№»;
* the registering body: ФС — the federal service (Роскомнадзор and its predecessors), ТУ — one of
  its territorial offices; certificates of the 1990s have none;
* a two-digit code (77 for the federal service, else the region) — a dash — the serial number
  (4 to 6 digits, leading zeros kept).

People type them with or without spaces around the dash and «№», with «N», «No» or nothing for
«№», in any case, and with Latin letters that look like Cyrillic ones. :func:`normalise` accepts
all that and returns the number as the register writes it: «ЭЛ № ФС 77 - 12345».
"""

from __future__ import annotations

import re

SERIES = ("ПИ", "ЭЛ", "ИА", "ТВ", "РВ")
NEWS_AGENCY_SERIES = "ИА"
# Latin letters people type for Cyrillic ones that look the same.
_LOOKALIKES = str.maketrans(
    {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
     "T": "Т", "X": "Х", "Y": "У"}
)  # fmt: skip
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_PATTERN = re.compile(
    r"""
    ^(?P<series>ПИ|ЭЛ|ИА|ТВ|РВ)
    \s*(?:№|N[OО]?\.?|НОМ\.?)?\s*
    (?:(?P<body>ФС|ТУ)\s*)?
    (?P<code>\d{2})
    \s*-\s*
    (?P<serial>\d{4,6})$
    """,
    re.VERBOSE,
)

REGISTRATION_FORMAT_HELP = (
    "Номер свидетельства о регистрации СМИ, как в реестре Роскомнадзора: "
    "например «ЭЛ № ФС 77 - 12345», «ПИ № ТУ 24 - 01234» или «ИА № ФС 77 - 12345»."
)


class InvalidNumber(ValueError):
    """The text is not a registration number; the message says why, in Russian."""


def normalise(text: str) -> str:
    """The number in the register's own form, or :class:`InvalidNumber`."""
    value = " ".join((text or "").upper().translate(_DASHES).split())
    if not value:
        raise InvalidNumber("Укажите номер свидетельства о регистрации СМИ.")
    value = value.replace("Ё", "Е")
    candidate = value.translate(_LOOKALIKES).replace("N°", "№")
    match = _PATTERN.match(candidate)
    if match is None:
        if candidate[:2] not in SERIES:
            raise InvalidNumber(
                "Номер должен начинаться с серии свидетельства: ПИ, ЭЛ, ИА, ТВ или РВ. "
                + REGISTRATION_FORMAT_HELP
            )
        raise InvalidNumber("Номер не похож на номер свидетельства. " + REGISTRATION_FORMAT_HELP)
    parts = [match["series"], "№"]
    if match["body"]:
        parts.append(match["body"])
    parts += [match["code"], "-", match["serial"]]
    return " ".join(parts)


def series_of(number: str) -> str:
    return number[:2]


class InvalidPhone(ValueError):
    """The text is not a Russian phone number; the message says why, in Russian."""


_PHONE_DECORATION = re.compile(r"[\s()\-.‐‑–—]")


def normalise_phone(text: str) -> str:
    """``+7 (912) 345-67-89``, ``8 912 345 67 89``, ``89123456789``, ``9123456789`` →
    ``+79123456789``."""
    value = _PHONE_DECORATION.sub("", text or "")
    if not value:
        raise InvalidPhone("Укажите номер телефона.")
    international = value.startswith("+")
    digits = value[1:] if international else value
    if not digits.isdigit() or not digits.isascii():
        raise InvalidPhone("В номере телефона могут быть только цифры, пробелы, скобки и дефисы.")
    if international:
        if not digits.startswith("7") or len(digits) != 11:
            raise InvalidPhone(
                "Укажите российский номер: +7 и ещё 10 цифр, например +7 912 345-67-89."
            )
        national = digits[1:]
    elif len(digits) == 11 and digits[0] in "78":
        national = digits[1:]
    elif len(digits) == 10:
        national = digits
    else:
        raise InvalidPhone(
            "В российском номере 10 цифр после +7 или 8, например 8 (912) 345-67-89."
        )
    if national[0] not in "3489":
        raise InvalidPhone("Российские номера начинаются с 3, 4, 8 или 9 после +7 или 8.")
    return "+7" + national
