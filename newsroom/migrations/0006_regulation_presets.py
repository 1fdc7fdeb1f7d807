"""Regulation presets from the seeds, the official shortened days, and the answer workflow."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

CM, CH, CD = "calendar_minutes", "calendar_hours", "calendar_days"
WH, WD = "working_hours", "working_days"

PRESETS = [
    {
        "name": "Ключевский район (2021)",
        "source": "Постановление администрации Ключевского района Алтайского края от 25.01.2021 № 36: п. 5 (распределение по компетенции), п. 6 (9 рабочих часов с момента выявления), п. 7 (проект за 4 часа до срока), п. 8 (доработка в течение 1 часа), п. 9 (окончательный ответ — 7 рабочих дней после промежуточного), п. 10 (повторные сообщения), п. 12 (без ответа).",
        "clock_start": "detected",
        "answer": (9, WH), "draft_lead": (4, WH), "rework": (1, WH), "final_after_interim": (7, WD),
        "handles_repeated": True, "allows_no_answer": True,
    },
    {
        "name": "Мясниковский район (2019)",
        "source": "Регламент Мясниковского района (2019): п. 7 (направить ответственному в течение 30 минут), п. 8 (ответ в течение 24 часов с момента получения от куратора), п. 10 (проект за 4 часа до срока, передача куратору — 30 минут, доработка — 30 минут), п. 11 (повторные публикации), п. 13 (доклад Главе), п. 6 (не менее 2 публикаций в неделю).",
        "clock_start": "received",
        "routing": (30, CM), "answer": (24, CH), "draft_lead": (4, CH), "forward": (30, CM), "rework": (30, CM),
        "handles_repeated": True, "reports_high_importance_to_head": True, "posts_per_week": 2,
    },
    {
        "name": "Джумайловское с.п. (2020)",
        "source": "Регламент Джумайловского сельского поселения (2020): п. 6 (8 рабочих часов с момента выявления), п. 7 (инцидент повышенной важности — 4 рабочих часа), п. 8–9 (окончательный ответ — 7 рабочих дней после промежуточного), п. 11 (без ответа), п. 13–14 (доклад Главе), прил. 2 п. 4 (не менее 5 публикаций в неделю).",
        "clock_start": "detected",
        "answer": (8, WH), "high_importance_answer": (4, WH), "final_after_interim": (7, WD),
        "allows_no_answer": True, "reports_high_importance_to_head": True, "posts_per_week": 5,
    },
    {
        "name": "ПОС: обращение по 59-ФЗ",
        "source": "Федеральный закон от 02.05.2006 № 59-ФЗ, ст. 12: 30 дней со дня регистрации, продление не более чем на 30 дней с уведомлением автора.",
        "scope": "appeals",
        "clock_start": "received",
        "answer": (30, CD), "extension": (30, CD),
    },
]
TERMS = ("routing", "answer", "high_importance_answer", "draft_lead", "forward", "rework", "final_after_interim", "extension")
SHORTENED_2026 = [datetime.date(2026, 4, 30), datetime.date(2026, 5, 8), datetime.date(2026, 6, 11), datetime.date(2026, 11, 3)]


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    RegulationProfile = apps.get_model("newsroom", "RegulationProfile")
    CalendarOverride = apps.get_model("newsroom", "CalendarOverride")
    OrganisationSettings = apps.get_model("newsroom", "OrganisationSettings")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    profiles = {}
    for preset in PRESETS:
        fields = {k: v for k, v in preset.items() if k not in TERMS and k != "name"}
        for term in TERMS:
            amount, unit = preset.get(term, (None, ""))
            fields[f"{term}_amount"], fields[f"{term}_unit"] = amount, unit
        profiles[preset["name"]], _ = RegulationProfile.objects.update_or_create(name=preset["name"], defaults=fields)
    OrganisationSettings.objects.filter(message_profile=None).update(message_profile=profiles["Ключевский район (2021)"])
    OrganisationSettings.objects.filter(appeal_profile=None).update(appeal_profile=profiles["ПОС: обращение по 59-ФЗ"])

    for day in SHORTENED_2026:
        CalendarOverride.objects.get_or_create(date=day, defaults={"kind": "shortened", "note": "Предпраздничный день, производственный календарь 2026"})

    # Wagtail adds «publish» and «lock» permissions of snippets after migrations; needed now.
    answer_type, _ = ContentType.objects.get_or_create(app_label="newsroom", model="answer")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=answer_type, codename=f"{action}_answer", defaults={"name": f"Can {action} ответ на сообщение"}
        )

    def perm(codename):
        return Permission.objects.get(content_type__app_label="newsroom", codename=codename)

    editors, head, curators, executors = (
        Group.objects.get(name=name) for name in ("Редакторы", "Заведующий отделом", "Кураторы", "Исполнители")
    )
    executors.permissions.add(perm("add_answer"), perm("change_answer"), perm("view_case"))
    curators.permissions.add(perm("change_answer"), perm("publish_answer"), perm("view_case"), perm("add_case"), perm("change_case"), perm("add_regulationprofile"), perm("change_regulationprofile"), perm("add_calendaroverride"), perm("change_calendaroverride"), perm("delete_calendaroverride"))
    for group in (editors, head):
        group.permissions.add(perm("change_answer"), perm("publish_answer"), perm("view_case"), perm("add_case"), perm("change_case"))

    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    press, _ = GroupApprovalTask.objects.get_or_create(name="Проверка пресс-службой", defaults={"content_type": task_type, "active": True})
    press.groups.set([editors, head])
    curator, _ = GroupApprovalTask.objects.get_or_create(name="Согласование куратором", defaults={"content_type": task_type, "active": True})
    curator.groups.set([curators])
    workflow, _ = Workflow.objects.get_or_create(name="Согласование ответа", defaults={"active": True})
    WorkflowTask.objects.update_or_create(workflow=workflow, task=press, defaults={"sort_order": 0})
    WorkflowTask.objects.update_or_create(workflow=workflow, task=curator, defaults={"sort_order": 1})
    WorkflowContentType.objects.update_or_create(content_type=answer_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0005_casework")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
