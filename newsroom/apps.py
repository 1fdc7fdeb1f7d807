from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Редакция")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers  # noqa: F401
        from .casework.services import answers  # noqa: F401  (workflow signal receivers)
        from .security import checks  # noqa: F401  (registers the deploy checks)
        from .security.bulk_actions import hide_inaccessible_items
        from .security.page_access import hide_draft_titles
        from .validators import bound_every_date_field

        hide_inaccessible_items()
        hide_draft_titles()
        bound_every_date_field(self.apps)
