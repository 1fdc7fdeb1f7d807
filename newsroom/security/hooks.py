"""Admin hooks of the security screens (imported by newsroom.wagtail_hooks)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .page_access import restrict_page_chooser

hooks.register("construct_page_chooser_queryset", restrict_page_chooser)


@hooks.register("register_admin_urls")
def security_urls():
    return [
        path("security/lockouts/", views.LockoutListView.as_view(), name="newsroom_lockouts"),
        path("security/lockouts/<int:pk>/unlock/", views.unlock, name="newsroom_unlock"),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_unlock(request.user)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return LockoutsMenuItem(
        _("Блокировки входа"), reverse("newsroom_lockouts"), icon_name="lock", order=900
    )
