"""Admin hooks of urgent publication (imported by newsroom.wagtail_hooks)."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from newsroom.models import UrgentPublication

from . import services, views

ACTION = "action-urgent-publish"


class UrgentPublishMenuItem(ActionMenuItem):
    """In the page editor's publish menu of an editor, who has no «Опубликовать»: saves the
    draft, then asks for the reason."""

    name = ACTION
    label = _("Срочная публикация…")
    icon_name = "warning"

    def is_shown(self, context):
        user = context["request"].user
        if context["view"] == "create":
            parent = context["parent_page"]
            permissions = parent.permissions_for_user(user)
            return (
                user.has_perm("newsroom.add_urgentpublication")
                and permissions.can_add_subpage()
                and not permissions.can_publish_subpage()
            )
        if context["view"] != "edit" or context["locked_for_user"]:
            return False
        return services.may_publish_urgently(user, context["page"])


@hooks.register("register_page_action_menu_item")
def urgent_publish_menu_item():
    return UrgentPublishMenuItem(order=15)


def _to_urgent_form(request, page):
    if request.method == "POST" and request.POST.get(ACTION):
        return redirect("newsroom_urgent_publish", page.pk)
    return None


hooks.register("after_create_page", _to_urgent_form)
hooks.register("after_edit_page", _to_urgent_form)


@hooks.register("register_admin_urls")
def urgent_urls():
    return [
        path(
            "pages/<int:page_id>/urgent/",
            views.UrgentPublicationView.as_view(),
            name="newsroom_urgent_publish",
        ),
        path("urgent/<int:pk>/sign-off/", views.sign_off, name="newsroom_urgent_sign_off"),
        path(
            "reports/urgent/",
            views.UrgentPublicationReport.as_view(),
            name="newsroom_urgent_report",
        ),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("newsroom.view_urgentpublication")


@hooks.register("register_reports_menu_item")
def urgent_report_menu_item():
    return ReportMenuItem(
        _("Опубликовано без утверждения"),
        reverse("newsroom_urgent_report"),
        name="urgent-publications",
        icon_name="warning",
        order=800,
    )


@hooks.register("register_log_actions")
def urgent_log_actions(actions):
    actions.register_action(
        services.PUBLISH_ACTION, _("Срочная публикация"), _("Срочно опубликовано без утверждения")
    )
    actions.register_action(
        services.SIGN_OFF_ACTION,
        _("Срочная публикация утверждена"),
        _("Утверждено заведующим отделом после публикации"),
    )


class AwaitingSignOffPanel(Component):
    """The head's queue of urgent publications to sign off after the fact."""

    name = "urgent_publications"
    order = 40
    template_name = "newsroom/urgent/dashboard_panel.html"

    def __init__(self, records):
        self.records = records

    def get_context_data(self, parent_context):
        return {
            "records": self.records,
            "report_url": reverse("newsroom_urgent_report"),
            # The sign-off buttons are forms: the panel renders in its own context.
            "csrf_token": parent_context.get("csrf_token"),
        }


@hooks.register("construct_homepage_panels")
def awaiting_sign_off_panel(request, panels):
    if not services.may_sign_off(request.user):
        return
    records = list(
        UrgentPublication.objects.awaiting_sign_off().select_related("published_by")[:20]
    )
    if records:
        panels.append(AwaitingSignOffPanel(records))
