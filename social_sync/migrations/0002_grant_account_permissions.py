"""Editors and administrators manage the official accounts in social networks; nobody else.

The group names are written out here rather than imported, so that this migration keeps doing
what it did when the code around it changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Редакторы", "Администраторы")
CODENAMES = ("add_socialaccount", "change_socialaccount", "delete_socialaccount", "view_socialaccount")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this migration needs them now.
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
    dependencies = [
        ("social_sync", "0001_initial"),
        ("newsroom", "0002_roles_and_publication_workflow"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
