"""The monthly analysis of citizens' messages (seed 002 p.12–13, seed 003 p.13), built in SQL.

A report is about the messages *found* in its period (in the organisation's zone): how many, where
from and about what; how each stage of the regulation went for them — judged as of the moment the
report is made, so a message found on the 30th and answered late on the 2nd counts as late in the
month it was found; what went wrong (reworks, repeats, messages left unanswered); how the month
compares with the one before and the same month a year ago; and who broke the terms.

Every figure is a SQL aggregate; the number of queries does not depend on the number of cases.
Medians and 90th percentiles come from the counted distribution of working minutes
(``GROUP BY minutes``), which the database returns in at most one row per distinct value.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.casework.rules.lifecycle import Status
from newsroom.casework.rules.timeliness import ANSWER_PLACED_FIELDS
from newsroom.models import Answer, Case, CaseKind, CaseRework, NoAnswerReason, ReworkStage
from newsroom.networks import CASE_NETWORKS
from newsroom.reports.period import Period, add_months, change, month_label, percentile

#: How many rows a list in the report shows at most (the totals count them all).
LIST_LIMIT = 50
TOP_LIMIT = 10

CHECKLIST_LABELS = {
    "measures": "не названы принятые меры",
    "terms": "нет сроков решения",
    "evidence": "нет фото или видео",
    "legal": "ссылки на акты без объяснений",
    "consistent": "противоречия в ответе",
    "length": "длиннее, чем принимает сеть",
    "repeat": "повтор без хода решения",
}


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    due: str
    done: str  # a field of Case, or the annotation «placed»
    minutes: str


STAGES = (
    Stage("routing", "Направление ответственному", "routing_due", "routed_at", "routing_minutes"),
    Stage("draft", "Проект ответа", "draft_due", "draft_submitted_at", "draft_minutes"),
    Stage("forward", "Передача куратору", "forward_due", "forwarded_at", "forward_minutes"),
    Stage("answer", "Размещение ответа", "answer_due", "placed", "answer_minutes"),
    Stage(
        "final", "Окончательный после промежуточного", "final_due", "answered_at", "final_minutes"
    ),
)
REWORK_STAGE = Stage("rework", "Доработка после возврата", "due", "done_at", "minutes")


@dataclass
class Row:
    label: str
    count: int
    share: float = 0.0


@dataclass
class StageFigures:
    code: str
    label: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None

    @property
    def judged(self):
        return self.on_time + self.late

    @property
    def on_time_share(self):
        return round(self.on_time * 100 / self.judged, 1) if self.judged else None


@dataclass
class LateItem:
    case_id: int
    stage: str
    who: str
    unit: str
    held_hours: float | None
    open: bool


@dataclass
class Comparison:
    label: str
    current: float | None
    previous: float | None
    year_ago: float | None
    unit: str = ""

    @property
    def change_previous(self):
        return change(self.current, self.previous)

    @property
    def change_year(self):
        return change(self.current, self.year_ago)


@dataclass
class TrendPoint:
    label: str
    total: int
    on_time_share: float | None


@dataclass
class HighImportanceItem:
    case_id: int
    detected_at: datetime
    text: str
    status: str
    answered_at: datetime | None
    answer_url: str
    on_time: bool | None
    measures: str = ""


@dataclass
class Shortcoming:
    unit: str
    executor: str
    late_stages: int
    overdue_open: int
    reworks: int


@dataclass
class MonthlyReport:
    period: Period
    made_at: datetime
    organisation: str = ""
    total: int = 0
    volume: dict[str, list[Row]] = field(default_factory=dict)
    stages: list[StageFigures] = field(default_factory=list)
    late: list[LateItem] = field(default_factory=list)
    late_total: int = 0
    reworks_total: int = 0
    reworks_by_stage: list[Row] = field(default_factory=list)
    rework_gaps: list[Row] = field(default_factory=list)
    rework_comments: dict[str, list[Row]] = field(default_factory=dict)
    repeats: int = 0
    repeats_by_unit: list[Row] = field(default_factory=list)
    no_answer: list[Row] = field(default_factory=list)
    interim_total: int = 0
    interim_final_late: int = 0
    dynamics: list[Comparison] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    high_importance: list[HighImportanceItem] = field(default_factory=list)
    high_importance_total: int = 0
    shortcomings: list[Shortcoming] = field(default_factory=list)

    def stage(self, code):
        return next(stage for stage in self.stages if stage.code == code)


VOLUME_SECTIONS = (
    ("network", "По сетям"),
    ("kind", "По видам"),
    ("category", "По тематикам"),
    ("unit", "По подразделениям"),
    ("executor", "По исполнителям"),
    ("place", "Чаще всего называемые адреса"),
)


def _hours(minutes):
    return None if minutes is None else round(minutes / 60, 1)


def _person(first, last, username=""):
    name = f"{first or ''} {last or ''}".strip()
    return name or username or ""


def _late_q(stage: Stage, now) -> Q:
    return Q(**{f"{stage.done}__gt": F(stage.due)}) | Q(
        **{f"{stage.done}__isnull": True, f"{stage.due}__lt": now}
    )


def _on_time_q(stage: Stage) -> Q:
    return Q(**{f"{stage.done}__isnull": False, f"{stage.done}__lte": F(stage.due)})


def _answerable():
    """Messages that get an answer: not closed or proposed to close without one (R13)."""
    return Q(no_answer_reason="")


def _cohort(period: Period):
    return (
        Case.objects.filter(detected_at__gte=period.start, detected_at__lt=period.end)
        .annotate(placed=Coalesce(*ANSWER_PLACED_FIELDS))
        .order_by()
    )


def _stage_filter(stage: Stage) -> Q:
    q = Q(**{f"{stage.due}__isnull": False})
    if stage.code in {"answer", "final"}:
        q &= _answerable()
    if stage.code == "final":
        q &= Q(interim_answered_at__isnull=False)
    return q


def build(period: Period, *, now: datetime | None = None, organisation: str = "") -> MonthlyReport:
    now = now or timezone.now()
    report = MonthlyReport(period=period, made_at=now, organisation=organisation)
    cases = _cohort(period)
    _volume(report, cases)
    _stages(report, cases, period, now)
    _late_list(report, cases, now)
    _quality(report, cases, period, now)
    _dynamics(report, period, now)
    _high_importance(report, cases)
    _shortcomings(report, cases, period, now)
    return report


def _volume(report, cases):
    networks = dict(CASE_NETWORKS)
    kinds = dict(CaseKind.choices)
    groupings = {
        "network": ("network",),
        "kind": ("kind",),
        "category": ("category",),
        "unit": ("unit__short_name",),
        "executor": ("executor__first_name", "executor__last_name", "executor__username"),
        "place": ("place",),
    }
    for key, columns in groupings.items():
        rows = cases.values(*columns).annotate(n=Count("pk")).order_by("-n", *columns)
        if key == "place":
            rows = rows.exclude(place="")[:TOP_LIMIT]
        result = []
        for row in rows:
            values = [row[c] for c in columns]
            if key == "network":
                label = str(networks.get(values[0], values[0]))
            elif key == "kind":
                label = str(kinds.get(values[0], values[0]))
            elif key == "executor":
                label = _person(*values) or _("не назначен")
            else:
                label = values[0] or (_("не указана") if key == "category" else _("не указано"))
            result.append(Row(label, row["n"]))
        report.volume[key] = result
    report.total = sum(row.count for row in report.volume["network"])
    for rows in report.volume.values():
        for row in rows:
            row.share = round(row.count * 100 / report.total, 1) if report.total else 0.0


def _stages(report, cases, period, now):
    aggregates = {}
    for stage in STAGES:
        base = _stage_filter(stage)
        aggregates[f"{stage.code}_total"] = Count("pk", filter=base)
        aggregates[f"{stage.code}_on_time"] = Count("pk", filter=base & _on_time_q(stage))
        aggregates[f"{stage.code}_late"] = Count("pk", filter=base & _late_q(stage, now))
    counts = cases.aggregate(**aggregates)
    for stage in [*STAGES[:3], REWORK_STAGE, *STAGES[3:]]:
        figures = StageFigures(stage.code, stage.label)
        if stage is REWORK_STAGE:
            reworks = CaseRework.objects.filter(
                case__detected_at__gte=period.start, case__detected_at__lt=period.end
            ).order_by()
            rework_counts = reworks.aggregate(
                total=Count("pk", filter=Q(due__isnull=False)),
                on_time=Count("pk", filter=Q(due__isnull=False) & _on_time_q(stage)),
                late=Count("pk", filter=Q(due__isnull=False) & _late_q(stage, now)),
            )
            figures.total = rework_counts["total"]
            figures.on_time = rework_counts["on_time"]
            figures.late = rework_counts["late"]
            histogram = reworks.filter(minutes__isnull=False).values_list("minutes")
        else:
            figures.total = counts[f"{stage.code}_total"]
            figures.on_time = counts[f"{stage.code}_on_time"]
            figures.late = counts[f"{stage.code}_late"]
            histogram = cases.filter(_stage_filter(stage), **{f"{stage.minutes}__isnull": False})
            histogram = histogram.values_list(stage.minutes)
        figures.pending = figures.total - figures.on_time - figures.late
        distribution = dict(
            histogram.annotate(n=Count("pk")).values_list(
                stage.minutes if stage is not REWORK_STAGE else "minutes", "n"
            )
        )
        figures.median_hours = _hours(percentile(distribution, 0.5))
        figures.p90_hours = _hours(percentile(distribution, 0.9))
        report.stages.append(figures)
    report.interim_total = report.stage("final").total
    report.interim_final_late = report.stage("final").late


def _late_list(report, cases, now):
    late_any = Q()
    for stage in STAGES:
        late_any |= _stage_filter(stage) & _late_q(stage, now)
    late = cases.filter(late_any)
    report.late_total = late.count()
    fields = [
        "pk",
        "unit__short_name",
        "executor__first_name",
        "executor__last_name",
        "executor__username",
        "routed_by__first_name",
        "routed_by__last_name",
        "routed_by__username",
        "no_answer_reason",
        "interim_answered_at",
    ]
    for stage in STAGES:
        fields += [stage.due, stage.minutes]
        if stage.done != "placed":
            fields.append(stage.done)
    fields.append("placed")
    for row in late.order_by("detected_at", "pk").values(*fields)[:LIST_LIMIT]:
        for stage in STAGES:
            due, done = row[stage.due], row[stage.done]
            if due is None:
                continue
            if stage.code in {"answer", "final"} and row["no_answer_reason"]:
                continue
            if stage.code == "final" and row["interim_answered_at"] is None:
                continue
            is_late = (done is not None and done > due) or (done is None and due < now)
            if not is_late:
                continue
            if stage.code == "routing":
                who = _person(
                    row["routed_by__first_name"],
                    row["routed_by__last_name"],
                    row["routed_by__username"],
                ) or _("не назначен")
            else:
                who = _person(
                    row["executor__first_name"],
                    row["executor__last_name"],
                    row["executor__username"],
                ) or _("не назначен")
            report.late.append(
                LateItem(
                    case_id=row["pk"],
                    stage=stage.label,
                    who=who,
                    unit=row["unit__short_name"] or "",
                    held_hours=_hours(row[stage.minutes]),
                    open=done is None,
                )
            )


def _quality(report, cases, period, now):
    reworks = CaseRework.objects.filter(
        case__detected_at__gte=period.start, case__detected_at__lt=period.end
    ).order_by()
    stages = dict(ReworkStage.choices)
    by_stage = Counter()
    gaps = Counter()
    comments = defaultdict(Counter)
    for stage, missing, comment in reworks.values_list("stage", "missing", "comment"):
        by_stage[stage] += 1
        gaps.update(missing or [])
        text = " ".join((comment or "").split())
        if text:
            comments[stage][text] += 1
    report.reworks_total = sum(by_stage.values())
    report.reworks_by_stage = [
        Row(str(stages[code]), by_stage[code]) for code in ReworkStage.values if by_stage[code]
    ]
    report.rework_gaps = [
        Row(CHECKLIST_LABELS.get(code, code), n)
        for code, n in sorted(gaps.items(), key=lambda i: (-i[1], i[0]))
    ]
    report.rework_comments = {
        str(stages[code]): [
            Row(text, n)
            for text, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))[:LIST_LIMIT]
        ]
        for code, counter in comments.items()
    }
    repeats = (
        cases.filter(repeated_of__isnull=False)
        .values("unit__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__short_name")
    )
    report.repeats_by_unit = [
        Row(row["unit__short_name"] or _("не назначено"), row["n"]) for row in repeats
    ]
    report.repeats = sum(row.count for row in report.repeats_by_unit)
    reasons = dict(NoAnswerReason.choices)
    no_answer = (
        cases.exclude(no_answer_reason="")
        .values("no_answer_reason", "status")
        .annotate(n=Count("pk"))
        .order_by("no_answer_reason", "status")
    )
    merged = Counter()
    for row in no_answer:
        label = str(reasons.get(row["no_answer_reason"], row["no_answer_reason"]))
        if row["status"] != Status.CLOSED_NO_ANSWER:
            label += " " + _("(предложено, не решено)")
        merged[label] += row["n"]
    report.no_answer = [Row(label, n) for label, n in sorted(merged.items(), key=lambda i: -i[1])]


def _comparison_aggregates(prefix, q, now):
    answer = next(stage for stage in STAGES if stage.code == "answer")
    base = q & _stage_filter(answer)
    return {
        f"{prefix}_total": Count("pk", filter=q),
        f"{prefix}_high": Count("pk", filter=q & Q(kind=CaseKind.HIGH_IMPORTANCE)),
        f"{prefix}_on_time": Count("pk", filter=base & _on_time_q(answer)),
        f"{prefix}_late": Count("pk", filter=base & _late_q(answer, now)),
        f"{prefix}_repeats": Count("pk", filter=q & Q(repeated_of__isnull=False)),
        f"{prefix}_no_answer": Count("pk", filter=q & ~Q(no_answer_reason="")),
    }


def _dynamics(report, period, now):
    previous, year_ago = period.shifted(-1), period.shifted(-12)
    trend_first = add_months(period.last, -11)
    trend = Period(trend_first, period.last, period.zone)
    spans = {"current": period, "previous": previous, "year": year_ago}
    in_spans = Q()
    for span in spans.values():
        in_spans |= Q(detected_at__gte=span.start, detected_at__lt=span.end)
    # Only the three spans are read for the comparison (an index range each), the trend below
    # reads its twelve months once.
    cases = (
        Case.objects.filter(in_spans).annotate(placed=Coalesce(*ANSWER_PLACED_FIELDS)).order_by()
    )
    aggregates = {}
    for prefix, span in spans.items():
        q = Q(detected_at__gte=span.start, detected_at__lt=span.end)
        aggregates.update(_comparison_aggregates(prefix, q, now))
    figures = cases.aggregate(**aggregates)
    rework_in_spans = Q()
    for span in spans.values():
        rework_in_spans |= Q(case__detected_at__gte=span.start, case__detected_at__lt=span.end)
    rework_figures = (
        CaseRework.objects.filter(rework_in_spans)
        .order_by()
        .aggregate(
            **{
                prefix: Count(
                    "pk",
                    filter=Q(case__detected_at__gte=span.start, case__detected_at__lt=span.end),
                )
                for prefix, span in spans.items()
            }
        )
    )

    def share(prefix):
        judged = figures[f"{prefix}_on_time"] + figures[f"{prefix}_late"]
        return round(figures[f"{prefix}_on_time"] * 100 / judged, 1) if judged else None

    def triple(name):
        return [figures[f"{prefix}_{name}"] for prefix in spans]

    report.dynamics = [
        Comparison(_("Сообщений всего"), *triple("total")),
        Comparison(_("Повышенной важности"), *triple("high")),
        Comparison(_("Ответ размещён в срок"), *[share(p) for p in spans], unit="%"),
        Comparison(_("Возвратов на доработку"), *[rework_figures[p] for p in spans]),
        Comparison(_("Повторных сообщений"), *triple("repeats")),
        Comparison(_("Оставлено без ответа"), *triple("no_answer")),
    ]

    answer = next(stage for stage in STAGES if stage.code == "answer")
    base = _stage_filter(answer)
    monthly = (
        Case.objects.filter(detected_at__gte=trend.start, detected_at__lt=trend.end)
        .annotate(placed=Coalesce(*ANSWER_PLACED_FIELDS))
        .annotate(month=TruncMonth("detected_at", tzinfo=period.zone))
        .values("month")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=base & _on_time_q(answer)),
            late=Count("pk", filter=base & _late_q(answer, now)),
        )
        .order_by("month")
    )
    by_month = {}
    for row in monthly:
        month = row["month"]
        month = month.astimezone(period.zone) if timezone.is_aware(month) else month
        by_month[(month.year, month.month)] = row
    for offset in range(12):
        first = add_months(trend_first, offset)
        row = by_month.get((first.year, first.month))
        total = row["total"] if row else 0
        judged = (row["on_time"] + row["late"]) if row else 0
        report.trend.append(
            TrendPoint(
                month_label(first.year, first.month),
                total,
                round(row["on_time"] * 100 / judged, 1) if judged else None,
            )
        )


def _high_importance(report, cases):
    high = cases.filter(kind=CaseKind.HIGH_IMPORTANCE)
    report.high_importance_total = high.count()
    statuses = dict(Case._meta.get_field("status").choices)
    # What was done: the measures named in the latest approved answer (R12).
    measures = (
        Answer.objects.filter(case=OuterRef("pk"), live=True)
        .order_by("-last_published_at", "-pk")
        .annotate(
            done=Coalesce(NullIf("measures_taken", Value("")), "text", output_field=TextField())
        )
        .values("done")[:1]
    )
    for row in (
        high.annotate(measures=Subquery(measures, output_field=TextField()))
        .order_by("detected_at", "pk")
        .values(
            "pk", "detected_at", "text", "status", "placed", "answer_due", "answer_url", "measures"
        )[:LIST_LIMIT]
    ):
        placed, due = row["placed"], row["answer_due"]
        report.high_importance.append(
            HighImportanceItem(
                case_id=row["pk"],
                detected_at=row["detected_at"],
                text=" ".join(row["text"].split())[:300],
                status=str(statuses.get(row["status"], row["status"])),
                answered_at=placed,
                answer_url=row["answer_url"],
                on_time=None if placed is None or due is None else placed <= due,
                measures=" ".join((row["measures"] or "").split())[:500],
            )
        )


def _shortcomings(report, cases, period, now):
    aggregates = {
        f"{stage.code}_late": Count("pk", filter=_stage_filter(stage) & _late_q(stage, now))
        for stage in STAGES[1:]
    }
    open_overdue = Q()
    for stage in STAGES[1:]:
        open_overdue |= _stage_filter(stage) & Q(
            **{f"{stage.done}__isnull": True, f"{stage.due}__lt": now}
        )
    rows = (
        cases.filter(executor__isnull=False)
        .values(
            "unit__short_name", "executor__first_name", "executor__last_name", "executor__username"
        )
        .annotate(overdue_open=Count("pk", filter=open_overdue), **aggregates)
        .order_by("unit__short_name", "executor__last_name", "executor__first_name")
    )
    reworks, late_reworks = Counter(), Counter()
    for username, total, late in (
        CaseRework.objects.filter(
            case__detected_at__gte=period.start, case__detected_at__lt=period.end
        )
        .order_by()
        .values("case__executor__username")
        .annotate(
            total=Count("pk"),
            late=Count("pk", filter=Q(due__isnull=False) & _late_q(REWORK_STAGE, now)),
        )
        .values_list("case__executor__username", "total", "late")
    ):
        reworks[username], late_reworks[username] = total, late
    for row in rows:
        username = row["executor__username"]
        late_stages = (
            sum(row[f"{stage.code}_late"] for stage in STAGES[1:]) + late_reworks[username]
        )
        if not late_stages and not row["overdue_open"] and not reworks[username]:
            continue
        report.shortcomings.append(
            Shortcoming(
                unit=row["unit__short_name"] or "",
                executor=_person(row["executor__first_name"], row["executor__last_name"], username),
                late_stages=late_stages,
                overdue_open=row["overdue_open"],
                reworks=reworks[username],
            )
        )
    report.shortcomings.sort(key=lambda s: (-s.late_stages, -s.reworks, s.unit, s.executor))
