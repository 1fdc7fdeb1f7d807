"""«Отчёты → Анализ сообщений»: the monthly analysis on screen, and its DOCX, XLSX and PDF."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsroom.reports import exports, services, tables
from newsroom.reports.forms import PeriodForm, default_period

PERMISSION = "newsroom.view_monthly_report"
FORMATS = {
    "docx": (exports.DOCX_TYPE, exports.docx_bytes),
    "xlsx": (exports.XLSX_TYPE, exports.xlsx_bytes),
    "pdf": (exports.PDF_TYPE, exports.pdf_bytes),
}


def may_view(user):
    return user.is_active and user.has_perm(PERMISSION)


class MonthlyReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsroom/reports/monthly.html"
    page_title = _("Анализ сообщений граждан")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": "", "label": _("Отчёты")},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        zone = services.zone()
        today = timezone.now().astimezone(zone).date()
        query = request.GET.copy()
        query.pop("format", None)
        if query:
            self.form = PeriodForm(query, zone=zone, today=today)
            self.period = self.form.cleaned_data["period"] if self.form.is_valid() else None
        else:
            self.form = PeriodForm(zone=zone, today=today)  # unbound: the last closed month
            self.period = default_period(zone, today)
        wanted = request.GET.get("format")
        if wanted in FORMATS and self.period is not None:
            return self.download(wanted)
        return super().get(request, *args, **kwargs)

    def download(self, wanted):
        content_type, render = FORMATS[wanted]
        report = services.build(self.period)
        body = render(report, services.letterhead())
        response = HttpResponse(body, content_type=content_type)
        name = exports.file_name(report, wanted)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.period is None:
            return context
        report = services.build(self.period)
        query = self.request.GET.copy()
        query.pop("format", None)
        base = reverse("newsroom_monthly_report")
        context.update(
            report=report,
            period=self.period,
            charts=services.svg_charts(report),
            tables=tables.all_tables(report),
            downloads=[
                (label, f"{base}?{_with(query, 'format', key)}")
                for key, label in (("docx", "DOCX"), ("xlsx", "XLSX"), ("pdf", "PDF"))
            ],
        )
        return context


def _with(query, key, value):
    query = query.copy()
    query[key] = value
    return query.urlencode()
