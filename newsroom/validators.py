"""Field validators for text typed into forms or sent to the API (see ``newsroom.characters``)."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from newsroom import characters, date_range


@deconstructible
class PlainCharacters:
    """Refuses broken Unicode, control characters and direction overrides in a text.

    ``multiline`` allows tabs and line breaks. The message is in Russian and starts with a capital
    letter, as Django shows field errors.
    """

    code = "hidden_characters"

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = characters.problem(value, multiline=self.multiline)
        if found:
            raise ValidationError(found[:1].upper() + found[1:], code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlainCharacters) and other.multiline == self.multiline


plain_line = PlainCharacters()
plain_text = PlainCharacters(multiline=True)


def within_date_range(value):
    """Refuses a date or moment outside the product's range (``newsroom.date_range``)."""
    found = date_range.problem(value)
    if found:
        raise ValidationError(found, code="date_out_of_range")


#: Wagtail's own date fields that an editor types: the page's publication schedule.
WAGTAIL_TYPED_DATES = (("wagtailcore", "page", ("go_live_at", "expire_at")),)
PROJECT_APPS = ("newsroom", "social_sync", "accreditation")


def bound_every_date_field(apps):
    """Adds ``within_date_range`` to every date field of the project's models and to Wagtail's
    publication schedule, so that each model form — Wagtail's page and snippet editors included,
    which validate through the model — refuses a year outside the range with a message. A field
    added later is covered without anyone remembering to. Called once from the app's ``ready``."""
    fields = []
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            fields += [f for f in model._meta.get_fields() if _is_date_field(f)]
    for app_label, model_name, names in WAGTAIL_TYPED_DATES:
        model = apps.get_model(app_label, model_name)
        fields += [model._meta.get_field(name) for name in names]
    for field in fields:
        if within_date_range not in field.validators:
            field.validators.append(within_date_range)
    return fields


def _is_date_field(field):
    from django.db import models

    return isinstance(field, models.DateField) and field.concrete  # DateTimeField included
