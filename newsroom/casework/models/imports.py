from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseImportState(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    RUNNING = "running", _("загружается")
    DONE = "done", _("загружен")
    FAILED = "failed", _("не загружен")


class CaseImport(models.Model):
    """One committed import file, loaded by the worker in one transaction: all rows or none.

    The rows themselves stay in the private pending file until the worker has stored them;
    this row is what the person who started the import watches.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("файл"), max_length=255)
    source = models.CharField(_("источник"), max_length=32)
    token = models.CharField(max_length=64, editable=False)
    claimed_path = models.CharField(max_length=500, editable=False)
    total = models.PositiveIntegerField(_("строк"))
    state = models.CharField(
        _("состояние"), max_length=16, choices=CaseImportState, default=CaseImportState.QUEUED
    )
    created_count = models.PositiveIntegerField(_("загружено"), default=0)
    existed_count = models.PositiveIntegerField(_("уже были"), default=0)
    message = models.TextField(_("сообщение"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("импорт сообщений")
        verbose_name_plural = _("импорты сообщений")

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def finished(self):
        return self.state in (CaseImportState.DONE, CaseImportState.FAILED)
