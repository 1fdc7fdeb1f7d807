"""«Редакция → Планы мероприятий»: collecting the month's plan from the calendar, downloading it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from newsroom.models import MonthlyPlan
from newsroom.organisation import organisation_zone
from newsroom.reports import exports, plans, services
from newsroom.reports.period import MONTH_NAMES, add_months

FORMATS = {
    "docx": (exports.DOCX_TYPE, plans.docx_bytes),
    "xlsx": (exports.XLSX_TYPE, plans.xlsx_bytes),
}


def may_write(user):
    return user.has_perm("newsroom.add_monthlyplan") and user.has_perm(
        "newsroom.change_monthlyplan"
    )


def may_read(user):
    return user.has_perm("newsroom.view_monthlyplan") or may_write(user)


class CollectForm(forms.Form):
    month = forms.ChoiceField(label=_("Месяц"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        months = [add_months(today, offset) for offset in range(4)]  # this month and three ahead
        self.fields["month"].choices = [
            (f"{month:%Y-%m}", f"{MONTH_NAMES[month.month - 1].capitalize()} {month.year}")
            for month in months
        ]
        self.fields["month"].initial = f"{months[1]:%Y-%m}"


class CollectPlanView(WagtailAdminTemplateMixin, FormView):
    """Creates the month's plan from the calendar, or adds the events it does not have yet."""

    template_name = "newsroom/reports/plan_collect.html"
    form_class = CollectForm
    page_title = _("Собрать план мероприятий")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not may_write(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {
                "url": reverse("wagtailsnippets_newsroom_monthlyplan:list"),
                "label": _("Планы мероприятий"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["today"] = timezone.now().astimezone(organisation_zone()).date()
        return kwargs

    def form_valid(self, form):
        year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
        site = Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)
        first = timezone.datetime(year, month, 1).date()
        plan, created, added = plans.collect(site, first, self.request.user, organisation_zone())
        events = ngettext("%(n)s мероприятие", "%(n)s мероприятий", added) % {"n": added}
        if created:
            messages.success(
                self.request,
                _("План на %(month)s создан, из календаря взято: %(events)s.")
                % {"month": plan.month_label, "events": events},
            )
        elif added:
            messages.success(
                self.request,
                _("В план на %(month)s добавлено из календаря: %(events)s. Ваши правки сохранены.")
                % {"month": plan.month_label, "events": events},
            )
        else:
            messages.info(
                self.request,
                _("Все мероприятия календаря на %(month)s уже в плане.")
                % {"month": plan.month_label},
            )
        return redirect("wagtailsnippets_newsroom_monthlyplan:edit", plan.pk)


def download(request, pk, extension):
    if not may_read(request.user) or extension not in FORMATS:
        raise PermissionDenied
    plan = get_object_or_404(MonthlyPlan, pk=pk)
    content_type, render = FORMATS[extension]
    body = render(plan, services.letterhead(), organisation_zone())
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plans.file_name(plan, extension)}"'
    return response
