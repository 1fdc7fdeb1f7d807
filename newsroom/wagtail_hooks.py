from django.urls import include, path

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from newsroom import views
from newsroom.broadcasts.bulk_actions import PickQuestions, RejectQuestions
from newsroom.casework.admin import hooks as inbox_hooks  # noqa: F401  (registers its hooks)
from newsroom.casework.intake.importing import hooks as importing_hooks  # noqa: F401  (registers its hooks)
from newsroom.casework.permissions import AnswerPermissionPolicy
from newsroom.models import Answer
from newsroom.reports import wagtail_hooks as report_hooks  # noqa: F401  (registers its hooks)
from newsroom.security import hooks as security_hooks  # noqa: F401  (registers its hooks)
from newsroom.urgent import hooks as urgent_hooks  # noqa: F401  (registers its hooks)
from newsroom.viewsets import NewsroomViewSetGroup, RegulationViewSetGroup

register_permission_policy(Answer, AnswerPermissionPolicy(Answer))
register_snippet(NewsroomViewSetGroup)
hooks.register("register_bulk_action", PickQuestions)
hooks.register("register_bulk_action", RejectQuestions)
register_snippet(RegulationViewSetGroup)


@hooks.register("register_admin_urls")
def register_newsroom_admin_urls():
    return [
        path("newsroom/style-check/", views.style_check, name="newsroom_style_check"),
        path("cases/import/", include("newsroom.casework.intake.importing.urls")),
    ]


@hooks.register("insert_global_admin_css")
def style_report_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/css/admin.css"))
