"""The «Соцсети» menu: the official accounts (a snippet), the outbox and the norms report.

Only editors, administrators and superusers see or reach any of it: the accounts' permission
policy asks ``can_manage_social`` on top of the model permissions, and every URL of the snippet
and of its chooser is wrapped to answer 403 to everyone else.
"""

from django.db.models import Q
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from social_sync.admin_forms import SocialAccountForm
from social_sync.models import SocialAccount
from social_sync.permissions import MANAGING_GROUPS, can_manage_social, can_read_social_reports
from social_sync.views import cached_failed_count, manager_required

CREDENTIALS_HELP = _(
    "<p><strong>ВКонтакте.</strong> Публикация, загрузка фото, удаление комментариев и блокировки "
    "работают только с <strong>ключом пользователя — администратора сообщества</strong> с правами "
    "wall, photos, groups, offline. Ключ VK ID действует около часа: ключ обновления вместе с "
    "device_id и ID приложения VK ID позволяют системе обновлять его автоматически.</p>"
    "<p><strong>Одноклассники.</strong> Нужно приложение с разрешением на публикацию в группах "
    "(GROUP_CONTENT, для фото — PHOTO_CONTENT); разрешение выдаёт api-support@ok.ru по запросу.</p>"
    "<p><strong>Без ключей</strong> аккаунт работает в песочнице: посты записываются в системе и "
    "никуда не отправляются.</p>"
    "<p>Сохранённые ключи не показываются. Пустое поле оставляет сохранённое значение.</p>"
)


class SocialAccountPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and only for editors, administrators and superusers."""

    def user_has_permission(self, user, action):
        return can_manage_social(user) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return (
            super()
            .users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(groups__name__in=MANAGING_GROUPS))
            .distinct()
        )


def guard_urlpatterns(patterns):
    """Wraps every view of ``patterns`` (and of nested includes) with ``manager_required``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guard_urlpatterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = manager_required(pattern.callback)
    return patterns


class CredentialsStatusPanel(Panel):
    """What the system knows about the account's access: sandbox or not, expiry, problems."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "social_sync/panels/account_credentials.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            account = self.instance
            context.update(
                account=account,
                saved=bool(account.pk),
                expired=bool(
                    account.token_expires_at and account.token_expires_at <= timezone.now()
                ),
            )
            return context


class AccountChooserViewSet(SnippetChooserViewSet):
    def get_urlpatterns(self):
        return guard_urlpatterns(super().get_urlpatterns())


def account_state(account):
    if account.credentials_problem:
        return _("нет доступа")
    if account.is_sandbox:
        return _("песочница")
    return _("ключи сохранены")


class SocialAccountViewSet(SnippetViewSet):
    model = SocialAccount
    icon = "globe"
    menu_label = _("Аккаунты соцсетей")
    menu_name = "social-accounts"
    copy_view_enabled = False  # a copy would carry the credentials unseen
    chooser_viewset_class = AccountChooserViewSet
    list_display = [
        "name",
        "network",
        "kind",
        "owner_id",
        BooleanColumn("is_active", label=_("Включён")),
        Column("credentials", label=_("Доступ"), accessor=account_state),
        "weekly_norm",
    ]
    list_filter = ["network", "kind", "is_active"]
    search_fields = ["name", "owner_id"]
    ordering = ["network", "name"]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("network"),
                    FieldPanel("kind"),
                    FieldPanel("owner_id"),
                    FieldPanel("name"),
                    FieldPanel("link"),
                    FieldPanel("is_active"),
                ],
                heading=_("Аккаунт"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("auto_crosspost"),
                    FieldPanel("post_news"),
                    FieldPanel("post_events"),
                    FieldPanel("sections"),
                    FieldPanel("delete_on_unpublish"),
                    FieldPanel("weekly_norm"),
                ],
                heading=_("Что публиковать"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("take_comments"),
                    FieldPanel("rule_obscenity"),
                    FieldPanel("rule_insult"),
                    FieldPanel("rule_threat"),
                    FieldPanel("rule_spam"),
                    FieldPanel("rule_stop_word"),
                    FieldPanel("stop_words"),
                ],
                heading=_("Комментарии и модерация"),
            ),
            MultiFieldPanel(
                [
                    HelpPanel(content=CREDENTIALS_HELP),
                    CredentialsStatusPanel(heading=_("Состояние доступа")),
                    FieldPanel("access_token"),
                    FieldPanel("token_expires_at"),
                    FieldPanel("refresh_token"),
                    FieldPanel("vk_client_id"),
                    FieldPanel("vk_device_id"),
                    FieldPanel("ok_application_key"),
                    FieldPanel("ok_application_secret"),
                    FieldPanel("ok_session_secret"),
                    FieldPanel("clear_credentials"),
                ],
                heading=_("Ключи доступа"),
            ),
        ],
        base_form_class=SocialAccountForm,
    )

    def get_urlpatterns(self):
        return guard_urlpatterns(super().get_urlpatterns())


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_social(request.user)


class ReportReaderMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_social_reports(request.user)


class OutboxMenuItem(ManagerMenuItem):
    """«Очередь отправки», with the number of failed deliveries when there are any."""

    def render_component(self, request):
        component = super().render_component(request)
        failed = cached_failed_count()
        if failed:
            component.label = _("%(label)s — ошибок: %(n)s") % {"label": self.label, "n": failed}
        return component


class LinkViewSet(ViewSet):
    """A menu entry of the group for a screen whose URLs come from ``social_sync.urls``."""

    url_name = None
    menu_item_class = ManagerMenuItem

    def get_urlpatterns(self):
        return []

    @cached_property
    def menu_url(self):
        return reverse(self.url_name)


class OutboxLinkViewSet(LinkViewSet):
    name = "social_outbox"
    url_name = "social_sync:outbox"
    icon = "tasks"
    menu_label = _("Очередь отправки")
    menu_name = "social-outbox"
    menu_item_class = OutboxMenuItem


class NormsLinkViewSet(LinkViewSet):
    name = "social_norms"
    url_name = "social_sync:norms_report"
    icon = "table"
    menu_label = _("Нормы публикаций")
    menu_name = "social-norms"
    menu_item_class = ReportReaderMenuItem


class CalendarLinkViewSet(LinkViewSet):
    name = "social_calendar"
    url_name = "social_sync:calendar"
    icon = "date"
    menu_label = _("Календарь публикаций")
    menu_name = "social-calendar"
    menu_item_class = ReportReaderMenuItem


class ModeratorMenuItem(MenuItem):
    """«Комментарии», with the number of new ones."""

    def is_shown(self, request):
        from social_sync.inbox import can_moderate

        return can_moderate(request.user)

    def render_component(self, request):
        from social_sync.inbox import cached_new_count

        component = super().render_component(request)
        new = cached_new_count()
        if new:
            component.label = _("%(label)s — новых: %(n)s") % {"label": self.label, "n": new}
        return component


class CommentsLinkViewSet(LinkViewSet):
    name = "social_comments"
    url_name = "social_sync:comments"
    icon = "comment"
    menu_label = _("Комментарии")
    menu_name = "social-comments"
    menu_item_class = ModeratorMenuItem


class SocialViewSetGroup(SnippetViewSetGroup):
    items = (
        SocialAccountViewSet,
        CalendarLinkViewSet,
        CommentsLinkViewSet,
        OutboxLinkViewSet,
        NormsLinkViewSet,
    )
    menu_icon = "site"
    menu_label = _("Соцсети")
    menu_name = "social"
    menu_order = 160
