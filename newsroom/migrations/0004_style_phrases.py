"""Seeds the style-check dictionary with the default phrase list; editors extend it in the admin."""

from django.db import migrations


def seed_phrases(apps, schema_editor):
    from newsroom.stylecheck.phrases import PHRASES

    StylePhrase = apps.get_model("newsroom", "StylePhrase")
    existing = set(StylePhrase.objects.values_list("phrase", flat=True))
    StylePhrase.objects.bulk_create(
        StylePhrase(phrase=phrase, suggestion=suggestion, comment=comment[:255])
        for phrase, suggestion, comment in PHRASES
        if phrase not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_departments")]

    operations = [migrations.RunPython(seed_phrases, migrations.RunPython.noop)]
