"""Citizens' comments under the official accounts' posts, and what moderators did with them
(seed 003 app. 2 p.9: the account holders moderate comments and blacklist offenders)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class WatchedPost(models.Model):
    """A recent post of an official account whose comments are taken in, with its cursor."""

    account = models.ForeignKey(
        "social_sync.SocialAccount", on_delete=models.CASCADE, related_name="watched_posts"
    )
    remote_id = models.CharField(_("ID поста"), max_length=64)
    url = models.CharField(_("ссылка на пост"), max_length=500, blank=True)
    text = models.TextField(_("текст поста"), blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("материал сайта"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("опубликован"))
    # VK: how many comments the post had at the last complete pull (nothing to read while the
    # wall shows the same number); OK: the anchor of the next page of comments.
    seen_count = models.IntegerField(default=-1)
    cursor = models.CharField(max_length=255, blank=True)
    pulled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("пост под наблюдением")
        verbose_name_plural = _("посты под наблюдением")
        constraints = [
            models.UniqueConstraint(fields=["account", "remote_id"], name="watched_post_once")
        ]

    def __str__(self):
        return self.text[:60] or self.remote_id


class CommentStatus(models.TextChoices):
    NEW = "new", _("новый")
    IN_WORK = "in_work", _("в работе")
    DONE = "done", _("обработан")


class RemoteState(models.TextChoices):
    VISIBLE = "visible", _("виден")
    HIDDEN = "hidden", _("удалён из соцсети")


class CommentQuerySet(models.QuerySet):
    def of_citizens(self):
        return self.filter(is_ours=False)


class Comment(models.Model):
    account = models.ForeignKey(
        "social_sync.SocialAccount",
        verbose_name=_("аккаунт"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    post = models.ForeignKey(
        WatchedPost, verbose_name=_("пост"), on_delete=models.CASCADE, related_name="comments"
    )
    network = models.CharField(_("соцсеть"), max_length=2)
    owner_id = models.CharField(max_length=32)
    post_remote_id = models.CharField(max_length=64)
    remote_id = models.CharField(_("ID комментария"), max_length=64)
    # Thread position: the root comment of the thread (empty for a root) and whom it answers.
    thread_root_id = models.CharField(max_length=64, blank=True)
    reply_to_id = models.CharField(max_length=64, blank=True)
    author_id = models.CharField(_("ID автора"), max_length=64, blank=True)
    author_name = models.CharField(_("автор"), max_length=255, blank=True)
    # The name in lower case, for a search by name with one LIKE (SQLite folds only Latin case).
    author_key = models.CharField(max_length=255, blank=True, editable=False)
    text = models.TextField(_("текст"), blank=True)
    # The text with disguises undone and spaces collapsed, hashed: copies of one text are spam.
    text_key = models.CharField(max_length=40, blank=True, db_index=True)
    published_at = models.DateTimeField(_("написан"), db_index=True)
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    # Our own replies (the group's or the Head's) are kept for the thread, not moderated.
    is_ours = models.BooleanField(default=False)

    status = models.CharField(
        _("состояние"), max_length=8, choices=CommentStatus.choices, default=CommentStatus.NEW
    )
    flags = models.JSONField(_("нарушения"), default=list, blank=True)  # [{rule, evidence}]
    is_flagged = models.BooleanField(_("отмечен правилами"), default=False)
    # The rules of ``flags`` as ",obscenity,spam,": filtered by one LIKE on every database.
    flag_rules = models.CharField(max_length=100, blank=True)
    remote_state = models.CharField(
        _("в соцсети"), max_length=8, choices=RemoteState.choices, default=RemoteState.VISIBLE
    )
    hidden_by_rule = models.BooleanField(default=False)
    case = models.ForeignKey(
        "newsroom.Case",
        verbose_name=_("обращение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("получен"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("комментарий")
        verbose_name_plural = _("комментарии")
        ordering = ["-published_at", "-pk"]
        permissions = [("moderate_comment", _("Может модерировать комментарии"))]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "owner_id", "post_remote_id", "remote_id"],
                name="comment_stored_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["is_ours", "status", "-published_at"], name="comment_inbox_status"
            ),
            models.Index(
                fields=["account", "is_ours", "status", "-published_at"],
                name="comment_inbox_account",
            ),
            models.Index(fields=["author_id", "published_at"], name="comment_author_time"),
            # «Нарушение: …» filters the flagged few, newest first, from the index alone.
            models.Index(
                fields=["-published_at", "flag_rules"],
                condition=models.Q(is_flagged=True, is_ours=False),
                name="comment_flagged",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def save(self, *args, **kwargs):
        self.author_key = self.author_name.lower()
        if kwargs.get("update_fields") is not None and "author_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "author_key"}
        super().save(*args, **kwargs)

    @staticmethod
    def count_label(n):
        return ngettext("%(n)s комментарий", "%(n)s комментариев", n) % {"n": n}


class ModerationEvent(models.Model):
    """One thing done to a comment, by a person or by a rule; the text is kept as evidence."""

    class Action(models.TextChoices):
        FLAGGED = "flagged", _("отмечен правилом")
        HIDDEN = "hidden", _("удалён из соцсети")
        RESTORED = "restored", _("восстановлен")
        BANNED = "banned", _("автор заблокирован")
        UNBANNED = "unbanned", _("блокировка снята")
        REPLIED = "replied", _("дан ответ")
        TO_CASE = "to_case", _("взят в работу как сообщение")
        STATUS = "status", _("изменено состояние")
        FAILED = "failed", _("действие не выполнено")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rule = models.CharField(_("правило"), max_length=16, blank=True)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("причина"), blank=True)
    comment_text = models.TextField(_("текст комментария"))
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("действие модератора")
        verbose_name_plural = _("журнал модерации")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.comment_id}"


class AuthorBan(models.Model):
    """An author blacklisted in an account's community."""

    account = models.ForeignKey(
        "social_sync.SocialAccount", on_delete=models.CASCADE, related_name="bans"
    )
    author_id = models.CharField(max_length=64)
    author_name = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)  # empty: permanent
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("блокировка автора")
        verbose_name_plural = _("блокировки авторов")
        ordering = ["-created_at"]

    def __str__(self):
        return self.author_name or self.author_id
