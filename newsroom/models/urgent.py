"""Urgent publications: what an editor published without the head's sign-off, and why.

The statute (seed 000, 5.1) puts sign-off on the head of the press office, so only the last step
of «Публикация материалов», the head and administrators publish. A weather warning or an
emergency cannot wait for her: an editor then publishes with a written reason, the head is told
at once, and the item stays in her queue until she signs it off after the fact.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UrgentPublicationQuerySet(models.QuerySet):
    def awaiting_sign_off(self):
        return self.filter(signed_off_at__isnull=True)


class UrgentPublication(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("страница"),
        on_delete=models.CASCADE,
        related_name="urgent_publications",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("опубликованная версия"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("заголовок при публикации"), max_length=255)
    reason = models.TextField(_("причина срочной публикации"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("опубликовал(а)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("опубликовано"), auto_now_add=True, db_index=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("утвердил(а)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("утверждено"), null=True, blank=True)

    objects = UrgentPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("срочная публикация")
        verbose_name_plural = _("срочные публикации")

    def __str__(self):
        return self.title

    @property
    def signed_off(self):
        return self.signed_off_at is not None

    @property
    def published_by_name(self):
        return person_name(self.published_by)

    @property
    def signed_off_by_name(self):
        return person_name(self.signed_off_by)


def person_name(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
