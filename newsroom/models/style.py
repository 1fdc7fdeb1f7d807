from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class StylePhraseQuerySet(models.QuerySet):
    def as_checker_phrases(self):
        from newsroom.stylecheck import Phrase

        return [
            Phrase(text=text, suggestion=suggestion, comment=comment)
            for text, suggestion, comment in self.filter(is_active=True).values_list(
                "phrase", "suggestion", "comment"
            )
        ]


class StylePhrase(index.Indexed, models.Model):
    """A bureaucratic or press-release phrase the style check points out, with a plainer way."""

    phrase = models.CharField(
        _("выражение"),
        max_length=255,
        unique=True,
        help_text=_("В начальной форме: «осуществлять деятельность». Другие формы найдутся сами."),
    )
    suggestion = models.CharField(_("как сказать проще"), max_length=255)
    comment = models.CharField(_("пояснение"), max_length=255, blank=True)
    is_active = models.BooleanField(_("проверять"), default=True)

    panels = [
        FieldPanel("phrase"),
        FieldPanel("suggestion"),
        FieldPanel("comment"),
        FieldPanel("is_active"),
    ]
    search_fields = [
        index.SearchField("phrase"),
        index.SearchField("suggestion"),
        index.AutocompleteField("phrase"),
    ]

    objects = StylePhraseQuerySet.as_manager()

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("выражение для проверки стиля")
        verbose_name_plural = _("словарь проверки стиля")

    def __str__(self):
        return self.phrase
