"""Hypothesis strategies for values an attacker or a broken integration sends.

Used by the property tests of every entry point that takes outside data: the intake API, the
import of CSV and XLSX files and the public accreditation form. Each entry point must answer such
values with a Russian message next to the field — never with a server error — and store nothing.
"""

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded: each example is a whole request through Django.
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

SPECIAL_STRINGS = [
    "\ud800",
    "текст\udfffконец",
    "\x00",
    "Иван\x00ов",
    "\x1b[31mкрасный\x1b[0m",
    "Иванов\u202eвонавИ",
    "\u2066Иванов\u2069",
    "строка\nвторая",
    "\t",
    " ",
    "<script>alert(1)</script>",
    "'; DROP TABLE newsroom_case; --",
    "{{ 7*7 }}",
    "%s%s%s%n",
    "../../etc/passwd",
    "\ufeff",
    "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦",
    "А" * 20_001,
    "https://" + "a" * 1100 + ".ru",
    "javascript:alert(1)",
]
SPECIAL_MOMENTS = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "1900-01-01T00:00:00+03:00",
    "2100-01-01T00:00:00+03:00",
    "2026-02-30T10:00:00+03:00",
    "2026-11-20T25:00:00+03:00",
    "2026-11-20T16:00:00+99:00",
    "2026-11-20",
    "2026-11-20T16:00:00",
    "20.11.2026 16:00",
    "сегодня",
]
# Any character at all, the halves of UTF-16 pairs and the control characters included.
ANY_CHARACTER = st.characters(codec=None, categories=None, exclude_categories=())

hostile_strings = st.one_of(
    st.sampled_from(SPECIAL_STRINGS),
    st.text(ANY_CHARACTER, max_size=40),
)
wrong_types = st.one_of(
    st.just([]),
    st.just({}),
    st.just([""]),
    st.just({"a": "b"}),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
)
hostile_moments = st.one_of(
    st.sampled_from(SPECIAL_MOMENTS),
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
)
hostile_values = st.one_of(hostile_strings, wrong_types, hostile_moments, st.none())


def is_russian(text):
    return bool(CYRILLIC.search(text))
