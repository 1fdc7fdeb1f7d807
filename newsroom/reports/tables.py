"""The monthly analysis as titled tables: what the admin page, the DOCX, the XLSX and the PDF show.

One list of sections keeps the four in step: a figure added here appears everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsroom.organisation import DATE_FORMAT, local_datetime
from newsroom.reports.monthly import VOLUME_SECTIONS, MonthlyReport


@dataclass
class Table:
    key: str  # also the XLSX sheet's name (≤ 31 characters)
    title: str
    header: list[str]
    rows: list[list]
    note: str = ""


class Figure:
    """A number the tables show formatted («75%», «1,5», «+133,3%», «—») and the XLSX keeps as a
    number with a number format, so that a spreadsheet can sum and sort it."""

    excel_format = "0.0"

    def __init__(self, value):
        self.value = value

    def __str__(self):
        if self.value is None:
            return "—"
        return self.shown()

    def shown(self):
        return f"{self.value:g}".replace(".", ",")

    @property
    def number(self):
        return self.value

    def __eq__(self, other):
        return str(self) == str(other)

    __hash__ = None


class Num(Figure):
    pass


class Pct(Figure):
    excel_format = "0.0%"

    def shown(self):
        return super().shown() + "%"

    @property
    def number(self):
        return None if self.value is None else self.value / 100


class Change(Pct):
    excel_format = "+0.0%;-0.0%;0%"

    def shown(self):
        return ("+" if self.value > 0 else "") + super().shown()


def volume_tables(report: MonthlyReport) -> list[Table]:
    tables = []
    for key, title in VOLUME_SECTIONS:
        rows = [[row.label, row.count, Pct(row.share)] for row in report.volume.get(key, [])]
        tables.append(
            Table(
                f"Объём — {title.split()[-1]}"[:31],
                title,
                ["", "Сообщений", "Доля"],
                rows,
                note="Первые десять адресов." if key == "place" else "",
            )
        )
    return tables


def timeliness_table(report: MonthlyReport) -> Table:
    rows = [
        [
            stage.label,
            stage.total,
            stage.on_time,
            stage.late,
            stage.pending,
            Pct(stage.on_time_share),
            Num(stage.median_hours),
            Num(stage.p90_hours),
        ]
        for stage in report.stages
    ]
    return Table(
        "Своевременность",
        "Своевременность по этапам регламента",
        [
            "Этап",
            "Всего",
            "В срок",
            "С нарушением",
            "Срок не истёк",
            "Доля в срок",
            "Медиана, раб. ч",
            "90-й процентиль, раб. ч",
        ],
        rows,
        note=(
            "«С нарушением» — выполнено позже срока или не выполнено, когда срок уже прошёл, "
            f"на {local_datetime(report.made_at, report.period.zone)}."
        ),
    )


def late_table(report: MonthlyReport) -> Table:
    rows = [
        [
            f"№ {item.case_id}",
            item.stage,
            item.who,
            item.unit or "—",
            Num(item.held_hours),
            "не выполнено" if item.open else "выполнено с опозданием",
        ]
        for item in report.late
    ]
    note = ""
    if report.late_total > len({item.case_id for item in report.late}):
        note = f"Показаны первые сообщения; всего с нарушениями: {report.late_total}."
    return Table(
        "Нарушения сроков",
        "Сообщения с нарушением сроков",
        ["Сообщение", "Этап", "У кого", "Подразделение", "Заняло, раб. ч", "Итог"],
        rows,
        note=note,
    )


def quality_tables(report: MonthlyReport) -> list[Table]:
    tables = [
        Table(
            "Возвраты",
            f"Возвраты на доработку — {report.reworks_total}",
            ["Кто вернул", "Возвратов"],
            [[row.label, row.count] for row in report.reworks_by_stage],
        ),
        Table(
            "Чего не хватало",
            "Чего не хватало в возвращённых ответах (R12)",
            ["Пункт", "Раз"],
            [[row.label, row.count] for row in report.rework_gaps],
        ),
        Table(
            "Замечания",
            "Замечания при возврате",
            ["Кто вернул", "Замечание", "Раз"],
            [
                [stage, row.label, row.count]
                for stage, rows in report.rework_comments.items()
                for row in rows
            ],
        ),
        Table(
            "Повторы",
            f"Повторные сообщения (вопрос не решён) — {report.repeats}",
            ["Подразделение", "Повторов"],
            [[row.label, row.count] for row in report.repeats_by_unit],
        ),
        Table(
            "Без ответа",
            "Оставлено без ответа",
            ["Основание", "Сообщений"],
            [[row.label, row.count] for row in report.no_answer],
        ),
        Table(
            "Промежуточные",
            "Промежуточные ответы",
            ["", "Сообщений"],
            [
                ["Дан промежуточный ответ", report.interim_total],
                ["Окончательный ответ — с нарушением срока", report.interim_final_late],
            ],
        ),
    ]
    return tables


def dynamics_table(report: MonthlyReport) -> Table:
    period = report.period
    return Table(
        "Динамика",
        "Динамика",
        [
            "Показатель",
            period.label,
            period.shifted(-1).label,
            "к пред. периоду",
            period.shifted(-12).label,
            "к прошлому году",
        ],
        [
            [
                row.label,
                (Pct if row.unit == "%" else Num)(row.current),
                (Pct if row.unit == "%" else Num)(row.previous),
                Change(row.change_previous),
                (Pct if row.unit == "%" else Num)(row.year_ago),
                Change(row.change_year),
            ]
            for row in report.dynamics
        ],
    )


def trend_table(report: MonthlyReport) -> Table:
    return Table(
        "12 месяцев",
        "Сообщения за 12 месяцев",
        ["Месяц", "Сообщений", "Ответ в срок"],
        [[p.label, p.total, Pct(p.on_time_share)] for p in report.trend],
    )


def high_importance_table(report: MonthlyReport) -> Table:
    zone = report.period.zone
    rows = [
        [
            f"№ {item.case_id}",
            item.detected_at.astimezone(zone).strftime(DATE_FORMAT),
            item.text,
            item.status,
            local_datetime(item.answered_at, zone) or "—",
            {True: "в срок", False: "с опозданием", None: "—"}[item.on_time],
            item.measures or "—",
            item.answer_url or "—",
        ]
        for item in report.high_importance
    ]
    return Table(
        "Повышенной важности",
        f"Сообщения повышенной важности — {report.high_importance_total}",
        [
            "Сообщение",
            "Выявлено",
            "Текст",
            "Состояние",
            "Ответ",
            "Срок",
            "Что сделано",
            "Ссылка на ответ",
        ],
        rows,
    )


def shortcomings_table(report: MonthlyReport) -> Table:
    return Table(
        "Недостатки",
        "Недостатки в работе исполнителей (п. 12 регламента)",
        ["Подразделение", "Исполнитель", "Этапов с нарушением", "Просрочено сейчас", "Возвратов"],
        [
            [s.unit or "—", s.executor, s.late_stages, s.overdue_open, s.reworks]
            for s in report.shortcomings
        ],
        note="Для направления заместителю главы администрации.",
    )


def all_tables(report: MonthlyReport) -> list[Table]:
    return [
        *volume_tables(report),
        timeliness_table(report),
        late_table(report),
        *quality_tables(report),
        dynamics_table(report),
        trend_table(report),
        high_importance_table(report),
        shortcomings_table(report),
    ]
