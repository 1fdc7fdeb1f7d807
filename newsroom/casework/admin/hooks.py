"""Admin hooks of the case screens (imported by newsroom.wagtail_hooks): the viewsets with the
«Обращения» menu, the dashboard panel and the stylesheet of the case screens."""

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks

from .components import CasesPanel, works_with_cases
from .viewsets import SUBMENU_HOOK, case_viewsets, new_case_menu_item


@hooks.register("register_admin_viewset")
def register_case_viewsets():
    return case_viewsets


hooks.register(SUBMENU_HOOK, new_case_menu_item)


@hooks.register("construct_homepage_panels")
def add_cases_panel(request, panels):
    if works_with_cases(request.user):
        panels.append(CasesPanel(request.user))


@hooks.register("insert_global_admin_css")
def inbox_css():
    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/css/inbox.css"))
