"""The public question form of a live broadcast."""

from django import forms

from newsroom.validators import plain_line, plain_text

HONEYPOT = "homepage"
CONSENT_TEXT = (
    "Я согласен(на) на обработку моих персональных данных (имя и населённый пункт) "
    "администрацией для ответа на вопрос в эфире или в течение двух недель после него. "
    "Вопрос и ответ могут быть опубликованы на этой странице с именем и населённым пунктом."
)


class QuestionForm(forms.Form):
    name = forms.CharField(
        label="Ваше имя", max_length=120, validators=[plain_line], error_messages={
            "required": "Напишите, как к вам обращаться.",
        },
    )  # fmt: skip
    settlement = forms.CharField(
        label="Населённый пункт",
        max_length=120,
        validators=[plain_line],
        help_text="Например: с. Ключи.",
        error_messages={"required": "Укажите населённый пункт: ответ часто зависит от него."},
    )
    text = forms.CharField(
        label="Вопрос",
        min_length=10,
        max_length=2000,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Напишите вопрос.",
            "min_length": "Вопрос слишком короткий: опишите, о чём вы хотите спросить.",
            "max_length": "Вопрос длиннее 2000 знаков: сократите его.",
        },
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Без согласия на обработку персональных данных вопрос не принять."
        },
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_settlement(self):
        return " ".join(self.cleaned_data["settlement"].split())

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if text.lower().count("http://") + text.lower().count("https://") > 1:
            raise forms.ValidationError("В вопросе слишком много ссылок: опишите вопрос словами.")
        return text
