"""Report periods in the organisation's zone and percentiles from counted values."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from newsroom.reports.period import Period, add_months, change, percentile

MSK = ZoneInfo("Europe/Moscow")
BARNAUL = ZoneInfo("Asia/Barnaul")


def test_a_month_starts_at_local_midnight():
    november = Period.month(2026, 11, BARNAUL)
    assert november.start == datetime(2026, 11, 1, tzinfo=BARNAUL)
    assert november.end == datetime(2026, 12, 1, tzinfo=BARNAUL)
    assert november.start.astimezone(ZoneInfo("UTC")).hour == 17  # 31 October in UTC
    assert november.label == "ноябрь 2026 г." and november.key == "2026-11"


def test_the_last_closed_month_depends_on_the_zone():
    moment = datetime(2026, 11, 30, 20, 0, tzinfo=ZoneInfo("UTC"))  # 1 December in Barnaul
    assert Period.last_closed_month(moment, MSK).first == date(2026, 10, 1)
    assert Period.last_closed_month(moment, BARNAUL).first == date(2026, 11, 1)


def test_shifting_keeps_whole_months_and_spans():
    february = Period.month(2026, 2, MSK)
    assert february.shifted(-1).last == date(2026, 1, 31)
    assert february.shifted(-12).last == date(2025, 2, 28)
    span = Period(date(2026, 11, 1), date(2026, 11, 15), MSK)
    assert not span.is_month and span.key == "2026-11-01_2026-11-15"
    assert span.shifted(-1) == Period(date(2026, 10, 1), date(2026, 10, 15), MSK)
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 1)


@pytest.mark.parametrize(
    "counts, share, expected",
    [
        ({}, 0.5, None),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 0.5, 2),
        ({30: 1, 60: 2, 300: 1}, 0.5, 60),
        ({30: 1, 60: 2, 300: 1}, 0.9, 300),
        ({n: 1 for n in range(1, 11)}, 0.9, 9),
        ({5: 100}, 0.9, 5),
    ],
)
def test_nearest_rank_percentile(counts, share, expected):
    assert percentile(counts, share) == expected


def test_change_in_per_cent():
    assert change(7, 3) == 133.3
    assert change(1, 0) is None and change(None, 3) is None
    assert change(50.0, 100.0) == -50.0
