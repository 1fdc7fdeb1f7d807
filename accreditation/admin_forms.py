"""Forms of the reviewers' and editors' admin screens."""

from django import forms
from django.utils import timezone

from accreditation.models import RevocationGround
from newsroom.validators import within_date_range


class JournalistChoiceForm(forms.Form):
    journalists = forms.MultipleChoiceField(
        label="Журналисты",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Выберите хотя бы одного журналиста."},
    )

    def __init__(self, *args, pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journalists"].choices = [(str(j.pk), j.full_name) for j in pending]
        self.fields["journalists"].initial = [str(j.pk) for j in pending]

    def journalist_ids(self):
        return [int(pk) for pk in self.cleaned_data["journalists"]]


class ApproveForm(JournalistChoiceForm):
    pass


class RejectForm(JournalistChoiceForm):
    reason = forms.CharField(
        label="Причина отказа",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Уйдёт заявителю письмом и будет видна на странице статуса заявки.",
        error_messages={"required": "Укажите причину отказа."},
    )


class CorrectionForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Заявитель увидит комментарий в письме и на странице статуса и исправит заявку.",
        error_messages={"required": "Напишите, что нужно исправить."},
    )


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(
        label="Основание (статья 48 Закона о СМИ)",
        choices=RevocationGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите основание."},
    )
    details = forms.CharField(
        label="Обстоятельства",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Какое правило нарушено и когда, или какие сведения распространены.",
        error_messages={"required": "Опишите обстоятельства."},
    )
    court_decision = forms.CharField(
        label="Решение суда",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Для второго основания: суд, дата и номер дела, дата вступления в силу.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("ground") == RevocationGround.COURT_CONFIRMED_UNTRUTH
            and not (data.get("court_decision") or "").strip()
        ):
            self.add_error("court_decision", "Укажите решение суда, вступившее в законную силу.")
        return data


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label="Дата возврата",
        initial=timezone.localdate,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[within_date_range],
    )
    note = forms.CharField(label="Примечание", required=False, max_length=500)

    def clean_returned_on(self):
        value = self.cleaned_data["returned_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Дата возврата не может быть в будущем.")
        return value


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Основание",
        help_text="Например: заявление журналиста от 12.03.2027 № 15.",
        max_length=500,
        error_messages={"required": "Укажите основание удаления."},
    )
    confirm = forms.BooleanField(
        label="Понимаю: данные и файлы будут удалены без возможности восстановления",
        error_messages={"required": "Подтвердите удаление."},
    )


class AnnouncementForm(forms.Form):
    subject = forms.CharField(label="Тема письма", max_length=255)
    body = forms.CharField(label="Текст письма", widget=forms.Textarea(attrs={"rows": 12}))
