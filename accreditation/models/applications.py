"""Applications for accreditation: the outlet, its journalists and what was decided.

Accreditation is per journalist (Mass Media Law, art. 48): the application groups the
journalists one editorial office sends in one go; each of them is approved or refused on their
own, and each approved journalist gets an :class:`~accreditation.models.Accreditation` (a card)
that can later be revoked on its own.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.storage import private_storage


class OutletKind(models.TextChoices):
    PRINT = "print", _("печатное издание")
    ONLINE = "online", _("сетевое издание")
    TV = "tv", _("телеканал")
    RADIO = "radio", _("радиоканал")
    AGENCY = "agency", _("информационное агентство")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("на рассмотрении")
    NEEDS_CORRECTION = "needs_correction", _("нужно исправить")
    APPROVED = "approved", _("рассмотрена: аккредитация предоставлена")
    REJECTED = "rejected", _("рассмотрена: в аккредитации отказано")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_CORRECTION)


class JournalistDecision(models.TextChoices):
    PENDING = "pending", _("на рассмотрении")
    APPROVED = "approved", _("аккредитован")
    REJECTED = "rejected", _("отказано")


def hash_token(token):
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class Application(models.Model):
    page = models.ForeignKey(
        "accreditation.AccreditationPage",
        verbose_name=_("страница аккредитации"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    number = models.CharField(_("номер"), max_length=16, unique=True)
    year = models.PositiveIntegerField(_("год аккредитации"), db_index=True)
    status = models.CharField(
        _("статус"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    # The outlet: an editorial office applies for its journalists.
    outlet_name = models.CharField(_("название СМИ"), max_length=255)
    outlet_kind = models.CharField(_("вид СМИ"), max_length=10, choices=OutletKind.choices)
    registration_number = models.CharField(
        _("номер свидетельства о регистрации"), max_length=40, db_index=True
    )
    registration_date = models.DateField(_("дата регистрации"))
    website = models.URLField(_("сайт"), max_length=300, blank=True)
    editor_in_chief = models.CharField(_("главный редактор"), max_length=255)
    applicant_email = models.EmailField(_("эл. почта для ответа"), max_length=254)
    # Private link: only its hash is stored; the link itself is in the applicant's e-mail.
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    created_at = models.DateTimeField(_("подана"), default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(_("отправлена на рассмотрение"), default=timezone.now)
    review_due_at = models.DateTimeField(_("рассмотреть до"), null=True, blank=True, db_index=True)
    correction_comment = models.TextField(_("что исправить"), blank=True)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("персональные данные удалены"), null=True, blank=True)

    class Meta:
        verbose_name = _("заявка на аккредитацию")
        verbose_name_plural = _("заявки на аккредитацию")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.number} — {self.outlet_name}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    def set_token(self, token):
        self.status_token_hash = hash_token(token)

    @classmethod
    def by_token(cls, token):
        if not token or len(token) > 100:
            return None
        return cls.objects.filter(status_token_hash=hash_token(token)).first()

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None):
        now = now or timezone.now()
        return (
            self.status == ApplicationStatus.SUBMITTED
            and self.review_due_at is not None
            and self.review_due_at < now
        )


def upload_name(instance, filename):  # pragma: no cover - names are always set by the service
    return filename


class Journalist(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("заявка"),
        on_delete=models.CASCADE,
        related_name="journalists",
    )
    full_name = models.CharField(_("фамилия, имя, отчество"), max_length=255)
    position = models.CharField(_("должность"), max_length=255)
    phone = models.CharField(_("телефон"), max_length=16, blank=True)
    email = models.EmailField(_("эл. почта"), max_length=254, blank=True, db_index=True)
    # Private files: never under MEDIA_URL, served only to reviewers (accreditation.views).
    photo = models.FileField(
        _("фотография"), storage=private_storage, upload_to=upload_name, max_length=200, blank=True
    )
    letter = models.FileField(
        _("письмо редакции"),
        storage=private_storage,
        upload_to=upload_name,
        max_length=200,
        blank=True,
    )
    letter_content_type = models.CharField(max_length=40, blank=True)
    decision = models.CharField(
        _("решение"),
        max_length=10,
        choices=JournalistDecision.choices,
        default=JournalistDecision.PENDING,
        db_index=True,
    )
    decision_reason = models.TextField(_("причина отказа"), blank=True)
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто решил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("персональные данные удалены"), null=True, blank=True)

    class Meta:
        verbose_name = _("журналист")
        verbose_name_plural = _("журналисты")
        ordering = ["application", "pk"]

    def __str__(self):
        return self.full_name

    @property
    def listed(self):
        """Whether the journalist agreed to be named in the public registry (art. 10.1)."""
        from .consents import ConsentKind

        return any(
            c.kind == ConsentKind.DISTRIBUTION and c.withdrawn_at is None
            for c in self.consents.all()
        )


class DecisionAction(models.TextChoices):
    SUBMITTED = "submitted", _("Заявка подана")
    CORRECTION_REQUESTED = "correction_requested", _("Запрошено исправление")
    RESUBMITTED = "resubmitted", _("Заявка исправлена и отправлена снова")
    APPROVED = "approved", _("Аккредитация предоставлена")
    REJECTED = "rejected", _("В аккредитации отказано")
    REVOKED = "revoked", _("Аккредитация отозвана")
    CARD_RETURNED = "card_returned", _("Карточка возвращена")
    EXPIRED = "expired", _("Срок аккредитации истёк")
    REMINDED = "reminded", _("Напоминание о новой аккредитации")
    EXPORTED = "exported", _("Персональные данные выгружены по запросу")
    ERASED = "erased", _("Персональные данные удалены по запросу")
    ANONYMISED = "anonymised", _("Персональные данные удалены по сроку хранения")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Согласие на распространение отозвано")


class DecisionLog(models.Model):
    """Who did what to an application, a journalist or a card, and why. Never edited."""

    application = models.ForeignKey(
        Application, verbose_name=_("заявка"), on_delete=models.CASCADE, related_name="log"
    )
    journalist = models.ForeignKey(
        Journalist,
        verbose_name=_("журналист"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="log",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # «заявитель» or «система» when there is no user; the user's name as it was otherwise.
    actor_label = models.CharField(_("кто"), max_length=255)
    action = models.CharField(_("что"), max_length=24, choices=DecisionAction.choices)
    comment = models.TextField(_("комментарий"), blank=True)
    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("запись журнала решений")
        verbose_name_plural = _("журнал решений")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application.number}: {self.get_action_display()}"
