"""Administrators may do everything, including what later migrations added (cases, answers)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_all(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators = Group.objects.filter(name="Администраторы").first()
    if administrators is not None:
        administrators.permissions.add(*Permission.objects.all())


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0007_department_competence_head_email")]

    operations = [migrations.RunPython(grant_all, migrations.RunPython.noop)]
