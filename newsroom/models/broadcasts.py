"""Questions citizens send to a live broadcast with the Head, a deputy or a head of a unit (seed
000 p.2.4, p.3.4): asked on the broadcast's page, grouped and picked by the press office, answered
on air and published as a Q&A list; the ones left unanswered become citizens' cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class QuestionStatus(models.TextChoices):
    NEW = "new", _("Новый")
    PICKED = "picked", _("Выбран для эфира")
    ANSWERED = "answered", _("Отвечен в эфире")
    REJECTED = "rejected", _("Отклонён (не по теме, спам, повтор)")
    CASE = "case", _("Передан как обращение")


class BroadcastQuestion(index.Indexed, models.Model):
    event = models.ForeignKey(
        "newsroom.EventPage",
        verbose_name=_("эфир"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    name = models.CharField(_("имя"), max_length=120)
    settlement = models.CharField(_("населённый пункт"), max_length=120)
    text = models.TextField(_("вопрос"))
    submitted_at = models.DateTimeField(_("задан"), auto_now_add=True, db_index=True)
    consent_text = models.TextField(_("текст согласия"), editable=False)
    status = models.CharField(
        _("состояние"),
        max_length=16,
        choices=QuestionStatus.choices,
        default=QuestionStatus.NEW,
        db_index=True,
    )
    topic = models.CharField(
        _("тема"), max_length=120, blank=True, help_text=_("Для группировки похожих вопросов.")
    )
    answer = models.TextField(
        _("ответ в эфире"), blank=True, help_text=_("Кратко — для списка «Вопросы и ответы».")
    )
    case = models.ForeignKey(
        "newsroom.Case",
        verbose_name=_("обращение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("name", read_only=True), FieldPanel("settlement", read_only=True)]
        ),
        FieldPanel("text", read_only=True),
        FieldRowPanel([FieldPanel("status"), FieldPanel("topic")]),
        FieldPanel("answer"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.SearchField("name"),
        index.SearchField("settlement"),
        index.AutocompleteField("text"),
        index.FilterField("status"),
        index.FilterField("event"),
    ]

    class Meta:
        ordering = ["topic", "submitted_at", "pk"]
        verbose_name = _("вопрос к эфиру")
        verbose_name_plural = _("вопросы к эфирам")

    def __str__(self):
        return f"{self.name}, {self.settlement}: {self.text[:60]}"

    @staticmethod
    def count_label(n):
        return ngettext("%(n)s вопрос", "%(n)s вопросов", n) % {"n": n}


class BroadcastClosing(models.Model):
    """A broadcast whose unanswered questions were turned into cases: done once per broadcast."""

    event = models.OneToOneField(
        "newsroom.EventPage", on_delete=models.CASCADE, related_name="closing"
    )
    closed_at = models.DateTimeField(auto_now_add=True)
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("закрытие приёма вопросов")
        verbose_name_plural = _("закрытия приёма вопросов")

    def __str__(self):
        return f"{self.event_id}: {self.cases}"
