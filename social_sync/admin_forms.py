"""The form of an official account: its settings and its credentials.

Credentials are write-only: the inputs are always empty, an empty input keeps what is stored, and
a stored secret is never sent back to the browser. The rules they follow (what VK and OK need
together) are shared with ``manage.py add_social_account``.
"""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page

from newsroom.networks import BOT_NETWORKS
from newsroom.validators import within_date_range
from social_sync.crossposting import section_models
from social_sync.models import SECRET_FIELDS, AccountKind, Network, SocialAccount

# A VK ID access token lives about an hour; one entered without its expiry is refreshed early.
VK_ID_TOKEN_LIFETIME = datetime.timedelta(hours=1)

ONLY_BOT_TOKEN = _("Для Telegram и MAX нужен только токен бота в поле «ключ доступа».")
OWNER_ID_ERROR = _("Введите только цифры, без минуса, пробелов и букв: например, 123456789.")

ACCESS_TOKEN_HELP = _(
    "ВКонтакте: публикация, загрузка фото, удаление комментариев и блокировки работают только с "
    "ключом пользователя — администратора сообщества — с правами wall, photos, groups, offline. "
    "Одноклассники: ключ доступа (access_token) приложения. Telegram: токен бота от @BotFather "
    "(бот — администратор канала с правом публиковать). MAX: токен бота с business.max.ru (бот — "
    "администратор канала)."
)
TELEGRAM_CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,}")
MAX_CHAT = re.compile(r"-?\d{1,19}")
REFRESH_TOKEN_HELP = _(
    "Только ВКонтакте. Ключ VK ID действует около часа; ключ обновления вместе с device_id и ID "
    "приложения позволяют системе продлевать его автоматически."
)
OK_SECRET_HELP = _(
    "Приложению нужно разрешение на публикацию в группах (GROUP_CONTENT, для фото — "
    "PHOTO_CONTENT): его выдаёт api-support@ok.ru по запросу."
)
OK_SESSION_SECRET_HELP = _("Необязательно: если приложение выдало его вместе с ключом доступа.")
EXPIRES_HELP = _(
    "Если ключ VK ID введён без срока, система считает, что он действует час, и обновит его "
    "заранее. Пусто — бессрочный ключ."
)


ONLY_OK = _("Это поле нужно только для Одноклассников.")
ONLY_VK = _("Это поле нужно только для ВКонтакте.")


class SecretInput(forms.PasswordInput):
    """An always empty password input with a note whether a value is stored."""

    template_name = "social_sync/widgets/secret_input.html"

    def __init__(self, attrs=None):
        attrs = {"autocomplete": "new-password", "spellcheck": "false", **(attrs or {})}
        super().__init__(attrs=attrs, render_value=False)
        self.stored = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["stored"] = self.stored
        return context


def secret_field(label, help_text=""):
    return forms.CharField(
        label=label, required=False, widget=SecretInput(), help_text=help_text, max_length=4000
    )


def credential_problems(
    network, *, access, refresh, client_id, device_id, ok_key, ok_secret, ok_session
):
    """What is missing or superfluous in a set of credentials: ``[(field, message), …]``.

    The arguments say what the account would have after saving (``True`` for a stored secret).
    """
    problems = []
    if network == Network.VK:
        if refresh and not client_id:
            problems.append(
                ("vk_client_id", _("Для обновления ключа VK ID укажите ID приложения VK ID."))
            )
        if refresh and not device_id:
            problems.append(
                (
                    "vk_device_id",
                    _("Для обновления ключа VK ID укажите device_id, выданный вместе с ключами."),
                )
            )
        if refresh and not access:
            problems.append(
                ("access_token", _("Ключ обновления вводится вместе с ключом доступа."))
            )
        for name, present in (
            ("ok_application_key", ok_key),
            ("ok_application_secret", ok_secret),
            ("ok_session_secret", ok_session),
        ):
            if present:
                problems.append((name, ONLY_OK))
    elif network == Network.OK:
        given = {
            "access_token": access,
            "ok_application_key": ok_key,
            "ok_application_secret": ok_secret,
        }
        if any(given.values()) and not all(given.values()):
            for name, present in given.items():
                if not present:
                    problems.append(
                        (
                            name,
                            _(
                                "Ключи Одноклассников вводятся вместе: публичный ключ приложения, "
                                "секретный ключ приложения и ключ доступа — или ни одного "
                                "(тогда аккаунт работает в песочнице)."
                            ),
                        )
                    )
        if ok_session and not access:
            problems.append(
                ("ok_session_secret", _("Секрет сессии вводится вместе с ключом доступа."))
            )
        for name, present in (
            ("refresh_token", refresh),
            ("vk_client_id", client_id),
            ("vk_device_id", device_id),
        ):
            if present:
                problems.append((name, ONLY_VK))
    else:  # a bot's channel: the bot's token alone
        for name, present in (
            ("refresh_token", refresh),
            ("vk_client_id", client_id),
            ("vk_device_id", device_id),
            ("ok_application_key", ok_key),
            ("ok_application_secret", ok_secret),
            ("ok_session_secret", ok_session),
        ):
            if present:
                problems.append((name, ONLY_BOT_TOKEN))
    return problems


