"""The monthly analysis on a hand-built month (tests/newsroom/reports/month.py)."""

from zoneinfo import ZoneInfo

import pytest

from newsroom.reports import monthly
from newsroom.reports.period import Period
from tests.newsroom.reports.month import MSK, NOW, build_month

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11, MSK)


@pytest.fixture
def month():
    return build_month()


@pytest.fixture
def report(month):
    return monthly.build(NOVEMBER, now=NOW)


def rows(report, key):
    return {row.label: row.count for row in report.volume[key]}


def test_volume_counts_the_month_in_the_organisations_zone(report):
    assert report.total == 7
    assert rows(report, "network") == {
        "ВКонтакте": 4,
        "Одноклассники": 1,
        "Telegram": 1,
        "Сайт": 1,
    }
    assert rows(report, "kind") == {"Инцидент": 6, "Инцидент повышенной важности": 1}
    assert rows(report, "category") == {"ЖКХ": 3, "Дороги": 2, "не указана": 2}
    assert rows(report, "unit") == {"УЖХ": 2, "ОДД": 2, "не указано": 3}
    assert rows(report, "executor") == {"Иван Петров": 2, "Анна Сидорова": 2, "не назначен": 3}
    assert rows(report, "place") == {"ул. Ленина, 5": 2, "пр-т Мира": 1}
    assert report.volume["network"][0].share == pytest.approx(57.1)


def test_the_same_month_in_barnaul_takes_other_cases_at_its_edges(month):
    report = monthly.build(Period.month(2026, 11, ZoneInfo("Asia/Barnaul")), now=NOW)
    networks = rows(report, "network")
    assert report.total == 7
    assert "Сайт" not in networks  # C13 is already December there
    assert networks["MAX"] == 1  # C14 is already November there


def figures(report, code):
    stage = report.stage(code)
    return (
        stage.total,
        stage.on_time,
        stage.late,
        stage.pending,
        stage.median_hours,
        stage.p90_hours,
    )


def test_timeliness_per_stage(report):
    assert figures(report, "routing") == (5, 3, 2, 0, 1.0, 5.0)
    assert figures(report, "draft") == (5, 4, 1, 0, 1.5, 2.0)
    assert figures(report, "forward") == (3, 2, 1, 0, 2.0, 4.0)
    assert figures(report, "rework") == (2, 0, 1, 1, 9.0, 9.0)
    assert figures(report, "answer") == (5, 3, 1, 1, 10.0, 15.0)
    assert figures(report, "final") == (1, 0, 1, 0, 40.0, 40.0)
    assert report.stage("answer").on_time_share == 75.0
    assert [stage.code for stage in report.stages] == [
        "routing",
        "draft",
        "forward",
        "rework",
        "answer",
        "final",
    ]


def test_late_cases_are_listed_with_who_held_them(report, month):
    cases, people = month
    assert report.late_total == 3
    listed = {(item.case_id, item.stage, item.who, item.open) for item in report.late}
    assert listed == {
        (cases["C2"].pk, "Направление ответственному", "не назначен", False),
        (cases["C2"].pk, "Передача куратору", "Иван Петров", False),
        (cases["C3"].pk, "Окончательный после промежуточного", "Анна Сидорова", False),
        (cases["C4"].pk, "Направление ответственному", "не назначен", True),
        (cases["C4"].pk, "Проект ответа", "не назначен", True),
        (cases["C4"].pk, "Размещение ответа", "не назначен", True),
    }
    held = {(item.case_id, item.stage): item.held_hours for item in report.late}
    assert held[(cases["C3"].pk, "Окончательный после промежуточного")] == 40.0
    assert held[(cases["C4"].pk, "Размещение ответа")] is None


def test_quality(report):
    assert report.reworks_total == 2
    assert {row.label: row.count for row in report.reworks_by_stage} == {
        "Пресс-служба": 1,
        "Куратор": 1,
    }
    assert [(row.label, row.count) for row in report.rework_gaps] == [
        ("нет сроков решения", 2),
        ("нет фото или видео", 1),
    ]
    assert {
        stage: [(row.label, row.count) for row in comments]
        for stage, comments in report.rework_comments.items()
    } == {"Пресс-служба": [("Нет срока устранения", 1)], "Куратор": [("Добавьте фото", 1)]}
    assert report.repeats == 1
    assert [(row.label, row.count) for row in report.repeats_by_unit] == [("УЖХ", 1)]
    assert [(row.label, row.count) for row in report.no_answer] == [("Нецензурные выражения", 1)]
    assert (report.interim_total, report.interim_final_late) == (1, 1)


def test_dynamics_against_the_previous_month_and_a_year_ago(report):
    table = {row.label: (row.current, row.previous, row.year_ago) for row in report.dynamics}
    assert table == {
        "Сообщений всего": (7, 3, 3),
        "Повышенной важности": (1, 1, 0),
        "Ответ размещён в срок": (75.0, 50.0, 66.7),
        "Возвратов на доработку": (2, 0, 0),
        "Повторных сообщений": (1, 0, 0),
        "Оставлено без ответа": (1, 0, 0),
    }
    total = report.dynamics[0]
    assert (total.change_previous, total.change_year) == (133.3, 133.3)
    assert report.dynamics[1].change_year is None  # nothing to compare with
    assert [point.label for point in report.trend][0] == "дек 25"
    assert [(p.label, p.total, p.on_time_share) for p in report.trend[-2:]] == [
        ("окт 26", 3, 50.0),
        ("ноя 26", 7, 75.0),
    ]
    assert sum(point.total for point in report.trend) == 10


def test_high_importance_cases_with_what_was_done(report, month):
    cases, _ = month
    assert report.high_importance_total == 1
    (item,) = report.high_importance
    assert item.case_id == cases["C3"].pk
    assert item.on_time is True
    assert item.answer_url.startswith("https://vk.com/")
    assert item.measures == "Провал засыпан щебнем 21 ноября, асфальт уложен 29 ноября."


def test_shortcomings_by_unit_and_executor(report):
    table = [
        (s.unit, s.executor, s.late_stages, s.overdue_open, s.reworks) for s in report.shortcomings
    ]
    assert table == [
        ("УЖХ", "Иван Петров", 2, 0, 1),
        ("ОДД", "Анна Сидорова", 1, 0, 1),
    ]


def test_constant_number_of_queries(month, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:
        monthly.build(NOVEMBER, now=NOW)
    few = len(captured.captured_queries)
    for _ in range(20):
        build_more = month[0]["C1"]
        build_more.pk = None
        build_more.external_id = ""
        build_more.save()
    with django_assert_max_num_queries(few):
        monthly.build(NOVEMBER, now=NOW)
