"""Fills the monthly analysis' fields for the cases registered before it existed: the moment and
working minutes of each stage (from the case's log), the returns for rework with their comments,
and the place named in the text. Grants the report to those who read it.

Working minutes are counted on the organisation's schedule and the Russian production calendar
(without local exceptions, which only the running system reads). Group names are written out, so
that this migration keeps doing what it did when the code changes.
"""

import datetime
import zoneinfo

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Редакторы", "Заведующий отделом", "Кураторы", "Администраторы")


def _clock(apps):
    from newsroom.clock import schedule_from
    from newsroom.worktime import ProductionCalendar, WorkingTime

    Settings = apps.get_model("newsroom", "OrganisationSettings")
    settings = Settings.objects.order_by("pk").first()
    if settings is None:
        settings = Settings(
            time_zone="Europe/Moscow",
            workday_start=datetime.time(9),
            workday_end=datetime.time(18),
            break_start=datetime.time(13),
            break_end=datetime.time(14),
            shortened_by_minutes=60,
        )
    try:
        zone = zoneinfo.ZoneInfo(settings.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Europe/Moscow")
    return WorkingTime(schedule_from(settings), ProductionCalendar(), zone)


def backfill(apps, schema_editor):
    from newsroom.casework.rules.places import place_of

    Case = apps.get_model("newsroom", "Case")
    CaseEvent = apps.get_model("newsroom", "CaseEvent")
    CaseRework = apps.get_model("newsroom", "CaseRework")
    if not Case.objects.exists():
        return
    clock = _clock(apps)

    def minutes(start, end):
        if start is None or end is None or end <= start:
            return 0
        return int(clock.between(start, end).total_seconds() // 60)

    events = {}
    for event in CaseEvent.objects.filter(
        action__in=[
            "route",
            "submit_draft",
            "resubmit_to_curator",
            "press_approve",
            "press_return",
            "curator_return",
            "post_answer",
        ]
    ).order_by("case_id", "created_at", "pk"):
        events.setdefault(event.case_id, []).append(event)

    for case in Case.objects.iterator(chunk_size=500):
        case.place = place_of(case.text)
        reworks = []
        for event in events.get(case.pk, []):
            at = event.created_at
            if event.action == "route" and case.routed_at is None:
                case.routed_at = at
                case.routing_minutes = minutes(case.clock_started_at, at)
            elif event.action == "submit_draft" and case.draft_submitted_at is None:
                case.draft_submitted_at = at
                case.draft_minutes = minutes(case.routed_at or case.clock_started_at, at)
            elif event.action == "press_approve" and case.forwarded_at is None:
                case.forwarded_at = at
                case.forward_minutes = minutes(case.draft_submitted_at, at)
            if event.action in {"press_return", "curator_return"}:
                reworks.append(
                    CaseRework(
                        case=case,
                        stage="press" if event.action == "press_return" else "curator",
                        returned_by_id=event.actor_id,
                        returned_at=at,
                        comment=event.comment,
                        missing=[],
                        due=None,
                    )
                )
            elif event.action in {"submit_draft", "resubmit_to_curator"} and reworks:
                last = reworks[-1]
                if last.done_at is None:
                    last.done_at = at
                    last.minutes = minutes(last.returned_at, at)
        if case.interim_answered_at:
            case.answer_minutes = minutes(case.clock_started_at, case.interim_answered_at)
            if case.answered_at:
                case.final_minutes = minutes(case.interim_answered_at, case.answered_at)
        elif case.answered_at:
            case.answer_minutes = minutes(case.clock_started_at, case.answered_at)
        case.save(
            update_fields=[
                "place",
                "routed_at",
                "routing_minutes",
                "draft_submitted_at",
                "draft_minutes",
                "forwarded_at",
                "forward_minutes",
                "answer_minutes",
                "final_minutes",
            ]
        )
        if reworks:
            # The latest return's due is the case's own rework deadline.
            reworks[-1].due = case.rework_due
            CaseRework.objects.bulk_create(reworks)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="newsroom", codename="view_monthly_report"
    ).first()
    if permission is None:
        return
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0013_monthly_analysis")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
