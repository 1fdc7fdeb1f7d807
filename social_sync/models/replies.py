"""Which official account answers a message that is on a page we do not run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyAccountChoice(models.Model):
    """A message on a foreign VK page (a neighbour community, a resident's wall): the curator
    picks which of our accounts comments there — the Head's page or our community."""

    case = models.OneToOneField(
        "newsroom.Case", verbose_name=_("обращение"), on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(
        "social_sync.SocialAccount",
        verbose_name=_("аккаунт"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("аккаунт для ответа")
        verbose_name_plural = _("аккаунты для ответов")

    def __str__(self):
        return f"{self.case_id} → {self.account}"
