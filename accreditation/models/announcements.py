"""Press announcements of events to accredited journalists, delivered through an outbox."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Announcement(models.Model):
    """An editor's «send the announcement» for an event: the text as it was sent."""

    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("событие"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event_title = models.CharField(_("событие"), max_length=255)
    subject = models.CharField(_("тема письма"), max_length=255)
    body = models.TextField(_("текст письма"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отправил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("когда"), default=timezone.now)

    class Meta:
        verbose_name = _("анонс для СМИ")
        verbose_name_plural = _("анонсы для СМИ")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("в очереди")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не отправлено")
    UNCERTAIN = "uncertain", _("неизвестно, ушло ли письмо")


class AnnouncementDelivery(models.Model):
    """One e-mail of one announcement to one journalist: the outbox row.

    One row per event and address, ever: a second announcement of the same event reaches only
    those who have not had one.
    """

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("анонс"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("событие"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accreditation = models.ForeignKey(
        "accreditation.Accreditation",
        verbose_name=_("аккредитация"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
    )
    recipient_name = models.CharField(_("журналист"), max_length=255)
    outlet_name = models.CharField(_("СМИ"), max_length=255)
    email = models.EmailField(_("адрес"), max_length=254)
    state = models.CharField(
        _("состояние"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=128, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    last_error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("письмо с анонсом")
        verbose_name_plural = _("письма с анонсами")
        ordering = ["recipient_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(email=""),  # addresses erased with personal data are ""
                name="accreditation_one_announcement_per_address",
            )
        ]

    def __str__(self):
        return f"{self.announcement} → {self.recipient_name}"
