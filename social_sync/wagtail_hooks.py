from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from newsroom.casework.signals import CASE_ACTIONS_HOOK, CASE_CONTEXT_HOOK, CASE_NOTES_HOOK
from social_sync.models import OutboxItem, OutboxState, SocialAccount
from social_sync.permissions import can_manage_social
from social_sync.viewsets import (
    ReportReaderMenuItem,
    SocialAccountPermissionPolicy,
    SocialViewSetGroup,
)

register_permission_policy(SocialAccount, SocialAccountPermissionPolicy(SocialAccount))
register_snippet(SocialViewSetGroup)

PROBLEM_ACCOUNTS_SHOWN = 10


@hooks.register("register_admin_urls")
def register_social_admin_urls():
    return [path("social/", include("social_sync.urls"))]


@hooks.register("register_reports_menu_item")
def register_norms_report_menu_item():
    return ReportReaderMenuItem(
        _("Нормы публикаций в соцсетях"),
        reverse("social_sync:norms_report"),
        name="social-norms-report",
        icon_name="table",
        order=900,
    )


class SocialProblemsPanel(Component):
    """On the dashboard of editors and administrators: failed deliveries and accounts that lost
    their access. Not shown when all is well."""

    name = "social_sync_problems"
    order = 40
    template_name = "social_sync/dashboard_panel.html"

    def __init__(self, failed, accounts, accounts_count):
        self.failed = failed
        self.accounts = accounts
        self.accounts_count = accounts_count

    def get_context_data(self, parent_context):
        return {
            "failed": self.failed,
            "failed_url": reverse("social_sync:outbox") + "?state=failed",
            "accounts": [
                {
                    "account": account,
                    "url": reverse(
                        SocialAccount.snippet_viewset.get_url_name("edit"), args=[account.pk]
                    ),
                }
                for account in self.accounts
            ],
            "accounts_count": self.accounts_count,
        }


def social_problems_panel(user):
    if not can_manage_social(user):
        return None
    failed = OutboxItem.objects.filter(state=OutboxState.FAILED).count()
    with_problems = SocialAccount.objects.exclude(credentials_problem="").order_by("name")
    accounts = list(with_problems[:PROBLEM_ACCOUNTS_SHOWN])
    count = len(accounts)
    if count == PROBLEM_ACCOUNTS_SHOWN:
        count = with_problems.count()
    if not failed and not accounts:
        return None
    return SocialProblemsPanel(failed, accounts, count)


@hooks.register("construct_homepage_panels")
def add_social_problems_panel(request, panels):
    panel = social_problems_panel(request.user)
    if panel is not None:
        panels.append(panel)


class CommentsPanel(Component):
    """On the dashboard of moderators: new comments per account, and how many rules flagged."""

    name = "social_sync_comments"
    order = 45
    template_name = "social_sync/comments/dashboard_panel.html"

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {
            "rows": self.rows,
            "inbox_url": reverse("social_sync:comments") + "?status=new",
            "total": sum(row["new"] for row in self.rows),
            "flagged": sum(row["flagged"] for row in self.rows),
        }


@hooks.register("construct_homepage_panels")
def add_comments_panel(request, panels):
    from social_sync.inbox import can_moderate, dashboard_counts

    if can_moderate(request.user):
        panels.append(CommentsPanel(dashboard_counts()))


@hooks.register("insert_global_admin_css")
def social_css():
    return format_html('<link rel="stylesheet" href="{}">', static("social_sync/css/admin.css"))


@hooks.register(CASE_NOTES_HOOK)
def reply_notes(case):
    from social_sync.services.replies import case_notes

    return case_notes(case)


@hooks.register(CASE_ACTIONS_HOOK)
def reply_account_form(request, case):
    from social_sync.case_reply import actions_html

    return actions_html(request, case)


@hooks.register(CASE_CONTEXT_HOOK)
def comment_thread(case):
    """In the answer editor: the post and the thread of the comment the case came from."""
    from django.template.loader import render_to_string

    from social_sync.inbox import thread_of_case

    found = thread_of_case(case)
    if found is None:
        return []
    return [render_to_string("social_sync/comments/case_thread.html", found)]
