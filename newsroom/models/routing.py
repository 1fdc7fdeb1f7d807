"""Routing to a news page in one query (Wagtail's generic routing costs two per level)."""


class NewsParentMixin:
    """Routes to a child page in one query that also brings what the child's page shows.

    Wagtail's generic routing costs two queries per level (the child, then its specific row).
    ``child_routes`` lists the child types to try, the most requested first; each brings the
    relations named in its ``route_select_related``.
    """

    @property
    def child_routes(self):
        from .news import NewsPage

        return [NewsPage]

    def route(self, request, path_components):
        if path_components:
            for model in self.child_routes:
                child = (
                    model.objects.child_of(self)
                    .filter(slug=path_components[0])
                    .select_related(*_select_related_for_route(model))
                    .first()
                )
                if child is not None:
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)


def _select_related_for_route(model):
    return getattr(model, "route_select_related", ())
