"""What the monthly analysis and the surge alerts keep beyond a case's own fields."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReworkStage(models.TextChoices):
    PRESS = "press", _("Пресс-служба")
    CURATOR = "curator", _("Куратор")


class CaseRework(models.Model):
    """One return of a draft answer for rework: who returned it and why, what the R12 checklist
    found missing, and when the executor sent it back (on time or late against ``due``)."""

    case = models.ForeignKey("newsroom.Case", on_delete=models.CASCADE, related_name="reworks")
    stage = models.CharField(_("кто вернул"), max_length=16, choices=ReworkStage.choices)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("возвращён"))
    comment = models.TextField(_("замечания"), blank=True)
    missing = models.JSONField(_("не хватало (R12)"), default=list, blank=True)
    due = models.DateTimeField(_("доработать до"), null=True, blank=True)
    done_at = models.DateTimeField(_("доработан"), null=True, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["returned_at", "pk"]
        verbose_name = _("возврат на доработку")
        verbose_name_plural = _("возвраты на доработку")
        indexes = [models.Index(fields=["returned_at"], name="rework_returned_at")]

    def __str__(self):
        return f"{self.case_id}: {self.get_stage_display()} {self.returned_at:%d.%m.%Y}"


class SurgeKey(models.TextChoices):
    TOPIC = "topic", _("тематика")
    PLACE = "place", _("адрес")


class SurgeAlert(models.Model):
    """A surge of messages on one topic or address (seed 002 p.13): reported once, when the count
    in the profile's window first reaches the threshold; later messages join the same alert while
    they keep coming within the window."""

    key_kind = models.CharField(_("по чему"), max_length=8, choices=SurgeKey.choices)
    key = models.CharField(_("тематика или адрес"), max_length=255)
    profile = models.ForeignKey(
        "newsroom.RegulationProfile", on_delete=models.CASCADE, related_name="surges"
    )
    started_at = models.DateTimeField(_("первое сообщение"))
    last_at = models.DateTimeField(_("последнее сообщение"))
    count = models.PositiveIntegerField(_("сообщений"))
    cases = models.ManyToManyField("newsroom.Case", related_name="surges", blank=True)
    notified_at = models.DateTimeField(_("сообщено"), auto_now_add=True)

    class Meta:
        ordering = ["-last_at"]
        verbose_name = _("всплеск сообщений")
        verbose_name_plural = _("всплески сообщений")
        indexes = [models.Index(fields=["key_kind", "key", "last_at"], name="surge_key_last")]

    def __str__(self):
        return f"{self.get_key_kind_display()} «{self.key}»: {self.count}"


class MonthlyReportDelivery(models.Model):
    """The monthly analysis sent for one closed month: at most once per organisation and month."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("месяц"))
    recipients = models.TextField(_("кому"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("рассылка ежемесячного отчёта")
        verbose_name_plural = _("рассылки ежемесячного отчёта")
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="monthly_report_once"),
        ]
        permissions = [("view_monthly_report", _("Может смотреть ежемесячный анализ сообщений"))]

    def __str__(self):
        return f"{self.month:%m.%Y}"
