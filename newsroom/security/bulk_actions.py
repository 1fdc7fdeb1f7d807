"""Bulk-action confirmations list only what the user may act on.

Wagtail's confirmation pages (delete, move, publish… of pages, snippets, images, documents,
users) list the selected items the user has *no* permission for by their titles. The ids come
from the query string, so anyone could read any title by guessing ids. The items without
access are dropped instead, as if they had not been selected.
"""

from wagtail.admin.views.bulk_action import BulkAction


def _without_inaccessible(get_actionable_objects):
    def get_actionable(self):
        objects, extra = get_actionable_objects(self)
        return objects, {**extra, "items_with_no_access": []}

    get_actionable.__wrapped__ = get_actionable_objects
    return get_actionable


def hide_inaccessible_items():
    """Called once from ``NewsroomConfig.ready``."""
    if not hasattr(BulkAction.get_actionable_objects, "__wrapped__"):
        BulkAction.get_actionable_objects = _without_inaccessible(BulkAction.get_actionable_objects)
