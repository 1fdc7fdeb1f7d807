"""What a snippet's chooser offers a user: one answer per snippet, given by its viewset.

Wagtail makes a chooser for every snippet (``/admin/snippets/choose/<app>/<model>/``, its
results, ``chosen/<id>/`` and ``chosen-multiple/``) and opens it to anyone who reaches the admin,
listing every row. For reference data that is right — a department writer chooses the department
of a news item — but a chooser of citizens' broadcast questions or of answers to cases would show
personal data to roles that may not read it. So each snippet viewset of the project says, in one
method, what a user may see (``ScopedSnippetViewSet.visible_to``); its listing and every view of
its chooser go through that method, and a row outside it answers 404.
"""

from django.utils.functional import cached_property

from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import SnippetViewSet

#: The model permissions that let a user see a snippet's listing.
LISTING_PERMISSIONS = ("add", "change", "delete", "view")


class ScopedChooserMixin:
    #: ``user -> queryset`` of the rows this chooser may offer; given by the viewset.
    scope = None

    def get_object_list(self):
        return self.scope(self.request.user)

    def get_object(self, pk):
        return self.scope(self.request.user).get(pk=pk)


class ScopedChosenMultipleView(ScopedChooserMixin, chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.scope(self.request.user).filter(pk__in=pks)


class ScopedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = type("ScopedChooseView", (ScopedChooserMixin, chooser.ChooseView), {})
    choose_results_view_class = type(
        "ScopedChooseResultsView", (ScopedChooserMixin, chooser.ChooseResultsView), {}
    )
    chosen_view_class = type(
        "ScopedChosenView", (ScopedChooserMixin, chooser.SnippetChosenView), {}
    )
    chosen_multiple_view_class = ScopedChosenMultipleView

    def __init__(self, *args, scope, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope=self.scope, **kwargs)


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet whose listing and chooser show each user what ``visible_to`` gives."""

    chooser_viewset_class = ScopedChooserViewSet
    # Listings search the database with the viewset's own search_fields: the search index cannot
    # filter by ``visible_to`` (a subquery), nor sort found rows by a column it does not index
    # (the listings' default orderings: a question's event, a department's name).
    search_backend_name = None
    #: Reference data every admin user may choose from (departments in the page editor, the
    #: regulation profile in the settings): its chooser lists every row to everyone.
    reference_data = False

    def visible_to(self, user):
        """Every row for those who may see the listing, none for the others; every row to
        everyone for reference data. Override for rows scoped per user (answers by the cases
        one may see)."""
        objects = self.model._default_manager.all()
        if self.reference_data or self.permission_policy.user_has_any_permission(
            user, LISTING_PERMISSIONS
        ):
            return objects
        return objects.none()

    def get_queryset(self, request):
        return self.visible_to(request.user)

    @cached_property
    def chooser_viewset(self):
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            scope=self.visible_to,
        )
