"""The regulation profile of questions left unanswered on a live broadcast: an answer within two
weeks (the term regional offices use; editable like any profile), routed within a working day.
The organisation's settings point at it. The press office works with the questions.

Group names are written out, so that this migration keeps doing what it did when the code changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NAME = "Вопросы к прямому эфиру (две недели)"


def seed(apps, schema_editor):
    RegulationProfile = apps.get_model("newsroom", "RegulationProfile")
    OrganisationSettings = apps.get_model("newsroom", "OrganisationSettings")
    profile, _ = RegulationProfile.objects.get_or_create(
        name=NAME,
        defaults={
            "source": "Вопросы граждан к прямым эфирам с Главой, заместителями и руководителями "
            "подразделений (устав, п. 2.4, 3.4): ответ в течение двух недель после эфира.",
            "scope": "messages",
            "clock_start": "detected",
            "routing_amount": 1,
            "routing_unit": "working_days",
            "answer_amount": 14,
            "answer_unit": "calendar_days",
            "off_day_shift": "preceding",
            "handles_repeated": True,
        },
    )
    OrganisationSettings.objects.filter(broadcast_profile=None).update(broadcast_profile=profile)

    # The press office reads, groups, picks and answers the questions; nobody adds them by hand.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="newsroom",
        codename__in=("view_broadcastquestion", "change_broadcastquestion"),
    )
    for group in Group.objects.filter(name__in=("Редакторы", "Заведующий отделом")):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0017_broadcast_questions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
