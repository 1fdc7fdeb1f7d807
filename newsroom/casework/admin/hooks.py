"""Admin hooks of this part of the newsroom (imported by newsroom.wagtail_hooks): the menu
«Обращения», the dashboard panel and the stylesheet of the case screens."""

from django.core.cache import cache
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from newsroom import roles as groups
from newsroom.casework.access import group_names, sees_all_cases
from newsroom.models import Case

from .components import CasesPanel, overdue_count, works_with_cases

OVERDUE_BADGE_SECONDS = 60


class CasesMenuItem(MenuItem):
    """A link shown to those it is for; the case lists show how many cases are overdue."""

    def __init__(self, label, url, *, shown_to, overdue_in=None, **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to
        self.overdue_in = overdue_in

    def is_shown(self, request):
        return self.shown_to(request.user)

    def render_component(self, request):
        label = self.label
        if self.overdue_in is not None:
            # A badge on every admin page: counted at most once a minute per list and person.
            key = f"newsroom:overdue-badge:{self.name}:{request.user.pk}"
            overdue = cache.get(key)
            if overdue is None:
                overdue = overdue_count(self.overdue_in(request.user))
                cache.set(key, overdue, OVERDUE_BADGE_SECONDS)
            if overdue:
                label = _("%(label)s — просрочено: %(n)s") % {"label": label, "n": overdue}
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def is_executor(user):
    return groups.EXECUTORS in group_names(user)


def may_add_case(user):
    return user.has_perm("newsroom.add_case")


cases_menu = Menu(
    items=[
        CasesMenuItem(
            _("Мои обращения"),
            reverse_lazy("newsroom_my_cases"),
            name="my-cases",
            icon_name="user",
            order=100,
            shown_to=is_executor,
            overdue_in=lambda user: Case.objects.filter(executor=user),
        ),
        CasesMenuItem(
            _("Все обращения"),
            reverse_lazy("newsroom_cases"),
            name="all-cases",
            icon_name="list-ul",
            order=200,
            shown_to=sees_all_cases,
            overdue_in=Case.objects.visible_to,
        ),
        CasesMenuItem(
            _("Новое сообщение"),
            reverse_lazy("newsroom_case_create"),
            name="new-case",
            icon_name="plus",
            order=300,
            shown_to=may_add_case,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_cases_menu():
    return SubmenuMenuItem(_("Обращения"), cases_menu, name="cases", icon_name="mail", order=150)


@hooks.register("construct_homepage_panels")
def add_cases_panel(request, panels):
    if works_with_cases(request.user):
        panels.append(CasesPanel(request.user))


@hooks.register("insert_global_admin_css")
def inbox_css():
    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/css/inbox.css"))
