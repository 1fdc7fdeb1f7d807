"""Which pages' titles a user may see in the admin, and the checks Wagtail leaves to us.

Wagtail checks permissions on what a user *does* with a page, but a few of its screens name
pages before any check: the page chooser's search, the move confirmation, the workflow action
and preview redirects (their error message carries the title), the list of pages chosen by id,
the page-type usage listings and the bulk-action confirmations. A department's drafts are its
own business, so every user sees the titles of live pages (they are public) and of the pages
their permissions let them explore — nothing else.

A live page can also carry a *draft* title (``draft_title``: the next version, not yet published),
and every admin screen names a page by it (``get_admin_display_title``): the move confirmation,
the page chooser's listing (``data-admin-title``), the workflow messages, the revert screen. So
during an admin request a user without page permissions on that part of the tree reads the
published title instead, wherever Wagtail names the page.
"""

from contextvars import ContextVar

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from newsroom.http import forbidden
from newsroom.permissions import is_press_office

# Keyword arguments of Wagtail's admin URLs that name a page.
PAGE_KWARGS = ("page_id", "page_to_move_id", "destination_id", "parent_page_id", "pk")
# Screens that list pages of every department by type: for the press office only.
PRESS_OFFICE_ONLY = {
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}


def visible_pages(user):
    """Live pages and those the user's page permissions let them explore."""
    explorable = PagePermissionPolicy().explorable_instances(user)
    return Page.objects.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))


def restrict_page_chooser(pages, request):
    """``construct_page_chooser_queryset``: the chooser and its search offer visible pages only."""
    if is_press_office(request.user):
        return pages
    return pages.filter(pk__in=visible_pages(request.user).values("pk"))


class _Viewer:
    """The user of the current admin request and, read once, the tree paths they hold page
    permissions on."""

    def __init__(self, user):
        self.user = user
        self._paths = None

    def may_read_drafts_of(self, page):
        if not self.user.is_authenticated:
            return False
        if is_press_office(self.user):
            return True
        if self._paths is None:
            self._paths = tuple(
                GroupPagePermission.objects.filter(group__user=self.user)
                .values_list("page__path", flat=True)
                .distinct()
            )
        return page.path is not None and page.path.startswith(self._paths)


_viewer = ContextVar("page_title_viewer", default=None)
UNSEEN_TITLE = _("Страница другого раздела")


def _guarded_display_title(get_admin_display_title):
    def get_admin_display_title_for_viewer(page):
        viewer = _viewer.get()
        if viewer is None or viewer.may_read_drafts_of(page):
            return get_admin_display_title(page)
        return page.title if page.live and page.title else str(UNSEEN_TITLE)

    get_admin_display_title_for_viewer.__wrapped__ = get_admin_display_title
    return get_admin_display_title_for_viewer


def hide_draft_titles():
    """Called once from ``NewsroomConfig.ready``."""
    if not hasattr(Page.get_admin_display_title, "__wrapped__"):
        Page.get_admin_display_title = _guarded_display_title(Page.get_admin_display_title)


class PageVisibilityMiddleware:
    """Refuses (403) any admin screen about a page the user may not see, before Wagtail's view
    has a chance to name it; during an admin request, pages are named for their viewer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        token = _viewer.set(_Viewer(user))
        try:
            return self.get_response(request)
        finally:
            _viewer.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        name = match.view_name
        if not (
            name.startswith(("wagtailadmin_pages:", "wagtailadmin_choose_page"))
            or name in PRESS_OFFICE_ONLY
        ):
            return None
        if is_press_office(request.user):
            return None
        if name in PRESS_OFFICE_ONLY:
            return forbidden(request)
        page_ids = [view_kwargs[key] for key in PAGE_KWARGS if key in view_kwargs]
        if name == "wagtailadmin_choose_page_chosen_multiple":
            page_ids += request.GET.getlist("id")
        page_ids = [page_id for page_id in page_ids if str(page_id).isdigit()]
        if page_ids:
            visible = set(
                visible_pages(request.user).filter(pk__in=page_ids).values_list("pk", flat=True)
            )
            if any(int(page_id) not in visible for page_id in page_ids):
                return forbidden(request)
        return None
