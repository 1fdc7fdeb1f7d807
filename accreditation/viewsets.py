"""The reviewers' screens as a Wagtail viewset: the queue, one application, decisions, cards,
one person's data, and the press announcements of events. The menu item «Аккредитация» is shown
to reviewers only; the views give everyone else 403."""

from django.urls import path, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from accreditation.permissions import is_reviewer
from accreditation.views import announcements, decisions, personal
from accreditation.views.application import ApplicationDetailView
from accreditation.views.queue import ApplicationIndexView


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


class AccreditationViewSet(ViewSet):
    name = "accreditation"
    icon = "group"
    menu_label = _("Аккредитация")
    menu_name = "accreditation"
    menu_order = 170
    add_to_admin_menu = True
    menu_item_class = ReviewerMenuItem

    @cached_property
    def breadcrumbs_items(self):
        """Home › the queue: where every screen of the reviewers hangs."""
        queue = {
            "url": reverse_lazy(self.get_url_name("index")),
            "label": _("Заявки на аккредитацию"),
        }
        return [*WagtailAdminTemplateMixin.breadcrumbs_items, queue]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(header_icon=self.icon, **kwargs)

    def get_urlpatterns(self):
        view = self.construct_view
        inside = {"breadcrumbs_items": self.breadcrumbs_items}
        return [
            path("", view(ApplicationIndexView), name="index"),
            path("results/", view(ApplicationIndexView, results_only=True), name="index_results"),
            path("<int:pk>/", view(ApplicationDetailView, **inside), name="detail"),
            path("<int:pk>/decide/<slug:action>/", decisions.decide, name="decide"),
            path("card/<int:pk>/<slug:action>/", decisions.card_action, name="card_action"),
            path("card/<int:pk>.pdf", personal.card_pdf, name="card_pdf"),
            path("file/<int:pk>/<slug:kind>/", personal.journalist_file, name="file"),
            path("person/<int:pk>/export/", personal.export_person, name="export"),
            path(
                "person/<int:pk>/withdraw-consent/",
                personal.withdraw_consent,
                name="withdraw_consent",
            ),
            path("person/<int:pk>/erase/", view(personal.ErasePersonView, **inside), name="erase"),
            path("announce/<int:page_id>/", announcements.announce, name="announce"),
            path("announce/<int:page_id>/retry/", announcements.retry, name="announce_retry"),
        ]


accreditation_viewset = AccreditationViewSet()
