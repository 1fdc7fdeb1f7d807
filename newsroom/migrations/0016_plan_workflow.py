"""The workflow «Утверждение плана мероприятий»: the press office drafts the month's plan, the head
of the office approves it (seed 000 p.3.14). Editors may write plans but not publish them, so a
plan is approved only through the workflow; the head and administrators may also publish.

Group names are written out, so that this migration keeps doing what it did when the code changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    # Wagtail adds «publish» and «lock» permissions of snippets after migrations; needed now.
    plan_type, _ = ContentType.objects.get_or_create(app_label="newsroom", model="monthlyplan")
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=plan_type,
            codename=f"{action}_monthlyplan",
            defaults={"name": f"Can {action} план мероприятий на месяц"},
        )

    def perm(codename):
        return Permission.objects.get(content_type__app_label="newsroom", codename=codename)

    groups = {
        group.name: group
        for group in Group.objects.filter(
            name__in=("Редакторы", "Заведующий отделом", "Администраторы")
        )
    }
    if len(groups) < 3:
        return
    write = [
        perm("add_monthlyplan"),
        perm("change_monthlyplan"),
        perm("view_monthlyplan"),
        perm("lock_monthlyplan"),
        perm("unlock_monthlyplan"),
    ]
    groups["Редакторы"].permissions.add(*write)
    groups["Заведующий отделом"].permissions.add(*write, perm("publish_monthlyplan"))
    groups["Администраторы"].permissions.add(
        *write, perm("publish_monthlyplan"), perm("delete_monthlyplan")
    )

    task_type = ContentType.objects.get(app_label="wagtailcore", model="groupapprovaltask")
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="Утверждение плана заведующим отделом",
        defaults={"content_type": task_type, "active": True},
    )
    task.groups.set([groups["Заведующий отделом"]])
    workflow, _ = Workflow.objects.get_or_create(
        name="Утверждение плана мероприятий", defaults={"active": True}
    )
    WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=plan_type, defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0015_monthly_plan"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
