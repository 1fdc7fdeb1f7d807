"""The period a report is asked for: a month from the list, or any span of days."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from newsroom.reports.period import MONTH_NAMES, Period, add_months
from newsroom.validators import within_date_range

MAX_DAYS = 366


def month_choices(today: date, count=24):
    first = add_months(today, -1)
    choices = []
    for offset in range(count):
        month = add_months(first, -offset)
        choices.append(
            (f"{month:%Y-%m}", f"{MONTH_NAMES[month.month - 1].capitalize()} {month.year}")
        )
    current = today.replace(day=1)
    choices.insert(
        0,
        (
            f"{current:%Y-%m}",
            _("%(month)s (идёт)")
            % {"month": f"{MONTH_NAMES[current.month - 1].capitalize()} {current.year}"},
        ),
    )
    return choices


class PeriodForm(forms.Form):
    month = forms.ChoiceField(label=_("Месяц"), required=False)
    start = forms.DateField(
        label=_("Или период: с"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[within_date_range],
    )
    end = forms.DateField(
        label=_("по"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[within_date_range],
    )

    def __init__(self, *args, zone, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone, self.today = zone, today
        self.fields["month"].choices = month_choices(today)
        self.fields["month"].initial = f"{add_months(today, -1):%Y-%m}"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Укажите обе даты периода — или выберите месяц."))
            if end < start:
                raise forms.ValidationError(_("Конец периода раньше его начала."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Период — не больше года."))
            if start > self.today:
                raise forms.ValidationError(_("Период ещё не начался."))
            data["period"] = Period(start, end, self.zone)
            return data
        month = data.get("month") or self.fields["month"].initial
        year, number = (int(part) for part in month.split("-"))
        data["period"] = Period.month(year, number, self.zone)
        return data


def default_period(zone, today):
    previous = add_months(today, -1)
    return Period.month(previous.year, previous.month, zone)
