"""An accreditation of one journalist for one year: the card, its validity and its revocation."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevocationGround(models.TextChoices):
    """The only grounds Mass Media Law art. 48 (part 5) gives for depriving of accreditation."""

    RULES_BREACH = "rules_breach", _("нарушение установленных правил аккредитации")
    COURT_CONFIRMED_UNTRUTH = (
        "court_untruth",
        _(
            "распространение не соответствующих действительности сведений, порочащих честь и "
            "достоинство администрации, что подтверждено вступившим в законную силу решением суда"
        ),
    )


class CardState(models.TextChoices):
    VALID = "valid", _("действительна")
    EXPIRED = "expired", _("истекла")
    REVOKED = "revoked", _("отозвана")
    ENDED = "ended", _("прекращена по заявлению журналиста")


class AccreditationQuerySet(models.QuerySet):
    def current(self, today=None):
        """Valid today: not revoked, not ended, not past its 31 December."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True, ended_at__isnull=True, valid_until__gte=today)


class Accreditation(models.Model):
    journalist = models.OneToOneField(
        "accreditation.Journalist",
        verbose_name=_("журналист"),
        on_delete=models.CASCADE,
        related_name="accreditation",
    )
    number = models.CharField(_("номер карточки"), max_length=16, unique=True)
    year = models.PositiveIntegerField(_("год"), db_index=True)
    valid_until = models.DateField(_("действительна до"), db_index=True)
    issued_at = models.DateTimeField(_("выдана"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("выдал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("отозвана"), null=True, blank=True)
    revocation_ground = models.CharField(
        _("основание отзыва"), max_length=16, choices=RevocationGround.choices, blank=True
    )
    revocation_details = models.TextField(_("обстоятельства"), blank=True)
    court_decision = models.TextField(_("решение суда"), blank=True)
    card_returned_at = models.DateField(_("карточка возвращена"), null=True, blank=True)
    # Ended at the journalist's request (their personal data erased while it was still valid).
    ended_at = models.DateTimeField(_("прекращена"), null=True, blank=True)
    # Set by the daily job on the first day after valid_until; the state does not depend on it.
    expired_at = models.DateTimeField(_("срок истёк (отмечено)"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("напоминание отправлено"), null=True, blank=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("аккредитация")
        verbose_name_plural = _("аккредитации")
        ordering = ["-year", "number"]

    def __str__(self):
        return f"№ {self.number}"

    @staticmethod
    def end_of(year):
        return datetime.date(year, 12, 31)

    def state(self, today=None):
        today = today or timezone.localdate()
        if self.revoked_at:
            return CardState.REVOKED
        if self.ended_at:
            return CardState.ENDED
        if self.valid_until < today:
            return CardState.EXPIRED
        return CardState.VALID

    @property
    def state_label(self):
        return self.state().label

    @property
    def is_valid(self):
        return self.state() == CardState.VALID
