"""A hand-built month of citizens' messages whose every figure in the monthly analysis is known.

November 2026 in Moscow (UTC+3), the report made at 10:00 on 2 December. Each case sets its
deadlines, the moments each stage was done and the working minutes it took by hand, so the
expected figures below follow from this file alone:

* C1 — VK, «ЖКХ», unit A, executor E1, «ул. Ленина, 5»: every stage on time.
* C2 — OK, «ЖКХ», unit A, E1, the same address, a repeat of C1: routed late, returned by the press
  office and reworked late, forwarded late, answered on time.
* C3 — VK, high importance, «Дороги», unit B, E2: an interim answer on time, the final one late;
  its approved answer names the measures taken.
* C4 — Telegram, found 22:30 UTC on 31 October = 01:30 on 1 November in Moscow: never routed, so
  its routing, draft and answer are overdue and open.
* C5 — VK, «ЖКХ», left without an answer (obscenity).
* C6 — VK, «Дороги», unit B, E2, found on the 28th: returned by the curator, rework due tomorrow,
  answer due on the 4th — both pending.
* C13 — the site, found 18:30 UTC on 30 November: November in Moscow, December in Barnaul.
* C14 — MAX, found 18:00 UTC on 31 October: October in Moscow, November in Barnaul.
* Out of the month: C7 (October, answered late), C8 (December), C9 (October, high importance, on
  time), C10–C12 (November 2025: two on time, one late).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from newsroom.models import Answer, CaseKind, CaseRework, NoAnswerReason, ReworkStage
from tests.factories import DepartmentFactory
from tests.newsroom.casework.factories import CaseFactory, ExecutorFactory

MSK = ZoneInfo("Europe/Moscow")
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=MSK)

NO_DUES = {
    "routing_due": None,
    "draft_due": None,
    "forward_due": None,
    "answer_due": None,
    "rework_due": None,
    "final_due": None,
}


def msk(month, day, hour, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def build_month():
    unit_a = DepartmentFactory(name="Управление жилищного хозяйства", short_name="УЖХ")
    unit_b = DepartmentFactory(name="Отдел дорожной деятельности", short_name="ОДД")
    e1 = ExecutorFactory(first_name="Иван", last_name="Петров", department=unit_a)
    e2 = ExecutorFactory(first_name="Анна", last_name="Сидорова", department=unit_b)
    cases = {}
    cases["C1"] = CaseFactory(
        network="vk",
        category="ЖКХ",
        unit=unit_a,
        executor=e1,
        place="ул. Ленина, 5",
        status="answered",
        detected_at=msk(11, 3, 9),
        routing_due=msk(11, 3, 12),
        routed_at=msk(11, 3, 11),
        routing_minutes=60,
        draft_due=msk(11, 4, 12),
        draft_submitted_at=msk(11, 4, 11),
        draft_minutes=120,
        forward_due=msk(11, 4, 16),
        forwarded_at=msk(11, 4, 15),
        forward_minutes=240,
        answer_due=msk(11, 5, 18),
        answered_at=msk(11, 5, 10),
        answer_minutes=600,
        final_due=None,
        rework_due=None,
    )
    cases["C2"] = CaseFactory(
        network="ok",
        category="ЖКХ",
        unit=unit_a,
        executor=e1,
        place="ул. Ленина, 5",
        repeated_of=cases["C1"],
        status="answered",
        detected_at=msk(11, 10, 9),
        routing_due=msk(11, 10, 12),
        routed_at=msk(11, 10, 14),
        routing_minutes=300,
        draft_due=msk(11, 11, 12),
        draft_submitted_at=msk(11, 11, 11),
        draft_minutes=60,
        forward_due=msk(11, 12, 18),
        forwarded_at=msk(11, 13, 10),
        forward_minutes=120,
        answer_due=msk(11, 13, 18),
        answered_at=msk(11, 13, 12),
        answer_minutes=900,
        final_due=None,
        rework_due=msk(11, 12, 13),
    )
    CaseRework.objects.create(
        case=cases["C2"],
        stage=ReworkStage.PRESS,
        returned_at=msk(11, 11, 13),
        comment="Нет срока  устранения",
        missing=["terms", "evidence"],
        due=msk(11, 12, 13),
        done_at=msk(11, 12, 15),
        minutes=540,
    )
    cases["C3"] = CaseFactory(
        network="vk",
        kind=CaseKind.HIGH_IMPORTANCE,
        category="Дороги",
        unit=unit_b,
        executor=e2,
        status="answered",
        text="Провал дороги на пр-те Мира, машина попала в яму",
        place="пр-т Мира",
        detected_at=msk(11, 20, 9),
        routing_due=msk(11, 20, 10),
        routed_at=msk(11, 20, 9, 30),
        routing_minutes=30,
        draft_due=msk(11, 20, 12),
        draft_submitted_at=msk(11, 20, 11),
        draft_minutes=90,
        forward_due=msk(11, 20, 15),
        forwarded_at=msk(11, 20, 14),
        forward_minutes=60,
        answer_due=msk(11, 20, 17),
        interim_answered_at=msk(11, 20, 16),
        answer_minutes=390,
        final_due=msk(11, 27, 18),
        answered_at=msk(11, 30, 10),
        final_minutes=2400,
        answer_url="https://vk.com/wall-1_3?reply=9",
        rework_due=None,
    )
    Answer.objects.create(
        case=cases["C3"],
        kind="final",
        text="Провал засыпали, дорогу восстановили.",
        measures_taken="Провал засыпан щебнем 21 ноября, асфальт уложен 29 ноября.",
        live=True,
        last_published_at=msk(11, 30, 9),
    )
    cases["C4"] = CaseFactory(
        network="telegram",
        status="new",
        detected_at=datetime(2026, 10, 31, 22, 30, tzinfo=UTC),
        routing_due=msk(11, 2, 12),
        draft_due=msk(11, 5, 12),
        forward_due=None,
        answer_due=msk(11, 6, 18),
        rework_due=None,
        final_due=None,
    )
    cases["C5"] = CaseFactory(
        network="vk",
        category="ЖКХ",
        status="closed_no_answer",
        no_answer_reason=NoAnswerReason.OBSCENITY,
        detected_at=msk(11, 24, 12),
        **{**NO_DUES, "answer_due": msk(11, 25, 18)},
    )
    cases["C6"] = CaseFactory(
        network="vk",
        category="Дороги",
        unit=unit_b,
        executor=e2,
        status="rework",
        detected_at=msk(11, 28, 14),
        routing_due=msk(11, 28, 16),
        routed_at=msk(11, 28, 15),
        routing_minutes=60,
        draft_due=msk(11, 30, 12),
        draft_submitted_at=msk(11, 30, 9),
        draft_minutes=120,
        forward_due=None,
        answer_due=msk(12, 4, 18),
        rework_due=msk(12, 3, 10),
        final_due=None,
    )
    CaseRework.objects.create(
        case=cases["C6"],
        stage=ReworkStage.CURATOR,
        returned_at=msk(11, 30, 10),
        comment="Добавьте фото",
        missing=["terms"],
        due=msk(12, 3, 10),
    )
    cases["C13"] = CaseFactory(
        network="site",
        status="new",
        detected_at=datetime(2026, 11, 30, 18, 30, tzinfo=UTC),
        **NO_DUES,
    )
    cases["C14"] = CaseFactory(
        network="max",
        status="new",
        detected_at=datetime(2026, 10, 31, 18, 0, tzinfo=UTC),
        **NO_DUES,
    )
    # Outside November.
    cases["C7"] = CaseFactory(
        status="answered",
        detected_at=msk(10, 15, 10),
        **{**NO_DUES, "answer_due": msk(10, 16, 18)},
        answered_at=msk(10, 17, 10),
    )
    cases["C8"] = CaseFactory(
        status="new", detected_at=datetime(2026, 11, 30, 21, 30, tzinfo=UTC), **NO_DUES
    )
    cases["C9"] = CaseFactory(
        kind=CaseKind.HIGH_IMPORTANCE,
        status="answered",
        detected_at=msk(10, 20, 10),
        **{**NO_DUES, "answer_due": msk(10, 20, 18)},
        answered_at=msk(10, 20, 15),
    )
    for name, (day, answered) in {"C10": (3, 5), "C11": (10, 11), "C12": (20, 25)}.items():
        cases[name] = CaseFactory(
            status="answered",
            detected_at=msk(11, day, 10, year=2025),
            **{**NO_DUES, "answer_due": msk(11, day + 2, 18, year=2025)},
            answered_at=msk(11, answered, 10, year=2025),
        )
    return cases, {"A": unit_a, "B": unit_b, "E1": e1, "E2": e2}