def store_credentials(account, secrets, *, expires_at=None, expires_given=False, now=None):
    """Puts new secrets (``{name: value}``, empty values skipped) into ``account``, unsaved.

    A new access token clears the recorded access problem and sets the token's expiry: the one
    given, else an hour for a VK ID token (one that comes with a refresh token), else none.
    Returns the names of the secrets replaced.
    """
    now = now or timezone.now()
    replaced = []
    for name, value in secrets.items():
        if value:
            account.set_secret(name, value)
            replaced.append(name)
    if "access_token" in replaced:
        if expires_given:
            account.token_expires_at = expires_at
        elif account.network == Network.VK and account.has_secret("refresh_token"):
            account.token_expires_at = now + VK_ID_TOKEN_LIFETIME
        else:
            account.token_expires_at = None
    elif expires_given:
        account.token_expires_at = expires_at
    if replaced:
        account.credentials_problem = ""
        account.credentials_problem_at = None
    return replaced


def clear_credentials(account):
    for name in SECRET_FIELDS:
        account.set_secret(name, "")
    account.token_expires_at = None
    account.credentials_problem = ""
    account.credentials_problem_at = None


def normalise_owner_id(value, network=Network.VK):
    value = (value or "").strip()
    if network == Network.TELEGRAM:
        if not TELEGRAM_CHANNEL.fullmatch(value):
            raise forms.ValidationError(
                _(
                    "Для Telegram укажите @имя канала (латиницей, например @adm_rajona) или его "
                    "числовой ID, начинающийся с -100."
                ),
                code="invalid",
            )
        return value
    if network == Network.MAX:
        if not MAX_CHAT.fullmatch(value):
            raise forms.ValidationError(
                _("Для MAX укажите числовой ID канала (chat_id), например -72000000000001."),
                code="invalid",
            )
        return value
    if not value.isascii() or not value.isdigit():
        raise forms.ValidationError(OWNER_ID_ERROR, code="invalid")
    return value


def duplicate_of(network, kind, owner_id, exclude_pk=None):
    queryset = SocialAccount.objects.filter(network=network, kind=kind, owner_id=owner_id)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


class SectionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        page_type = obj.specific_class._meta.verbose_name if obj.specific_class else ""
        return f"{obj.title} ({page_type})" if page_type else obj.title


def section_pages(selected=()):
    """The section pages an account may be limited to, plus any chosen before."""
    return (
        Page.objects.filter(Q(pk__in=Page.objects.type(*section_models())) | Q(pk__in=selected))
        .select_related("content_type")
        .order_by("path")
    )


