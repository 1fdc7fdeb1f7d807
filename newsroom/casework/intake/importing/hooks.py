"""Admin hooks of this part of the newsroom (imported by newsroom.wagtail_hooks)."""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsroom.casework.intake.importing.views import PERMISSION


class CaseImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_case_import_menu_item():
    return CaseImportMenuItem(
        "Импорт сообщений",
        reverse("newsroom_case_import"),
        name="newsroom-case-import",
        icon_name="upload",
        order=310,
    )
