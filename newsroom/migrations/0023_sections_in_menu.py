"""The main menu is now read from the page tree (pages with «Показывать в меню» ticked): the
sections that stood in the fixed menu get the tick, so the menu stays as it was."""

from django.db import migrations

from newsroom.migration_helpers import tick_show_in_menus


def show_sections_in_menus(apps, schema_editor):
    tick_show_in_menus(
        apps, "newsroom", ("NewsIndexPage", "EventIndexPage", "HeadSectionPage", "AppealsPage")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0022_sign_off_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_sections_in_menus, migrations.RunPython.noop)]