class SocialAccountForm(WagtailAdminModelForm):
    owner_id = forms.CharField(
        label=_("идентификатор"),
        max_length=32,
        help_text=SocialAccount._meta.get_field("owner_id").help_text,
        error_messages={"required": _("Укажите ID сообщества или страницы.")},
    )
    link = forms.URLField(
        label=_("ссылка"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Введите правильную ссылку, начиная с https://.")},
    )
    sections = SectionChoiceField(
        label=_("разделы сайта"),
        queryset=Page.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=SocialAccount._meta.get_field("sections").help_text,
    )
    token_expires_at = forms.DateTimeField(
        label=_("ключ доступа действует до"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=EXPIRES_HELP,
        validators=[within_date_range],
    )
    access_token = secret_field(SECRET_FIELDS["access_token"], ACCESS_TOKEN_HELP)
    refresh_token = secret_field(SECRET_FIELDS["refresh_token"], REFRESH_TOKEN_HELP)
    ok_application_secret = secret_field(SECRET_FIELDS["ok_application_secret"], OK_SECRET_HELP)
    ok_session_secret = secret_field(SECRET_FIELDS["ok_session_secret"], OK_SESSION_SECRET_HELP)
    clear_credentials = forms.BooleanField(
        label=_("удалить все ключи"),
        required=False,
        help_text=_(
            "Ключи доступа, обновления и секреты ОК будут стёрты; аккаунт перейдёт в песочницу "
            "(посты записываются локально и никуда не отправляются)."
        ),
    )

    class Meta:
        model = SocialAccount
        fields = [
            "network",
            "kind",
            "owner_id",
            "name",
            "link",
            "is_active",
            "auto_crosspost",
            "post_news",
            "post_events",
            "sections",
            "delete_on_unpublish",
            "weekly_norm",
            "token_expires_at",
            "vk_client_id",
            "vk_device_id",
            "ok_application_key",
        ]
        help_texts = {
            "vk_client_id": _("Только ВКонтакте: для автоматического обновления ключа VK ID."),
            "ok_application_key": _("Только Одноклассники: публичный ключ (application key)."),
        }
        error_messages = {
            "name": {"required": _("Укажите название аккаунта, например «Администрация района».")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_expiry = self.instance.token_expires_at
        selected = (
            list(self.instance.sections.values_list("pk", flat=True)) if self.instance.pk else []
        )
        if "sections" in self.fields:
            self.fields["sections"].queryset = section_pages(selected)
        for name in SECRET_FIELDS:
            if name in self.fields:
                self.fields[name].widget.stored = bool(
                    self.instance.pk and self.instance.has_secret(name)
                )

    @property
    def secret_names(self):
        return [name for name in SECRET_FIELDS if name in self.fields]

    @property
    def expiry_edited(self):
        """The expiry was typed in (the input shows minutes only, so seconds do not count)."""

        def minute(moment):
            return moment.replace(second=0, microsecond=0) if moment else None

        return minute(self.cleaned_data.get("token_expires_at")) != minute(self.stored_expiry)

    def clean_owner_id(self):
        return (self.cleaned_data.get("owner_id") or "").strip()

    def clean(self):
        cleaned = super().clean()
        network, kind, owner_id = (cleaned.get(k) for k in ("network", "kind", "owner_id"))
        if owner_id:
            try:
                owner_id = cleaned["owner_id"] = normalise_owner_id(owner_id, network)
            except forms.ValidationError as error:
                self.add_error("owner_id", error)
                owner_id = None
        if network in BOT_NETWORKS and kind == AccountKind.PERSON:
            self.add_error(
                "kind",
                _(
                    "В Telegram и MAX публикации идут в канал через бота: выберите «Сообщество "
                    "(группа)»."
                ),
            )
        if network and kind and owner_id:
            other = duplicate_of(network, kind, owner_id, exclude_pk=self.instance.pk)
            if other is not None:
                self.add_error(
                    "owner_id",
                    _(
                        "Этот аккаунт уже добавлен: «%(name)s» (%(network)s, %(kind)s, ID "
                        "%(owner_id)s). Откройте его, чтобы изменить настройки."
                    )
                    % {
                        "name": other.name,
                        "network": other.get_network_display(),
                        "kind": other.get_kind_display(),
                        "owner_id": other.owner_id,
                    },
                )

        entered = {name: cleaned.get(name) for name in self.secret_names if cleaned.get(name)}
        if cleaned.get("clear_credentials"):
            if entered:
                self.add_error(
                    "clear_credentials",
                    _(
                        "Вы одновременно вводите новые ключи и удаляете все ключи. Снимите "
                        "отметку или очистите поля ключей."
                    ),
                )
            state = dict.fromkeys(SECRET_FIELDS, False)
        else:
            state = {
                name: bool(entered.get(name))
                or bool(self.instance.pk and self.instance.has_secret(name))
                for name in SECRET_FIELDS
            }
        if network:
            problems = credential_problems(
                network,
                access=state["access_token"],
                refresh=state["refresh_token"],
                client_id=cleaned.get("vk_client_id"),
                device_id=cleaned.get("vk_device_id"),
                ok_key=cleaned.get("ok_application_key"),
                ok_secret=state["ok_application_secret"],
                ok_session=state["ok_session_secret"],
            )
            for field, message in problems:
                wrong_network = message in (ONLY_OK, ONLY_VK)
                if wrong_network and field in SECRET_FIELDS and not entered.get(field):
                    # Stored before, under another network: the input itself is empty.
                    message = _(
                        "Сохранён ключ, который этой сети не нужен: отметьте «удалить все ключи» "
                        "и введите нужные ключи заново."
                    )
                if field not in self.fields:
                    self.add_error(None, message)
                elif field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        if self.cleaned_data.get("clear_credentials"):
            clear_credentials(account)
        else:
            store_credentials(
                account,
                {name: self.cleaned_data.get(name) for name in self.secret_names},
                expires_at=self.cleaned_data.get("token_expires_at"),
                expires_given=self.expiry_edited,
            )
        if commit:
            account.save()
            self.save_m2m()
        return account
