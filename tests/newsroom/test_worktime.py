"""The working-time engine (newsroom.worktime): pure tests, no database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.worktime import (
    SHORTENED_DAYS_2025,
    SHORTENED_DAYS_2026,
    ProductionCalendar,
    Unit,
    WeeklySchedule,
    WorkingTime,
)

MSK = ZoneInfo("Europe/Moscow")
BARNAUL = ZoneInfo("Asia/Barnaul")  # UTC+7, no DST: the Altai region's own time
MICROSECOND = timedelta(microseconds=1)

CLOCK = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), MSK)


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def clock_with(**overrides) -> WorkingTime:
    return WorkingTime(WeeklySchedule.default(), ProductionCalendar(**overrides), MSK)


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


# -- acceptance examples (default schedule, Europe/Moscow) ------------------------------------


def test_8_working_hours_from_friday_afternoon_end_on_monday():
    assert CLOCK.add(msk(2026, 11, 20, 16), 8, Unit.WORKING_HOURS) == msk(2026, 11, 23, 16)


def test_4_working_hours_from_a_shortened_day_skip_the_holiday():
    # Tue 3 Nov 2026 ends at 17:00 (shortened), Wed 4 Nov is Unity Day: 2 h + 2 h.
    assert CLOCK.add(msk(2026, 11, 3, 15), 4, Unit.WORKING_HOURS) == msk(2026, 11, 5, 11)


def test_24_calendar_hours_ignore_the_weekend():
    assert CLOCK.add(msk(2026, 11, 20, 16), 24, Unit.CALENDAR_HOURS) == msk(2026, 11, 21, 16)


# -- working hours and minutes ----------------------------------------------------------------


def test_a_message_on_saturday_is_counted_from_monday_opening():
    saturday = msk(2026, 11, 21, 10, 30)
    assert CLOCK.next_working_instant(saturday) == msk(2026, 11, 23, 9)
    assert CLOCK.add(saturday, 1, Unit.WORKING_HOURS) == msk(2026, 11, 23, 10)
    assert CLOCK.add(saturday, 8, Unit.WORKING_HOURS) == msk(2026, 11, 23, 18)


def test_the_lunch_break_is_not_counted():
    assert CLOCK.add(msk(2026, 11, 23, 12), 2, Unit.WORKING_HOURS) == msk(2026, 11, 23, 15)
    assert CLOCK.add(msk(2026, 11, 23, 13, 30), 30, Unit.WORKING_MINUTES) == msk(
        2026, 11, 23, 14, 30
    )
    assert CLOCK.between(msk(2026, 11, 23, 12), msk(2026, 11, 23, 15)) == timedelta(hours=2)


def test_working_hours_from_1730_carry_over_to_the_next_working_day():
    # 30 min on Monday; a full day is 8 working hours (09:00–18:00 less the lunch break), so
    # 8 h end at 17:30 on Tuesday and 9 h spill over to Wednesday 09:30 (not Tuesday 17:30,
    # which would hold only if the break were counted).
    start = msk(2026, 11, 23, 17, 30)
    assert CLOCK.add(start, 8, Unit.WORKING_HOURS) == msk(2026, 11, 24, 17, 30)
    assert CLOCK.add(start, 9, Unit.WORKING_HOURS) == msk(2026, 11, 25, 9, 30)


def test_a_deadline_may_end_exactly_at_closing_or_before_the_break():
    assert CLOCK.add(msk(2026, 11, 23, 9), 8, Unit.WORKING_HOURS) == msk(2026, 11, 23, 18)
    assert CLOCK.add(msk(2026, 11, 23, 9), 4, Unit.WORKING_HOURS) == msk(2026, 11, 23, 13)


def test_subtracting_4_working_hours_from_a_deadline():
    assert CLOCK.subtract(msk(2026, 11, 23, 16), 4, Unit.WORKING_HOURS) == msk(2026, 11, 23, 11)
    # Back over Unity Day into the shortened 3 November (closes at 17:00).
    assert CLOCK.subtract(msk(2026, 11, 5, 11), 4, Unit.WORKING_HOURS) == msk(2026, 11, 3, 15)
    # «The latest instant»: exactly 2 h before 16:00 is the end of the break, 14:00.
    assert CLOCK.subtract(msk(2026, 11, 23, 16), 2, Unit.WORKING_HOURS) == msk(2026, 11, 23, 14)
    assert CLOCK.add(msk(2026, 11, 23, 16), -4, Unit.WORKING_HOURS) == msk(2026, 11, 23, 11)


def test_subtracting_from_a_monday_morning_reaches_back_to_friday():
    assert CLOCK.subtract(msk(2026, 11, 23, 10), 2, Unit.WORKING_HOURS) == msk(2026, 11, 20, 17)


def test_zero_amount_returns_the_start_even_outside_working_time():
    saturday = msk(2026, 11, 21, 23, 59)
    for unit in Unit:
        assert CLOCK.add(saturday, 0, unit) == saturday


# -- working days and calendar days -----------------------------------------------------------


def test_7_working_days_from_an_interim_answer_end_at_close_of_the_seventh_day():
    # Wed 18 Nov excluded: 19, 20, 23, 24, 25, 26, 27 → Fri 27 Nov 2026, 18:00.
    deadline = CLOCK.add(msk(2026, 11, 18, 11, 20), 7, Unit.WORKING_DAYS)
    assert deadline == msk(2026, 11, 27, 18)


def test_working_days_end_at_a_shortened_close_and_skip_holidays():
    assert CLOCK.add(msk(2026, 11, 2, 10), 1, Unit.WORKING_DAYS) == msk(2026, 11, 3, 17)
    assert CLOCK.add(msk(2026, 11, 3, 10), 1, Unit.WORKING_DAYS) == msk(2026, 11, 5, 18)
    # A Saturday start: Monday is the first working day.
    assert CLOCK.add(msk(2026, 11, 21, 10), 1, Unit.WORKING_DAYS) == msk(2026, 11, 23, 18)


def test_negative_working_days_give_the_close_of_an_earlier_working_day():
    assert CLOCK.subtract(msk(2026, 11, 23, 10), 2, Unit.WORKING_DAYS) == msk(2026, 11, 19, 18)
    assert CLOCK.subtract(msk(2026, 11, 5, 10), 1, Unit.WORKING_DAYS) == msk(2026, 11, 3, 17)


def test_30_calendar_days_keep_the_wall_clock_time():
    assert CLOCK.add(msk(2026, 11, 20, 10, 15), 30, Unit.CALENDAR_DAYS) == msk(2026, 12, 20, 10, 15)
    assert CLOCK.add(msk(2026, 11, 20, 10, 15), -30, Unit.CALENDAR_DAYS) == msk(
        2026, 10, 21, 10, 15
    )
    assert CLOCK.add(msk(2026, 11, 20, 16), 90, Unit.CALENDAR_MINUTES) == msk(2026, 11, 20, 17, 30)


def test_calendar_days_across_a_dst_change_keep_wall_clock_hours_count_elapsed_time():
    berlin = ZoneInfo("Europe/Berlin")  # clocks go forward on Sun 29 March 2026
    clock = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), berlin)
    start = datetime(2026, 3, 28, 12, tzinfo=berlin)
    assert clock.add(start, 1, Unit.CALENDAR_DAYS) == datetime(2026, 3, 29, 12, tzinfo=berlin)
    assert clock.add(start, 24, Unit.CALENDAR_HOURS) == datetime(2026, 3, 29, 13, tzinfo=berlin)


# -- production calendar ----------------------------------------------------------------------


def test_new_year_holidays_2026():
    calendar = ProductionCalendar()
    assert not any(calendar.is_working_day(date(2026, 1, day)) for day in range(1, 12))
    assert calendar.is_working_day(date(2026, 1, 12))
    # Tue 30 Dec 2025 closes at 18:00 (31 Dec is a moved day off): 30 min, then 12 January.
    assert CLOCK.add(msk(2025, 12, 30, 17, 30), 1, Unit.WORKING_HOURS) == msk(2026, 1, 12, 9, 30)
    assert CLOCK.add(msk(2025, 12, 30, 12), 1, Unit.WORKING_DAYS) == msk(2026, 1, 12, 18)


@pytest.mark.parametrize(
    ("year", "days", "hours", "shortened"),
    [
        # Official production calendars, 40-hour week.
        (2024, 248, 1979, None),
        (2025, 247, 1972, SHORTENED_DAYS_2025),
        (2026, 247, 1972, SHORTENED_DAYS_2026),
    ],
)
def test_working_days_and_hours_of_a_year(year, days, hours, shortened):
    calendar = ProductionCalendar()
    assert sum(calendar.is_working_day(day) for day in days_of(year)) == days
    if shortened is not None:
        assert {day for day in days_of(year) if calendar.is_shortened(day)} == shortened
    start, end = msk(year, 1, 1), msk(year + 1, 1, 1)
    assert CLOCK.between(start, end) == timedelta(hours=hours)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_art_95_rule_reproduces_the_official_shortened_days(year):
    rule_only = ProductionCalendar(official_shortened_days={})
    official = {2025: SHORTENED_DAYS_2025, 2026: SHORTENED_DAYS_2026}[year]
    assert {day for day in days_of(year) if rule_only.is_shortened(day)} == official


def test_the_rule_shortens_a_working_saturday_that_stands_in_for_a_pre_holiday_day():
    rule_only = ProductionCalendar(official_shortened_days={})
    # Sat 1 Nov 2025 is worked instead of Mon 3 Nov, the day before Unity Day.
    assert rule_only.is_working_day(date(2025, 11, 1))
    assert not rule_only.is_working_day(date(2025, 11, 3))
    assert rule_only.is_shortened(date(2025, 11, 1))
    # 31 Dec 2026 is a moved day off: neither working nor shortened.
    assert not rule_only.is_working_day(date(2026, 12, 31))
    assert not rule_only.is_shortened(date(2026, 12, 31))
    assert not rule_only.is_shortened(date(2026, 12, 30))


def test_a_working_saturday_from_the_calendar_uses_the_weekday_schedule():
    # 1 Nov 2025 (a shortened working Saturday): 09:00–13:00, 14:00–17:00.
    assert CLOCK.is_working(msk(2025, 11, 1, 9))
    assert CLOCK.add(msk(2025, 10, 31, 12), 1, Unit.WORKING_DAYS) == msk(2025, 11, 1, 17)


def test_a_working_saturday_override():
    clock = clock_with(extra_working_days={date(2026, 11, 21)})
    # Fri 16:00–18:00, then Sat 09:00–13:00 and 14:00–16:00.
    assert clock.add(msk(2026, 11, 20, 16), 8, Unit.WORKING_HOURS) == msk(2026, 11, 21, 16)
    assert clock.add(msk(2026, 11, 20, 10), 1, Unit.WORKING_DAYS) == msk(2026, 11, 21, 18)


def test_an_extra_day_off_override():
    clock = clock_with(extra_days_off={date(2026, 11, 23)})
    assert clock.add(msk(2026, 11, 20, 16), 8, Unit.WORKING_HOURS) == msk(2026, 11, 24, 16)
    assert not clock.is_working(msk(2026, 11, 23, 10))


def test_a_shortened_day_override():
    clock = clock_with(shortened_days={date(2026, 11, 20)})
    # Fri 20 Nov closes at 17:00: 1 h on Friday, 7 h on Monday.
    assert clock.add(msk(2026, 11, 20, 16), 8, Unit.WORKING_HOURS) == msk(2026, 11, 23, 17)
    assert not clock.is_working(msk(2026, 11, 20, 17, 30))


def test_a_date_cannot_be_both_an_extra_day_off_and_an_extra_working_day():
    with pytest.raises(ValueError, match="и как выходной, и как рабочий"):
        ProductionCalendar(extra_days_off={date(2026, 5, 1)}, extra_working_days={date(2026, 5, 1)})


# -- time zones -------------------------------------------------------------------------------


def test_barnaul_time_gives_the_right_utc_instant():
    clock = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), BARNAUL)
    received = datetime(2026, 11, 20, 9, tzinfo=UTC)  # Fri 16:00 in Barnaul
    deadline = clock.add(received, 8, Unit.WORKING_HOURS)
    assert deadline == datetime(2026, 11, 23, 16, tzinfo=BARNAUL)
    assert deadline.astimezone(UTC) == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert deadline.tzinfo is BARNAUL
    # The same instant is 12:00 in Moscow: the Moscow office's deadline is Mon 12:00 MSK.
    assert CLOCK.add(received, 8, Unit.WORKING_HOURS) == msk(2026, 11, 23, 12)


def test_results_are_returned_in_the_organisations_time_zone():
    result = CLOCK.add(datetime(2026, 11, 20, 13, tzinfo=UTC), 1, Unit.WORKING_HOURS)
    assert result.tzinfo is MSK
    assert result == msk(2026, 11, 20, 17)


# -- validation -------------------------------------------------------------------------------


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError, match="с часовым поясом"):
        CLOCK.add(datetime(2026, 11, 20, 16), 8, Unit.WORKING_HOURS)
    with pytest.raises(ValueError, match="с часовым поясом"):
        CLOCK.between(msk(2026, 11, 20, 16), datetime(2026, 11, 21))
    with pytest.raises(ValueError, match="с часовым поясом"):
        CLOCK.is_working(datetime(2026, 11, 20, 16))


def test_amount_and_unit_types_are_checked():
    with pytest.raises(TypeError):
        CLOCK.add(msk(2026, 11, 20, 16), 1.5, Unit.WORKING_HOURS)
    with pytest.raises(TypeError):
        CLOCK.add(msk(2026, 11, 20, 16), 1, "working_hours")


def test_overlapping_intervals_are_rejected():
    with pytest.raises(ValueError, match="Интервалы рабочего времени пересекаются"):
        WeeklySchedule({0: [(time(9), time(13)), (time(12), time(18))]})
    with pytest.raises(ValueError, match="не упорядочены"):
        WeeklySchedule({0: [(time(14), time(18)), (time(9), time(13))]})
    with pytest.raises(ValueError, match="Начало интервала"):
        WeeklySchedule({0: [(time(18), time(9))]})
    with pytest.raises(ValueError, match="нет ни одного"):
        WeeklySchedule({})
    with pytest.raises(ValueError, match="Сокращение"):
        WeeklySchedule({0: [(time(9), time(10))]})


def test_schedule_shortening_cuts_the_end_of_the_day():
    hour = timedelta(hours=1)
    assert WeeklySchedule.default().intervals(0, shortened=True) == (
        (9 * hour, 13 * hour),
        (14 * hour, 17 * hour),
    )
    long_cut = WeeklySchedule(WeeklySchedule.default().days, shortened_by=5 * hour)
    assert long_cut.intervals(0, shortened=True) == ((9 * hour, 12 * hour),)
    assert WeeklySchedule.default().intervals(5) == ()


def test_an_interval_may_end_at_midnight():
    evening = WeeklySchedule({day: [(time(20), time(0))] for day in range(5)})
    clock = WorkingTime(evening, ProductionCalendar(), MSK)
    assert clock.add(msk(2026, 11, 23, 23), 2, Unit.WORKING_HOURS) == msk(2026, 11, 24, 21)
    assert not clock.is_working(msk(2026, 11, 24, 0))


# -- properties -------------------------------------------------------------------------------

bounded = settings(max_examples=200, deadline=None)

any_instant = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([MSK, UTC, BARNAUL]),
)
# Whole minutes in Moscow, so that openings, breaks and closings are hit exactly.
whole_minute = st.builds(
    lambda day, minute: msk(2025, 1, 1) + timedelta(days=day, minutes=minute),
    st.integers(0, 3 * 365 - 1),
    st.integers(0, 24 * 60 - 1),
)
instants = st.one_of(any_instant, whole_minute)
minutes = st.integers(0, 5000)


@bounded
@given(instants, minutes)
def test_adding_then_measuring_gives_back_the_amount(start, n):
    assert CLOCK.between(start, CLOCK.add(start, n, Unit.WORKING_MINUTES)) == timedelta(minutes=n)


@bounded
@given(instants, minutes, minutes)
def test_a_larger_amount_never_gives_an_earlier_deadline(start, n, m):
    low, high = sorted((n, m))
    assert CLOCK.add(start, low, Unit.WORKING_MINUTES) <= CLOCK.add(
        start, high, Unit.WORKING_MINUTES
    )


@bounded
@given(instants, instants, minutes)
def test_a_later_start_never_gives_an_earlier_deadline(a, b, n):
    early, late = sorted((a, b))
    assert CLOCK.add(early, n, Unit.WORKING_MINUTES) <= CLOCK.add(late, n, Unit.WORKING_MINUTES)


@bounded
@given(instants, st.integers(1, 5000))
def test_a_deadline_lies_in_working_time_or_exactly_at_an_interval_end(start, n):
    deadline = CLOCK.add(start, n, Unit.WORKING_MINUTES)
    assert CLOCK.is_working(deadline) or CLOCK.is_working(deadline - MICROSECOND)


@bounded
@given(instants, minutes)
def test_subtract_is_the_inverse_of_add_inside_working_time(instant, n):
    start = CLOCK.next_working_instant(instant)
    assert CLOCK.is_working(start)
    assert (
        CLOCK.subtract(CLOCK.add(start, n, Unit.WORKING_MINUTES), n, Unit.WORKING_MINUTES) == start
    )


@bounded
@given(instants, st.integers(1, 5000), minutes)
def test_add_is_the_inverse_of_subtract_for_deadlines(instant, k, n):
    deadline = CLOCK.add(instant, k, Unit.WORKING_MINUTES)  # inside an interval or at its end
    earlier = CLOCK.subtract(deadline, n, Unit.WORKING_MINUTES)
    assert n == 0 or CLOCK.is_working(earlier)
    assert CLOCK.add(earlier, n, Unit.WORKING_MINUTES) == deadline
    assert CLOCK.between(earlier, deadline) == timedelta(minutes=n)


@bounded
@given(instants, instants)
def test_between_is_antisymmetric(a, b):
    assert CLOCK.between(a, b) == -CLOCK.between(b, a)


@bounded
@given(instants, instants, instants)
def test_between_is_additive(a, b, c):
    assert CLOCK.between(a, c) == CLOCK.between(a, b) + CLOCK.between(b, c)


@bounded
@given(instants, st.integers(1, 30))
def test_working_days_end_at_a_closing_time(start, n):
    deadline = CLOCK.add(start, n, Unit.WORKING_DAYS)
    assert not CLOCK.is_working(deadline)
    assert CLOCK.is_working(deadline - MICROSECOND)
    assert deadline.date() > start.astimezone(MSK).date()


def test_a_deadline_on_a_day_off_moves_to_the_close_of_a_working_day():
    clock = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), MSK)
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=MSK)
    assert clock.off_day_moved(saturday, forward=False) == datetime(2026, 11, 20, 18, 0, tzinfo=MSK)
    assert clock.off_day_moved(saturday, forward=True) == datetime(2026, 11, 23, 18, 0, tzinfo=MSK)
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=MSK)
    assert clock.off_day_moved(tuesday, forward=False) == tuesday
