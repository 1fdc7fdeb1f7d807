"""A page opens in the admin even when a revision holds a date outside the product's range.

Dates typed since ``newsroom.validators.within_date_range`` exists are refused in the form, but a
revision saved before it may carry ``0001-01-01 00:00`` as its date or «go live at»: showing it in
the editor converts it to local time, which overflows, and the page's edit, history and delete
screens would answer with a server error for everyone. Such a value is dropped when the revision
is loaded, so the editor shows the field empty and asks for a date again.
"""

from django.core.exceptions import ValidationError
from django.db import models

from newsroom import date_range


class DateRangeMixin:
    def with_content_json(self, content):
        return super().with_content_json(_without_dates_out_of_range(type(self), content))


def _without_dates_out_of_range(model, content):
    dropped = {}
    for field in model._meta.concrete_fields:
        value = content.get(field.name)
        if isinstance(field, models.DateField) and value:
            try:
                within = date_range.is_within(field.to_python(value))
            except ValidationError:
                within = False
            if not within:
                dropped[field.name] = None
    return {**content, **dropped} if dropped else content
