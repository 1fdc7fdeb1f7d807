"""The monthly plan of events: collected from the calendar, exported in the usual table form."""

from __future__ import annotations

import io
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from newsroom import spreadsheets
from newsroom.models import EventPage, MonthlyPlan, PlanItem
from newsroom.reports.period import Period, add_months
from newsroom.spreadsheets import append_row

HEADER = [
    "№",
    "Дата и время",
    "Мероприятие",
    "Место проведения",
    "Ответственный",
    "Участие руководства",
]


def next_month(now: datetime, zone):
    return add_months(now.astimezone(zone).date(), 1)


def events_of(month, zone):
    """The calendar's events of the month that go into the plan, drafts included, by start."""
    period = Period.month(month.year, month.month, zone)
    return (
        EventPage.objects.filter(in_plan=True, start__gte=period.start, start__lt=period.end)
        .select_related("department")
        .order_by("start", "pk")
    )


def item_from(event) -> PlanItem:
    responsible = ", ".join(
        part
        for part in (
            event.responsible_official,
            event.department.short_name if event.department else "",
        )
        if part
    )
    return PlanItem(
        event_id=event.pk,
        start=event.start,
        end=event.end,
        title=event.title[:255],
        place=event.place,
        responsible=responsible[:255],
        leadership=event.leadership,
        media_invited=event.media_invited,
    )


@transaction.atomic
def collect(site, month, user, zone) -> tuple[MonthlyPlan, bool, int]:
    """The plan of ``month`` with every planned event of the calendar in it.

    A new plan is created as a draft; an existing one gets the events it does not have yet as a
    new revision — the press office's edits to the rows already there are kept. Returns the plan,
    whether it was created, and how many events were added.
    """
    month = month.replace(day=1)
    plan = MonthlyPlan.objects.select_for_update().filter(site=site, month=month).first()
    created = plan is None
    if created:
        plan = MonthlyPlan(site=site, month=month, live=False)
        plan.save()
        draft = plan
    else:
        draft = plan.get_latest_revision_as_object()
    known = {item.event_id for item in draft.items.all() if item.event_id}
    added = [item_from(event) for event in events_of(month, zone) if event.pk not in known]
    if added:
        rows = sorted([*draft.items.all(), *added], key=lambda item: item.start)
        draft.items = rows
    if created or added:
        draft.save_revision(user=user, log_action=True)
    plan.refresh_from_db()
    return plan, created, len(added)


def plan_for_export(plan: MonthlyPlan):
    """The approved plan when there is one and nothing newer is waiting; else the latest draft."""
    is_draft = not plan.live or plan.has_unpublished_changes
    content = plan.get_latest_revision_as_object() if is_draft else plan
    return content, is_draft


def rows_of(content, zone):
    rows = []
    for number, item in enumerate(sorted(content.items.all(), key=lambda i: i.start), start=1):
        start = timezone.localtime(item.start, zone)
        when = f"{start:%d.%m.%Y %H:%M}"
        if item.end:
            end = timezone.localtime(item.end, zone)
            when += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end:%d.%m.%Y %H:%M}"
        title = item.title + (" (приглашаются СМИ)" if item.media_invited else "")
        rows.append([number, when, title, item.place, item.responsible, item.leadership])
    return rows


def title_of(plan) -> str:
    return f"План организационных и массовых мероприятий на {plan.month_label}"


def file_name(plan, extension) -> str:
    return f"plan-meropriyatij-{plan.month:%Y-%m}.{extension}"


def approval_of(plan):
    """(who, when) of the approval of the live plan, or None."""
    from wagtail.models import TaskState, WorkflowState

    if not plan.live:
        return None
    state = (
        WorkflowState.objects.for_instance(plan)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .order_by("-created_at")
        .first()
    )
    if state is None:
        return None
    task_state = (
        state.task_states.filter(status=TaskState.STATUS_APPROVED).order_by("-finished_at").first()
    )
    if task_state is None:
        return None
    who = task_state.finished_by
    name = (who.get_full_name() or who.get_username()) if who else ""
    return name, task_state.finished_at


def docx_bytes(plan, head, zone) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    content, is_draft = plan_for_export(plan)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    document.core_properties.title = title_of(plan)
    approval = approval_of(plan) if not is_draft else None
    stamp = document.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if approval:
        who, when = approval
        stamp.add_run(f"УТВЕРЖДЁН\n{who}\n{timezone.localtime(when, zone):%d.%m.%Y}")
    else:
        stamp.add_run("ПРОЕКТ").bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(head.organisation.upper()).bold = True
    title = document.add_heading(title_of(plan), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = rows_of(content, zone)
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    if not rows:
        document.add_paragraph("Мероприятий в плане нет.")
    if content.note:
        document.add_paragraph(content.note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(plan, head, zone) -> bytes:
    from openpyxl.styles import Alignment, Font

    content, is_draft = plan_for_export(plan)
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = f"План {plan.month:%m.%Y}"
    append_row(sheet, [head.organisation])
    append_row(sheet, [title_of(plan) + (" (проект)" if is_draft else "")])
    for cell in append_row(sheet, HEADER):
        cell.font = Font(bold=True)
    for row in rows_of(content, zone):
        append_row(sheet, row)
    for column, width in zip("ABCDEF", (5, 22, 50, 30, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    return spreadsheets.workbook_bytes(workbook)
