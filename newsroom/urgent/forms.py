from django import forms
from django.utils.translation import gettext_lazy as _

from newsroom.validators import plain_text

from .services import REASON_MIN_LENGTH


class UrgentPublicationForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина срочной публикации"),
        min_length=REASON_MIN_LENGTH,
        max_length=2000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Почему материал нельзя отложить до утверждения заведующим отделом: например, "
            "штормовое предупреждение МЧС или отключение воды в районе. Причину увидит "
            "заведующий отделом и она останется в отчёте «Опубликовано без утверждения»."
        ),
        error_messages={
            "required": _("Укажите причину срочной публикации."),
            "min_length": _(
                "Опишите причину подробнее: не короче %(limit_value)d символов "
                "(сейчас %(show_value)d)."
            ),
        },
    )
