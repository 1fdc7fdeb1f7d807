from django import forms
from django.core.exceptions import ValidationError

from newsroom.casework.intake.importing import parsing, validation
from newsroom.models import Case

SOURCE_MAX_LENGTH = Case._meta.get_field("source").max_length


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label="Файл CSV или XLSX",
        help_text=(
            f"До {parsing.MAX_ROWS} строк и {parsing.MAX_BYTES // (1024 * 1024)} МБ. "
            "Первая строка — заголовки столбцов."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    source = forms.CharField(
        label="Источник",
        initial="import",
        max_length=SOURCE_MAX_LENGTH,
        help_text=(
            "Откуда выгрузка, например «import» или «incident-manager». Сообщение с тем же "
            "номером из того же источника второй раз не регистрируется."
        ),
    )

    def __init__(self, *args, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.parsed = None
        self.result = None

    def clean_source(self):
        source = self.cleaned_data["source"].strip()
        if not source:
            raise ValidationError("Укажите источник.")
        return source

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > parsing.MAX_BYTES:
            raise ValidationError(
                f"Файл больше {parsing.MAX_BYTES // (1024 * 1024)} МБ: разделите его на части."
            )
        data = upload.read()
        try:
            self.parsed = parsing.read_table(data, upload.name)
            self.result = validation.validate(self.parsed, self.tz)
        except (parsing.ParseError, validation.MissingColumns) as error:
            raise ValidationError(str(error)) from None
        return upload
