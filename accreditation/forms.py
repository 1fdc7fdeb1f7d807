"""The public application form: the outlet, its journalists (a formset) and their consents.

Every message is in Russian and shown next to its field. Files cannot be kept between two
submissions of a form, so a form with errors asks for them again, and says so.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accreditation import registration, uploads
from accreditation.models import OutletKind
from newsroom.validators import plain_line

ABSOLUTE_MAX_JOURNALISTS = 20
HONEYPOT = "company_site"


class OutletForm(forms.Form):
    outlet_name = forms.CharField(label="Название СМИ", max_length=255, validators=[plain_line])
    outlet_kind = forms.ChoiceField(
        label="Вид СМИ", choices=[("", "— выберите —"), *OutletKind.choices]
    )
    registration_number = forms.CharField(
        label="Номер свидетельства о регистрации СМИ",
        max_length=60,
        help_text="Например: ЭЛ № ФС 77 - 12345 или ПИ № ТУ 24 - 01234.",
    )
    registration_date = forms.DateField(
        label="Дата регистрации",
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Введите дату в виде ДД.ММ.ГГГГ."},
    )  # bounded closer than the product's range: from 1 August 1990 to today (clean_…)
    website = forms.URLField(
        label="Сайт СМИ",
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={"invalid": "Введите адрес сайта, например https://gazeta-rayon.ru."},
    )
    editor_in_chief = forms.CharField(
        label="Главный редактор (фамилия, имя, отчество)", max_length=255, validators=[plain_line]
    )
    applicant_email = forms.EmailField(
        label="Эл. почта для ответа",
        max_length=254,
        help_text="Сюда придёт номер заявки, ссылка на её статус и решение.",
        error_messages={"invalid": "Введите адрес эл. почты, например redakciya@example.ru."},
    )

    def clean_outlet_name(self):
        return " ".join(self.cleaned_data["outlet_name"].split())

    def clean_editor_in_chief(self):
        return " ".join(self.cleaned_data["editor_in_chief"].split())

    def clean_registration_number(self):
        try:
            return registration.normalise(self.cleaned_data["registration_number"])
        except registration.InvalidNumber as error:
            raise ValidationError(str(error)) from None

    def clean_registration_date(self):
        value = self.cleaned_data["registration_date"]
        if value > timezone.localdate():
            raise ValidationError("Дата регистрации не может быть в будущем.")
        if value < datetime.date(1990, 8, 1):
            raise ValidationError(
                "Регистрация СМИ ведётся с 1 августа 1990 года: проверьте дату по свидетельству."
            )
        return value

    def clean(self):
        data = super().clean()
        number, kind = data.get("registration_number"), data.get("outlet_kind")
        if number and kind:
            is_agency_series = registration.series_of(number) == registration.NEWS_AGENCY_SERIES
            if is_agency_series and kind != OutletKind.AGENCY:
                self.add_error(
                    "outlet_kind",
                    "Свидетельство серии ИА выдаётся информационному агентству: "
                    "выберите вид «информационное агентство» или проверьте номер.",
                )
            elif kind == OutletKind.AGENCY and not is_agency_series:
                self.add_error(
                    "registration_number",
                    "Информационное агентство регистрируется со свидетельством серии ИА, "
                    "например «ИА № ФС 77 - 12345».",
                )
        return data


class PublicOutletForm(OutletForm):
    """The outlet part of a new application, with the honeypot and the consent versions."""

    # Hidden from people by CSS; robots fill every field they find.
    company_site = forms.CharField(
        label="Оставьте это поле пустым",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    processing_version = forms.IntegerField(widget=forms.HiddenInput)
    distribution_version = forms.IntegerField(widget=forms.HiddenInput)


class JournalistForm(forms.Form):
    full_name = forms.CharField(
        label="Фамилия, имя, отчество", max_length=255, validators=[plain_line]
    )
    position = forms.CharField(label="Должность", max_length=255, validators=[plain_line])
    phone = forms.CharField(
        label="Телефон",
        max_length=40,
        help_text="Российский номер, например +7 912 345-67-89.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Эл. почта",
        max_length=254,
        error_messages={"invalid": "Введите адрес эл. почты, например ivanova@example.ru."},
    )
    photo = forms.FileField(
        label="Фотография",
        help_text="JPEG, PNG или WebP, до 10 МБ; для карточки, как на документ.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "Выберите фотографию."},
    )
    letter = forms.FileField(
        label="Письмо редакции за подписью главного редактора",
        help_text="PDF или скан в JPEG/PNG, до 10 МБ.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
        error_messages={"required": "Выберите файл письма редакции."},
    )
    consent_processing = forms.BooleanField(
        label="Согласие на обработку персональных данных",
        error_messages={
            "required": "Без согласия на обработку персональных данных заявку нельзя "
            "рассмотреть (статья 9 152-ФЗ)."
        },
    )
    consent_distribution = forms.BooleanField(
        label="Согласие на публикацию ФИО, должности и СМИ в реестре аккредитованных журналистов",
        required=False,
        help_text="Необязательно: без него журналиста аккредитуют, но не покажут в реестре.",
    )

    files_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.files_required:
            self.fields["photo"].required = False
            self.fields["letter"].required = False
        self.checked = {}

    def clean_full_name(self):
        value = " ".join(self.cleaned_data["full_name"].split())
        if len(value.split()) < 2:
            raise ValidationError("Укажите фамилию и имя (и отчество, если есть).")
        return value

    def clean_phone(self):
        try:
            return registration.normalise_phone(self.cleaned_data["phone"])
        except registration.InvalidPhone as error:
            raise ValidationError(str(error)) from None

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            self.checked["photo"] = uploads.check_photo(upload)
        return upload

    def clean_letter(self):
        upload = self.cleaned_data.get("letter")
        if upload:
            self.checked["letter"] = uploads.check_letter(upload)
        return upload


class CorrectionJournalistForm(JournalistForm):
    """A journalist's data on the correction form: new files are optional (the old ones stay);
    the consents already given stay as they are."""

    files_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent_processing"]
        del self.fields["consent_distribution"]
        self.fields["photo"].help_text = "Оставьте пустым, чтобы сохранить прежнюю фотографию."
        self.fields["letter"].help_text = "Оставьте пустым, чтобы сохранить прежнее письмо."


class BaseJournalistFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Укажите хотя бы одного журналиста.",
        "too_many_forms": "В заявке может быть не больше %(num)d журналистов от одного СМИ.",
    }

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            email = form.cleaned_data.get("email") if hasattr(form, "cleaned_data") else None
            if not email:
                continue
            if email in seen:
                form.add_error(
                    "email",
                    "Этот адрес уже указан у другого журналиста заявки: у каждого должен быть свой.",
                )
            seen[email] = form


def journalist_formset(max_journalists):
    maximum = min(max_journalists or ABSOLUTE_MAX_JOURNALISTS, ABSOLUTE_MAX_JOURNALISTS)
    return forms.formset_factory(
        JournalistForm,
        formset=BaseJournalistFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        max_num=maximum,
        validate_max=True,
        absolute_max=ABSOLUTE_MAX_JOURNALISTS,
    )
