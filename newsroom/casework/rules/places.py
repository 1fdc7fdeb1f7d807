"""The place a citizen's message is about, read from its text (plain Python, no Django).

The monthly analysis counts messages by the street or settlement they name, and a surge of
messages about one address is reported at once (seed 002 p.13). Citizens write addresses loosely
— «на ул. Ленина, 5», «улица ленина д 5», «в с. Берёзовка», «пр-т Мира» — so the place is
normalised to a short key: the kind of place and its name, the house number when given
(«ул. Ленина, 5»). The first address in the text wins; a text with none has no place.
"""

from __future__ import annotations

import re

# Kinds of street and settlement, as written, to the short form the report shows.
STREET_KINDS = {
    "ул": "ул.",
    "улица": "ул.",
    "улице": "ул.",
    "улицы": "ул.",
    "пр": "пр-т",
    "пр-т": "пр-т",
    "просп": "пр-т",
    "проспект": "пр-т",
    "проспекте": "пр-т",
    "пер": "пер.",
    "переулок": "пер.",
    "переулке": "пер.",
    "пл": "пл.",
    "площадь": "пл.",
    "площади": "пл.",
    "б-р": "б-р",
    "бульвар": "б-р",
    "бульваре": "б-р",
    "ш": "ш.",
    "шоссе": "ш.",
    "наб": "наб.",
    "набережная": "наб.",
    "набережной": "наб.",
    "мкр": "мкр",
    "микрорайон": "мкр",
    "микрорайоне": "мкр",
}
SETTLEMENT_KINDS = {
    "с": "с.",
    "село": "с.",
    "селе": "с.",
    "п": "пос.",
    "пос": "пос.",
    "поселок": "пос.",
    "посёлок": "пос.",
    "поселке": "пос.",
    "посёлке": "пос.",
    "д": "дер.",
    "дер": "дер.",
    "деревня": "дер.",
    "деревне": "дер.",
    "рп": "рп",
    "пгт": "пгт",
    "г": "г.",
    "город": "г.",
    "городе": "г.",
}

_KIND = "|".join(
    sorted((re.escape(k) for k in {**STREET_KINDS, **SETTLEMENT_KINDS}), key=len, reverse=True)
)
# A kind, then a name of one to three words (a capitalised word, or a number then a word, as
# «ул. 50 лет Октября»), then an optional house number.
ADDRESS = re.compile(
    rf"(?<![\w-])(?P<kind>{_KIND})(?:\.|\s)\s*"
    r"(?P<name>(?:\d+\s+[а-яё]+\s+)?[А-ЯЁA-Zа-яё][а-яёa-z-]+(?-i:(?:\s+[А-ЯЁ][а-яё-]+){0,2}))"
    r"(?:,?\s*(?:д(?:ом)?\.?\s*)?(?P<house>\d+[а-яА-Я]?(?:/\d+)?)(?![\d.:]))?",
    re.IGNORECASE,
)
# Short kinds that are also ordinary words or initials need a dot or a capitalised name after.
_AMBIGUOUS = {"с", "п", "д", "г", "ш", "пр", "пл"}
# Words that follow a short kind in ordinary speech and are not names.
_NOT_NAMES = {"утра", "вечера", "по", "до", "от", "на", "за", "из", "не", "и", "в", "с"}


def place_of(text: str) -> str:
    """The first address named in ``text`` as a short key («ул. Ленина, 5»), or ""."""
    for match in ADDRESS.finditer(text or ""):
        raw_kind = match.group("kind")
        kind = raw_kind.lower()
        name = match.group("name")
        dotted = text[match.end("kind") : match.end("kind") + 1] == "."
        if kind in _AMBIGUOUS and not (dotted or name[:1].isupper()):
            continue
        if (
            name.split()[0].lower() in _NOT_NAMES
            or name.split()[0].isdigit()
            and len(name.split()) < 3
        ):
            continue
        if kind in SETTLEMENT_KINDS and not name[:1].isupper():
            continue
        short = STREET_KINDS.get(kind) or SETTLEMENT_KINDS[kind]
        words = name.split()
        # «улица ленина» and «ул. Ленина» are one place: names are capitalised word by word.
        first = words[0] if words[0][:1].isdigit() else words[0][:1].upper() + words[0][1:].lower()
        pretty = " ".join([first, *words[1:]])
        house = match.group("house")
        place = f"{short} {pretty}"
        if house and kind in STREET_KINDS:
            place += f", {house.lower()}"
        return place[:255]
    return ""
