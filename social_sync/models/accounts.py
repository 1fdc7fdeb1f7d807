"""The official accounts of the administration in social networks."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.networks import ACCOUNT_NETWORKS, BOT_NETWORKS, Network
from social_sync import crypto

RULE_ACTIONS = [
    ("off", _("не проверять")),
    ("flag", _("отмечать для модератора")),
    ("hide", _("скрывать сразу")),
]


class AccountKind(models.TextChoices):
    COMMUNITY = "community", _("Сообщество (группа)")
    PERSON = "person", _("Личная страница Главы")


# Secrets kept encrypted: attribute name → what it is, for messages.
SECRET_FIELDS = {
    "access_token": _("ключ доступа (access token)"),
    "refresh_token": _("ключ обновления (refresh token)"),
    "ok_application_secret": _("секретный ключ приложения ОК"),
    "ok_session_secret": _("секрет сессии ОК"),
}


class SocialAccount(models.Model):
    network = models.CharField(_("соцсеть"), max_length=16, choices=ACCOUNT_NETWORKS)
    kind = models.CharField(
        _("вид"), max_length=16, choices=AccountKind.choices, default=AccountKind.COMMUNITY
    )
    owner_id = models.CharField(
        _("идентификатор"),
        max_length=32,
        help_text=_(
            "ВКонтакте и Одноклассники: число без минуса — ID сообщества (группы) или "
            "пользователя. Telegram: @имя канала или его ID, начинающийся с -100. MAX: числовой "
            "ID канала (chat_id)."
        ),
    )
    name = models.CharField(_("название"), max_length=255)
    link = models.URLField(_("ссылка"), blank=True)
    is_active = models.BooleanField(_("включён"), default=True)

    auto_crosspost = models.BooleanField(
        _("автоматически публиковать материалы сайта"), default=True
    )
    post_news = models.BooleanField(_("новости"), default=True)
    post_events = models.BooleanField(_("события (анонсы)"), default=False)
    sections = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("разделы сайта"),
        blank=True,
        related_name="+",
        help_text=_(
            "Материалы только из этих разделов (например, раздел Главы для его личной страницы). "
            "Пусто — из всех разделов."
        ),
    )
    delete_on_unpublish = models.BooleanField(
        _("удалять пост при снятии материала с публикации"), default=True
    )
    weekly_norm = models.PositiveSmallIntegerField(
        _("норма публикаций в неделю"),
        default=5,
        help_text=_("Сколько постов в неделю требует регламент (например, 2 или 5)."),
    )

    # Comments under the account's posts (seed 003 app. 2 p.9).
    take_comments = models.BooleanField(
        _("собирать комментарии под постами"),
        default=True,
        help_text=_("Новые комментарии попадают в раздел «Комментарии» для модерации и ответа."),
    )
    rule_obscenity = models.CharField(
        _("нецензурная брань"), max_length=4, choices=RULE_ACTIONS, default="hide"
    )
    rule_insult = models.CharField(
        _("оскорбления"), max_length=4, choices=RULE_ACTIONS, default="flag"
    )
    rule_threat = models.CharField(_("угрозы"), max_length=4, choices=RULE_ACTIONS, default="flag")
    rule_spam = models.CharField(
        _("спам и реклама"), max_length=4, choices=RULE_ACTIONS, default="flag"
    )
    rule_stop_word = models.CharField(
        _("стоп-слова"), max_length=4, choices=RULE_ACTIONS, default="flag"
    )
    stop_words = models.TextField(
        _("список стоп-слов"),
        blank=True,
        help_text=_(
            "По одному на строку: слово (ловится в любой форме), фраза или начало слова со «*» "
            "на конце."
        ),
    )

    # Credentials, encrypted with social_sync.crypto; never shown back.
    access_token_encrypted = models.TextField(blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    ok_application_secret_encrypted = models.TextField(blank=True, editable=False)
    ok_session_secret_encrypted = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("ключ доступа действует до"), null=True, blank=True)
    vk_client_id = models.CharField(
        _("ID приложения VK ID"), max_length=32, blank=True, help_text=_("Для обновления ключа.")
    )
    vk_device_id = models.CharField(
        _("device_id VK ID"),
        max_length=255,
        blank=True,
        help_text=_("Выдаётся вместе с ключами при входе через VK ID; нужен для их обновления."),
    )
    ok_application_key = models.CharField(
        _("публичный ключ приложения ОК"), max_length=64, blank=True
    )
    # One refresher per account across all workers: a lease taken by a conditional UPDATE.
    refresh_lock_until = models.DateTimeField(null=True, blank=True, editable=False)
    # One worker delivers an account's rows at a time, so its requests come one after another
    # within the account's rate limit; taken by a conditional UPDATE like the refresh lease.
    delivery_lock_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivery_locked_by = models.CharField(max_length=128, blank=True, editable=False)
    # When a delivery task was queued for this account and has not finished yet: publications
    # in the meantime queue no more tasks (the running one takes their rows).
    delivery_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Until when the network asked us to wait (``retry_after``) or the token's rate window is
    # full: no row of the account is sent before it, by this worker or one started later.
    sending_paused_until = models.DateTimeField(null=True, blank=True, editable=False)
    credentials_problem = models.TextField(_("проблема с доступом"), blank=True, editable=False)
    credentials_problem_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("аккаунт в соцсети")
        verbose_name_plural = _("аккаунты в соцсетях")
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "kind", "owner_id"], name="social_account_unique_owner"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_network_display()})"

    # --- secrets ---------------------------------------------------------------------------

    def get_secret(self, name):
        return crypto.decrypt(getattr(self, f"{name}_encrypted"))

    def set_secret(self, name, value):
        if name not in SECRET_FIELDS:
            raise KeyError(name)
        setattr(self, f"{name}_encrypted", crypto.encrypt(value or ""))

    def has_secret(self, name):
        return bool(getattr(self, f"{name}_encrypted"))

    @property
    def has_credentials(self):
        if self.network in (Network.VK, *BOT_NETWORKS):
            return self.has_secret("access_token")
        return bool(
            self.has_secret("access_token")
            and self.ok_application_key
            and self.has_secret("ok_application_secret")
        )

    @property
    def is_sandbox(self):
        """No credentials: deliveries are recorded locally instead of being sent."""
        return not self.has_credentials

    @property
    def can_refresh(self):
        return bool(
            self.network == Network.VK
            and self.has_secret("refresh_token")
            and self.vk_client_id
            and self.vk_device_id
        )

    def token_expires_soon(self, margin):
        return bool(self.token_expires_at and self.token_expires_at - margin <= timezone.now())

    def rule_action(self, rule):
        return getattr(self, f"rule_{rule}", "off")

    @property
    def stop_word_list(self):
        return tuple(line.strip() for line in self.stop_words.splitlines() if line.strip())

    @property
    def numeric_owner_id(self):
        return int(self.owner_id)

    @property
    def vk_wall_owner_id(self):
        """VK addresses a community's wall with a negative id."""
        value = self.numeric_owner_id
        return -value if self.kind == AccountKind.COMMUNITY else value
