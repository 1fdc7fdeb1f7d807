"""Accounts, publication and the fake VK/OK server wired into the project's settings."""

from social_sync.models import AccountKind, Network, SocialAccount
from tests import factories
from tests.fakes.social_server import (
    OK_DEFAULT_APP_KEY,
    OK_DEFAULT_APP_SECRET,
    OK_DEFAULT_GID,
    OK_DEFAULT_TOKEN,
)

VK_GROUP = 1001
VK_HEAD_USER = 55
VK_ADMIN_TOKEN = "vk-admin-user-token"
VK_HEAD_TOKEN = "vk-head-user-token"


def point_settings_at(settings, fake):
    settings.VK_API_URL = fake.vk_api_url
    settings.OK_API_URL = fake.ok_api_url
    settings.VK_ID_TOKEN_URL = fake.vk_id_token_url


def vk_community(**fields):
    return make_account(
        network=Network.VK, owner_id=str(VK_GROUP), name="Группа ВК", token=VK_ADMIN_TOKEN, **fields
    )


def vk_head_page(**fields):
    return make_account(
        network=Network.VK,
        kind=AccountKind.PERSON,
        owner_id=str(VK_HEAD_USER),
        name="Глава ВК",
        token=VK_HEAD_TOKEN,
        **fields,
    )


def ok_group(**fields):
    return make_account(
        network=Network.OK,
        owner_id=str(OK_DEFAULT_GID),
        name="Группа ОК",
        token=OK_DEFAULT_TOKEN,
        app_key=OK_DEFAULT_APP_KEY,
        app_secret=OK_DEFAULT_APP_SECRET,
        **fields,
    )


def make_account(
    *, network=Network.VK, kind=AccountKind.COMMUNITY, owner_id="1001", name=None, **fields
):
    """An account; ``token=`` (and for OK ``app_key=``/``app_secret=``) give it credentials."""
    token = fields.pop("token", None)
    refresh = fields.pop("refresh_token", None)
    app_key = fields.pop("app_key", None)
    app_secret = fields.pop("app_secret", None)
    sections = fields.pop("sections", ())
    account = SocialAccount(
        network=network,
        kind=kind,
        owner_id=owner_id,
        name=name or f"{network}-{owner_id}",
        **fields,
    )
    if token:
        account.set_secret("access_token", token)
    if refresh:
        account.set_secret("refresh_token", refresh)
    if app_key:
        account.ok_application_key = app_key
    if app_secret:
        account.set_secret("ok_application_secret", app_secret)
    account.save()
    if sections:
        account.sections.set(sections)
    return account


def publish(page, user=None):
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


# --- Telegram and MAX channels (tests.fakes.messenger_server) ----------------------------------

TG_TOKEN = "7000001:AAH-test-bot-token"
TG_CHANNEL = "@adm_rajona"
MAX_TOKEN = "max-bot-token-Zq81"
MAX_CHAT = -72000000000001


def point_messengers_at(settings, fake):
    settings.TELEGRAM_API_URL = fake.telegram_api_url
    settings.MAX_API_URL = fake.max_api_url


def telegram_channel(**fields):
    return make_account(
        network=Network.TELEGRAM,
        owner_id=fields.pop("owner_id", TG_CHANNEL),
        name=fields.pop("name", "Канал администрации в Telegram"),
        token=fields.pop("token", TG_TOKEN),
        **fields,
    )


def max_channel(**fields):
    return make_account(
        network=Network.MAX,
        owner_id=fields.pop("owner_id", str(MAX_CHAT)),
        name=fields.pop("name", "Канал администрации в MAX"),
        token=fields.pop("token", MAX_TOKEN),
        **fields,
    )


def news(parent, images=0, **fields):
    """An unpublished news item, with a gallery of ``images`` photos when asked."""
    body = []
    if images:
        gallery = [{"image": factories.ImageFactory(), "caption": ""} for _ in range(images)]
        body = [("gallery", {"title": "", "images": gallery})]
    fields.setdefault("main_image", None)
    return factories.NewsPageFactory(parent=parent, live=False, body=body, **fields)
