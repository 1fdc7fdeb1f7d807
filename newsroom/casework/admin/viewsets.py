"""The case screens as Wagtail viewsets: their URLs, the «Обращения» menu and the breadcrumbs.

``cases`` holds every case (the list, the case page, its actions, manual entry); ``my_cases`` is
the executor's own list. Both sit in one submenu, each item shown to those it is for, with the
count of overdue cases on it.
"""

from django.core.cache import cache
from django.urls import path, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from newsroom import roles as groups
from newsroom.casework.access import sees_all_cases
from newsroom.models import Case
from newsroom.roles import group_names

from .actions import CaseActionView, CaseCreateView
from .components import overdue_count
from .detail import CaseDetailView
from .listing import CaseIndexView, MyCasesView

OVERDUE_BADGE_SECONDS = 60
SUBMENU_HOOK = "register_cases_menu_item"


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


class CaseListViewSet(ViewSet):
    """A list of cases as a menu item with its overdue badge."""

    icon = "mail"
    index_view_class = None
    shown_to = None

    def overdue_in(self, user):
        raise NotImplementedError

    @cached_property
    def breadcrumbs_items(self):
        """Home › the list: where the views of this viewset hang."""
        index = {"url": reverse_lazy(self.get_url_name("index")), "label": self.menu_label}
        return [*WagtailAdminTemplateMixin.breadcrumbs_items, index]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(header_icon=self.icon, **kwargs)

    def get_urlpatterns(self):
        index = self.index_view_class
        return [
            path("", self.construct_view(index), name="index"),
            path("results/", self.construct_view(index, results_only=True), name="index_results"),
        ]

    def get_menu_item(self, order=None):
        return CasesMenuItem(
            self.menu_label,
            reverse_lazy(self.get_url_name("index")),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            shown_to=type(self).shown_to,
            overdue_in=self.overdue_in,
        )


class CaseViewSet(CaseListViewSet):
    """Every case: «Все обращения», the case page and its actions, «Новое сообщение»."""

    name = "cases"
    menu_label = _("Все обращения")
    menu_name = "all-cases"
    menu_icon = "list-ul"
    menu_order = 200
    index_view_class = CaseIndexView
    shown_to = staticmethod(sees_all_cases)

    def overdue_in(self, user):
        return Case.objects.visible_to(user)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "new/",
                self.construct_view(CaseCreateView, breadcrumbs_items=self.breadcrumbs_items),
                name="add",
            ),
            path("<int:pk>/", self.construct_view(CaseDetailView), name="detail"),
            path(
                "<int:pk>/action/<slug:action>/",
                self.construct_view(CaseActionView),
                name="action",
            ),
        ]


class MyCaseViewSet(CaseListViewSet):
    """«Мои обращения»: the cases the executor answers."""

    name = "my_cases"
    url_prefix = "cases/mine"
    menu_label = _("Мои обращения")
    menu_name = "my-cases"
    menu_icon = "user"
    menu_order = 100
    index_view_class = MyCasesView
    shown_to = staticmethod(is_executor)

    def overdue_in(self, user):
        return Case.objects.filter(executor=user)


class CaseViewSetGroup(ViewSetGroup):
    menu_label = _("Обращения")
    menu_name = "cases"
    menu_icon = "mail"
    menu_order = 150
    items = (MyCaseViewSet, CaseViewSet)
    submenu_hook = SUBMENU_HOOK


def new_case_menu_item():
    return CasesMenuItem(
        _("Новое сообщение"),
        reverse_lazy("cases:add"),
        name="new-case",
        icon_name="plus",
        order=300,
        shown_to=may_add_case,
    )


case_viewsets = CaseViewSetGroup()
#: The «Обращения» submenu, as every request sees it filtered by ``is_shown``.
cases_menu = case_viewsets.get_menu_item().menu
