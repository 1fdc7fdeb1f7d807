"""The outbox: what has to reach each account, written in the transaction that caused it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class OutboxAction(models.TextChoices):
    POST = "post", _("публикация")
    EDIT = "edit", _("изменение")
    DELETE = "delete", _("удаление")
    REPLY = "reply", _("ответ гражданину")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("в очереди")
    SENDING = "sending", _("отправляется")
    DONE = "done", _("выполнено")
    FAILED = "failed", _("ошибка")
    CANCELLED = "cancelled", _("отменено")


FINAL_STATES = (OutboxState.DONE, OutboxState.FAILED, OutboxState.CANCELLED)
#: The code of a failed row whose post may or may not be on the network, which cannot be read
#: back (Telegram): a person looks at the channel before anything is sent again.
UNKNOWN_OUTCOME = "unknown_outcome"
#: The code of a post held back because its text still reads as a press release.
STYLE_HOLD = "style_hold"


class OutboxItem(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("материал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="social_outbox",
    )
    page_title = models.CharField(_("заголовок"), max_length=255)
    account = models.ForeignKey(
        "social_sync.SocialAccount",
        verbose_name=_("аккаунт"),
        on_delete=models.CASCADE,
        related_name="outbox",
    )
    action = models.CharField(_("действие"), max_length=8, choices=OutboxAction.choices)
    state = models.CharField(
        _("состояние"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    # Bumped when a deleted post is published again, so that the new post gets its own guid.
    generation = models.PositiveIntegerField(default=1)
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=128, blank=True)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set, and committed, just before a request that creates something remotely: an attempt that
    # ends without an answer after this point may have reached the network.
    write_started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    last_error_code = models.CharField(max_length=32, blank=True)
    remote_id = models.CharField(_("ID поста"), max_length=64, blank=True)
    # The post's address, or for the sandbox the path of its admin page.
    remote_url = models.CharField(_("ссылка на пост"), max_length=500, blank=True)
    # What an edit can reuse: the uploaded attachments and which images they were made from.
    remote_meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(_("выполнено"), null=True, blank=True, db_index=True)
    # A reply: the approved answer placed under the citizen's post or comment.
    answer = models.ForeignKey(
        "newsroom.Answer",
        verbose_name=_("ответ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "newsroom.Case",
        verbose_name=_("обращение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A reply from the comment inbox: the citizen's comment it answers.
    comment = models.ForeignKey(
        "social_sync.Comment",
        verbose_name=_("комментарий"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    reply_target = models.JSONField(default=dict, blank=True)  # owner_id, post_id, comment_id
    reply_text = models.TextField(_("текст ответа"), blank=True)

    class Meta:
        verbose_name = _("отправка в соцсеть")
        verbose_name_plural = _("отправки в соцсети")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One post per material and account, ever: a repeat publication edits it.
            models.UniqueConstraint(
                fields=["page", "account"],
                condition=Q(action="post"),
                name="social_outbox_one_post_per_account",
            ),
            # One reply per approved answer, ever: never placed twice.
            models.UniqueConstraint(
                fields=["answer", "account"],
                condition=Q(action="reply"),
                name="social_outbox_one_reply_per_answer",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.page_title} → {self.account}"

    @staticmethod
    def count_label(n):
        return ngettext("%(n)s отправка", "%(n)s отправок", n) % {"n": n}

    @property
    def guid(self):
        """VK's idempotency key: the same for every attempt at the same post or reply."""
        if self.action == OutboxAction.REPLY and self.answer_id is None:
            return f"pressoffice-comment-reply-{self.pk}"
        if self.action == OutboxAction.REPLY:
            return f"pressoffice-reply-{self.answer_id}-{self.account_id}-{self.generation}"
        return f"pressoffice-{self.page_id}-{self.account_id}-{self.generation}"

    @property
    def held_for_style(self):
        return self.state == OutboxState.FAILED and self.last_error_code == STYLE_HOLD

    @property
    def needs_check(self):
        return self.state == OutboxState.FAILED and self.last_error_code == UNKNOWN_OUTCOME

    @property
    def is_final(self):
        return self.state in FINAL_STATES


class SandboxPost(models.Model):
    """A delivery to an account without credentials: kept here, shown as it would appear."""

    account = models.ForeignKey(
        "social_sync.SocialAccount", on_delete=models.CASCADE, related_name="sandbox_posts"
    )
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    images = models.JSONField(default=list)  # URLs of the renditions that would be uploaded
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("пост в песочнице")
        verbose_name_plural = _("посты в песочнице")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class NormWarning(models.Model):
    """The editors were told that an account would fall short of its norm in a week: once."""

    account = models.ForeignKey(
        "social_sync.SocialAccount", on_delete=models.CASCADE, related_name="norm_warnings"
    )
    week_start = models.DateField(_("неделя с"))
    expected = models.PositiveSmallIntegerField(_("ожидалось постов"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("предупреждение о норме публикаций")
        verbose_name_plural = _("предупреждения о норме публикаций")
        constraints = [
            models.UniqueConstraint(fields=["account", "week_start"], name="norm_warning_once")
        ]

    def __str__(self):
        return f"{self.account} — {self.week_start:%d.%m.%Y}"
