"""Admin hooks of the reports (imported by newsroom.wagtail_hooks): the URL, the item in Wagtail's
«Отчёты» menu, and the report's stylesheet."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from newsroom.broadcasts.views_admin import SpeakerSheetView
from newsroom.reports import plan_views
from newsroom.reports.views import MonthlyReportView, may_view


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/monthly-analysis/",
            MonthlyReportView.as_view(),
            name="newsroom_monthly_report",
        ),
        path("plans/collect/", plan_views.CollectPlanView.as_view(), name="newsroom_plan_collect"),
        path(
            "broadcasts/<int:event_id>/speaker/",
            SpeakerSheetView.as_view(),
            name="newsroom_speaker_sheet",
        ),
        path(
            "plans/<int:pk>/<str:extension>/",
            plan_views.download,
            name="newsroom_plan_download",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_monthly_report_menu_item():
    return ReportMenuItem(
        _("Анализ сообщений"),
        reverse("newsroom_monthly_report"),
        name="monthly-analysis",
        icon_name="table",
        order=50,
    )


@hooks.register("insert_global_admin_css")
def report_css():
    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/css/reports.css"))
