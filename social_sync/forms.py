"""The page editor's choice of accounts: ticked boxes go out, unticked ones are skipped."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountTicks(forms.CheckboxSelectMultiple):
    """Shows the accounts a page goes to as ticked boxes, while the page stores the accounts it
    skips (so that an account added later is included by default)."""

    PRESENT = "__shown"

    def optgroups(self, name, value, attrs=None):
        skipped = {str(v) for v in value if v not in (None, "")}
        ticked = [str(choice) for choice, _label in self.choices if str(choice) not in skipped]
        return super().optgroups(name, ticked, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        marker = forms.HiddenInput().render(f"{name}{self.PRESENT}", "1")
        return html + marker

    def value_from_datadict(self, data, files, name):
        if f"{name}{self.PRESENT}" not in data:
            return None  # the form did not show the boxes: keep what the page had
        ticked = set(data.getlist(name)) if hasattr(data, "getlist") else set(data.get(name, []))
        return [str(choice) for choice, _label in self.choices if str(choice) not in ticked]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}{self.PRESENT}" not in data


class CrosspostFormMixin:
    """For page forms with a ``social_skip`` field: offers only the accounts that take this
    kind of page from its section."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("social_skip")
        if field is None:
            return
        from social_sync.services.outbox import eligible_accounts

        page = self.instance
        parent = getattr(self, "parent_page", None)
        field.queryset = eligible_accounts(page, parent=parent)
        field.widget = AccountTicks()
        field.widget.choices = field.choices
        field.label = _("Отправить в соцсети")
        field.help_text = _(
            "Снимите отметку, чтобы материал не уходил в этот аккаунт. Отправка начнётся сразу "
            "после публикации (для отложенной — в момент выхода на сайте)."
        )
        if self.instance.pk is None and "social_skip" not in self.initial:
            self.initial["social_skip"] = []

    def clean(self):
        cleaned = super().clean()
        from social_sync.post_format import FORMATS

        for network, form in FORMATS.items():
            name = f"social_text_{network}"
            value = (cleaned.get(name) or "").strip()
            if name in self.fields and len(value) > form.limit:
                self.add_error(
                    name,
                    _(
                        "%(network)s принимает не больше %(limit)s знаков в посте, а здесь "
                        "%(length)s: сократите текст."
                    )
                    % {"network": form.label, "limit": form.limit, "length": len(value)},
                )
        return cleaned

    def clean_social_skip(self):
        value = self.cleaned_data.get("social_skip")
        if value is None and self.instance.pk:
            return self.instance.social_skip.all()
        return value
