from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.casework.rules.lifecycle import OPEN_STATUSES, STATUS_LABELS, Status
from newsroom.networks import CASE_NETWORKS


class CaseKind(models.TextChoices):
    INCIDENT = "incident", _("Инцидент")
    HIGH_IMPORTANCE = "high_importance", _("Инцидент повышенной важности")
    FOUND_BY_ADMINISTRATION = "found_by_administration", _("Публикация, найденная администрацией")
    POS_MESSAGE = "pos_message", _("Сообщение ПОС")
    POS_APPEAL = "pos_appeal", _("Обращение по 59-ФЗ через ПОС")


class NoAnswerReason(models.TextChoices):
    THREAT = "threat", _("Угрозы должностному лицу или его семье")
    OBSCENITY = "obscenity", _("Нецензурные выражения")
    INSULT = "insult", _("Оскорбительные выражения")
    HARM = "harm", _("Намерение причинить вред другому лицу")
    SPAM = "spam", _("Спам, реклама")
    DUPLICATE = "duplicate", _("Дубликат уже зарегистрированного сообщения")


CASE_STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in Status]


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[s.value for s in OPEN_STATUSES])

    def visible_to(self, user):
        """Executors see only the cases assigned to them; curators and the press office all."""
        from newsroom.casework.access import sees_all_cases

        if sees_all_cases(user):
            return self
        return self.filter(executor=user)


class Case(models.Model):
    """A citizen's critical message found in a network, and the work of answering it."""

    # Where it came from.
    source = models.CharField(_("источник"), max_length=64, default="manual")
    external_id = models.CharField(_("номер в источнике"), max_length=128, blank=True)
    network = models.CharField(_("сеть"), max_length=16, choices=CASE_NETWORKS)
    url = models.URLField(_("ссылка на сообщение"), max_length=1000, blank=True)
    author_name = models.CharField(_("автор"), max_length=255, blank=True)
    author_id = models.CharField(
        _("идентификатор автора"), max_length=128, blank=True, db_index=True
    )
    text = models.TextField(_("текст сообщения"))
    published_at = models.DateTimeField(_("опубликовано"), null=True, blank=True)
    detected_at = models.DateTimeField(_("выявлено"))
    received_at = models.DateTimeField(_("получено от куратора"), null=True, blank=True)
    category = models.CharField(_("тематика"), max_length=255, blank=True)
    kind = models.CharField(
        _("вид"), max_length=32, choices=CaseKind.choices, default=CaseKind.INCIDENT
    )
    attachments = models.JSONField(_("вложения"), default=list, blank=True)
    place = models.CharField(
        _("адрес или населённый пункт"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Первый адрес, названный в тексте; по нему считаются всплески и отчёт."),
    )

    # Who works on it.
    status = models.CharField(
        _("статус"),
        max_length=24,
        choices=CASE_STATUS_CHOICES,
        default=Status.NEW.value,
        db_index=True,
    )
    unit = models.ForeignKey(
        "newsroom.Department",
        verbose_name=_("подразделение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("исполнитель"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("назначил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repeated_of = models.ForeignKey(
        "self",
        verbose_name=_("повтор сообщения"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        help_text=_("Повторное сообщение по ранее рассмотренному вопросу (R11)."),
    )

    # The clock: fixed when it starts, from the profile active at that moment.
    profile = models.ForeignKey(
        "newsroom.RegulationProfile",
        verbose_name=_("регламент"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    clock_started_at = models.DateTimeField(_("отсчёт срока с"), null=True, blank=True)
    routing_due = models.DateTimeField(_("назначить до"), null=True, blank=True)
    draft_due = models.DateTimeField(_("проект ответа до"), null=True, blank=True)
    forward_due = models.DateTimeField(_("передать куратору до"), null=True, blank=True)
    answer_due = models.DateTimeField(_("ответить до"), null=True, blank=True, db_index=True)
    answer_due_note = models.CharField(
        _("почему срок ответа перенесён"), max_length=255, blank=True, default=""
    )
    rework_due = models.DateTimeField(_("доработать до"), null=True, blank=True)
    final_due = models.DateTimeField(_("окончательный ответ до"), null=True, blank=True)
    next_due = models.DateTimeField(_("ближайший срок"), null=True, blank=True, db_index=True)

    # When each stage was done, and how many working minutes it took (the monthly analysis).
    routed_at = models.DateTimeField(_("назначен исполнитель"), null=True, blank=True)
    routing_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    draft_submitted_at = models.DateTimeField(_("проект ответа отправлен"), null=True, blank=True)
    draft_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    forwarded_at = models.DateTimeField(_("передан куратору"), null=True, blank=True)
    forward_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    answer_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    final_minutes = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Outcome.
    answer_url = models.URLField(_("ссылка на ответ"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(_("ответ размещён"), null=True, blank=True)
    interim_answered_at = models.DateTimeField(_("промежуточный ответ"), null=True, blank=True)
    no_answer_reason = models.CharField(
        _("причина не отвечать"), max_length=16, choices=NoAnswerReason.choices, blank=True
    )
    appeal_extended_at = models.DateTimeField(_("срок продлён"), null=True, blank=True)
    appeal_extension_notice = models.TextField(_("уведомление автора о продлении"), blank=True)

    created_at = models.DateTimeField(_("зарегистрировано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_due", "-detected_at"]
        verbose_name = _("сообщение гражданина")
        verbose_name_plural = _("сообщения граждан")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="case_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_due"], name="case_status_next_due"),
            models.Index(fields=["executor", "status", "next_due"], name="case_executor_next_due"),
            models.Index(fields=["detected_at"], name="case_detected_at"),
        ]

    def __str__(self):
        return f"№ {self.pk}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        # A closed case has no deadline ahead; lists rely on it to put open cases first.
        if not self.is_open:
            self.next_due = None
        super().save(*args, **kwargs)

    @staticmethod
    def count_label(n):
        return ngettext("%(n)s обращение", "%(n)s обращений", n) % {"n": n}

    @property
    def status_enum(self):
        return Status(self.status)

    @property
    def is_open(self):
        return self.status_enum in OPEN_STATUSES

    @property
    def is_high_importance(self):
        return self.kind == CaseKind.HIGH_IMPORTANCE

    @property
    def is_appeal(self):
        return self.kind == CaseKind.POS_APPEAL


class CaseEvent(models.Model):
    """One step in a case's life: who did what, from which status to which, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("действие"), max_length=32)
    from_status = models.CharField(_("было"), max_length=24, blank=True)
    to_status = models.CharField(_("стало"), max_length=24, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("событие обращения")
        verbose_name_plural = _("история обращения")

    def __str__(self):
        return f"{self.case_id}: {self.action}"


class CaseNotification(models.Model):
    """A reminder or an escalation, sent once to one person about one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    kind = models.CharField(_("вид"), max_length=32)
    message = models.TextField(_("текст"))
    sent_at = models.DateTimeField(_("отправлено"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        constraints = [
            models.UniqueConstraint(fields=["case", "recipient", "kind"], name="notification_once"),
        ]

    def __str__(self):
        return self.message[:80]
