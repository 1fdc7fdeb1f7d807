"""One verdict on time for every case: the case page says what the monthly analysis counts — an
interim answer placed in time meets the answer's term, the final one is judged on its own."""

import datetime

import pytest

from newsroom.casework.admin.detail import answer_timeliness
from newsroom.casework.rules.timeliness import AnswerTimeliness
from newsroom.models import Case
from newsroom.reports import monthly
from newsroom.reports.period import Period
from tests.newsroom.reports.month import MSK, NOW, build_month

UTC = datetime.UTC


def at(day, hour):
    return datetime.datetime(2026, 11, day, hour, tzinfo=UTC)


def test_an_interim_answer_in_time_meets_the_term_and_the_final_one_is_judged_on_its_own():
    verdict = AnswerTimeliness.of(
        answer_due=at(5, 12),
        final_due=at(16, 12),
        interim_answered_at=at(5, 10),
        answered_at=at(12, 9),
    )
    assert verdict == AnswerTimeliness(answer=True, final=True)
    late_final = AnswerTimeliness.of(
        answer_due=at(5, 12),
        final_due=at(16, 12),
        interim_answered_at=at(5, 10),
        answered_at=at(17, 9),
    )
    assert late_final == AnswerTimeliness(answer=True, final=False)
    direct = AnswerTimeliness.of(
        answer_due=at(5, 12), final_due=None, interim_answered_at=None, answered_at=at(6, 9)
    )
    assert direct == AnswerTimeliness(answer=False, final=None)
    assert AnswerTimeliness.of(
        answer_due=at(5, 12), final_due=None, interim_answered_at=None, answered_at=None
    ) == AnswerTimeliness(answer=None, final=None)


@pytest.mark.django_db
def test_the_case_page_and_the_monthly_report_agree_on_every_case_of_the_month():
    build_month()
    period = Period.month(2026, 11, MSK)
    report = monthly.build(period, now=NOW)
    late = {(item.case_id, item.stage) for item in report.late}
    answer_stage = next(s.label for s in monthly.STAGES if s.code == "answer")
    final_stage = next(s.label for s in monthly.STAGES if s.code == "final")
    judged = 0
    month = Case.objects.filter(detected_at__gte=period.start, detected_at__lt=period.end)
    for case in month.filter(answer_due__isnull=False, no_answer_reason=""):
        shown = answer_timeliness(case)
        if not shown:
            continue
        judged += 1
        answer_part, _, final_part = shown.partition(", окончательный — ")
        assert answer_part.endswith("с опозданием") == ((case.pk, answer_stage) in late), case.pk
        if final_part:
            assert (final_part == "с опозданием") == ((case.pk, final_stage) in late), case.pk
    assert judged == 3  # C1, C2 and C3; the others have no answer placed yet
    # C3 of the month: its interim answer was in time, its final one late.
    interim = month.get(interim_answered_at__isnull=False)
    assert answer_timeliness(interim) == "промежуточный — в срок, окончательный — с опозданием"
