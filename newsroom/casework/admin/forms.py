"""Forms of the case screens: manual entry of a message and the action forms of the case page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateTimeInput

from newsroom.casework.rules.moments import moment_problem
from newsroom.casework.services.cases import executors
from newsroom.models import Case, Department, NoAnswerReason
from newsroom.networks import CASE_NETWORKS
from newsroom.validators import plain_line, plain_text

from .filters import executor_label


class CaseCreateForm(forms.ModelForm):
    """«Новое сообщение»: a message the curator found or received, entered by hand."""

    url = forms.URLField(
        label=_("Ссылка на сообщение"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("Ссылка на публикацию или комментарий в сети."),
        error_messages={"invalid": _("Введите правильную ссылку, начиная с https://.")},
    )

    class Meta:
        model = Case
        fields = [
            "network",
            "url",
            "author_name",
            "author_id",
            "text",
            "published_at",
            "detected_at",
            "received_at",
            "category",
            "kind",
        ]
        widgets = {
            "published_at": AdminDateTimeInput,
            "detected_at": AdminDateTimeInput,
            "received_at": AdminDateTimeInput,
            "text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "detected_at": _("Когда сообщение выявлено: с этого момента считается срок ответа."),
            "received_at": _(
                "Для регламентов, где срок считается с момента получения от куратора."
            ),
        }
        error_messages = {
            "text": {"required": _("Вставьте текст сообщения.")},
            "network": {"required": _("Выберите сеть, где опубликовано сообщение.")},
            "detected_at": {"required": _("Укажите, когда сообщение выявлено.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", _("— выберите сеть —")), *CASE_NETWORKS]
        if not self.is_bound:
            self.initial.setdefault("detected_at", timezone.now().replace(second=0, microsecond=0))
        for name in ("url", "author_name", "author_id", "category"):
            self.fields[name].validators.append(plain_line)
        self.fields["text"].validators.append(plain_text)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Вставьте текст сообщения."))
        return text

    def clean(self):
        cleaned = super().clean()
        now = timezone.now()
        for name in ("published_at", "detected_at", "received_at"):
            moment = cleaned.get(name)
            problem = moment and moment_problem(moment, now)
            if problem:
                self.add_error(name, problem[:1].upper() + problem[1:] + ".")
                cleaned.pop(name, None)
        published, detected, received = (
            cleaned.get("published_at"),
            cleaned.get("detected_at"),
            cleaned.get("received_at"),
        )
        if published and detected and published > detected:
            self.add_error(
                "published_at",
                _("Сообщение не может быть опубликовано после того, как его выявили."),
            )
        if received and detected and received < detected:
            self.add_error(
                "received_at", _("Получить сообщение от куратора можно только после его выявления.")
            )
        return cleaned


class RouteForm(forms.Form):
    """Route or reroute: suggested executors come first, each with the reason."""

    executor = forms.ModelChoiceField(
        label=_("Исполнитель"),
        queryset=None,
        required=False,  # the service explains what is wrong when none is chosen
    )
    unit = forms.ModelChoiceField(
        label=_("Подразделение"),
        queryset=Department.objects.order_by("short_name"),
        required=False,
        empty_label=_("— по исполнителю —"),
        help_text=_("Если не выбрано — подразделение исполнителя."),
    )
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["executor"]
        field.queryset = executors().order_by("last_name", "first_name", "username")
        self.suggestions = list(suggestions)
        if self.is_bound:
            return  # validation needs only the queryset
        suggested = {user.pk for user, _reason in self.suggestions}
        others = [user for user in field.queryset if user.pk not in suggested]
        choices = [("", _("— выберите исполнителя —"))]
        if self.suggestions:
            choices.append(
                (
                    _("Предлагает система"),
                    [
                        (user.pk, f"{executor_label(user)} — {reason}")
                        for user, reason in self.suggestions
                    ],
                )
            )
        if others:
            choices.append(
                (
                    _("Другие исполнители"),
                    [(user.pk, executor_label(user)) for user in others],
                )
            )
        field.choices = choices


class PostAnswerForm(forms.Form):
    answer_url = forms.CharField(
        label=_("Ссылка на размещённый ответ"),
        max_length=1000,
        required=False,  # the service checks it and says what is wrong
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    comment = forms.CharField(label=_("Комментарий"), required=False)


class NoAnswerForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Причина"),
        choices=[("", _("— выберите причину —")), *NoAnswerReason.choices],
        required=False,  # the service refuses without a reason, with its own message
    )
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    notice = forms.CharField(
        label=_("Текст уведомления автору о продлении срока"),
        required=False,  # the service refuses an empty notice, with its own message
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RecomputeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Да, пересчитать сроки по регламенту, действующему сейчас"),
        required=True,
        error_messages={"required": _("Подтвердите пересчёт сроков: отметьте галочку.")},
    )
