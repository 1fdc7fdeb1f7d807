"""Editors and the head of the press office moderate comments under the official accounts' posts
(seed 003 app. 2 p.9: the account holders do it); the moderation log is theirs to read.

Group names are written out, so that this migration keeps doing what it did when the code changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Редакторы", "Заведующий отделом", "Администраторы")
CODENAMES = ("moderate_comment", "view_comment")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="social_sync", codename__in=CODENAMES)
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("social_sync", "0006_comments")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
