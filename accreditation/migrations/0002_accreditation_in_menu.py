"""The main menu is now read from the page tree: the accreditation page, which stood in the
fixed menu, gets «Показывать в меню» (see newsroom's migration 0023)."""

from django.db import migrations

from newsroom.migration_helpers import tick_show_in_menus


def show_accreditation_in_menus(apps, schema_editor):
    tick_show_in_menus(apps, "accreditation", ("AccreditationPage",))


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_accreditation_in_menus, migrations.RunPython.noop)]
