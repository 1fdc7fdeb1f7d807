"""Comments taken in as messages whose case has since been answered or left without an answer
stayed «в работе»: they are done (from now on ``moderation.case_closed`` does it as it happens)."""

from django.db import migrations

CLOSED = ("answered", "closed_no_answer")


def close(apps, schema_editor):
    Comment = apps.get_model("social_sync", "Comment")
    Comment.objects.filter(case__status__in=CLOSED).exclude(status="done").update(status="done")


class Migration(migrations.Migration):
    dependencies = [
        ("social_sync", "0012_bot_channels"),
        ("newsroom", "0023_sections_in_menu"),
    ]

    operations = [migrations.RunPython(close, migrations.RunPython.noop)]
