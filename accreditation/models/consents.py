"""The texts of the two consents (152-FZ), each kept in every version a journalist agreed to."""

import hashlib

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", _("на обработку персональных данных (ст. 9 152-ФЗ)")
    DISTRIBUTION = (
        "distribution",
        _("на распространение персональных данных в реестре (ст. 10.1 152-ФЗ)"),
    )


def text_digest(text):
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


class ConsentText(models.Model):
    """One version of a consent's text. Never changed: a new text is a new version.

    The texts are edited on the accreditation page; the version shown on the form is created
    from the page the first time it is shown (``current_for``), so a journalist's consent always
    points at the exact words they saw.
    """

    kind = models.CharField(_("вид согласия"), max_length=16, choices=ConsentKind.choices)
    version = models.PositiveIntegerField(_("версия"))
    text = models.TextField(_("текст"))
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласий")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"], name="accreditation_consent_version"
            ),
            models.UniqueConstraint(fields=["kind", "digest"], name="accreditation_consent_digest"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, версия {self.version}"

    @classmethod
    def current_for(cls, kind, text):
        """The version with exactly this text, created if it is new."""
        digest = text_digest(text)
        for _attempt in range(3):
            found = cls.objects.filter(kind=kind, digest=digest).first()
            if found is not None:
                return found
            latest = cls.objects.filter(kind=kind).order_by("-version").first()
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        kind=kind,
                        version=(latest.version + 1) if latest else 1,
                        text=text.strip(),
                        digest=digest,
                    )
            except IntegrityError:  # another request created it (or took the number) first
                continue
        return cls.objects.get(kind=kind, digest=digest)


class Consent(models.Model):
    """A consent a journalist gave on the form: which text, when and from which address."""

    journalist = models.ForeignKey(
        "accreditation.Journalist",
        verbose_name=_("журналист"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    kind = models.CharField(_("вид согласия"), max_length=16, choices=ConsentKind.choices)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("текст"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("дано"))
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["journalist", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["journalist", "kind"], name="accreditation_one_consent")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.journalist}"
