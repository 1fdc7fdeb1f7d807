import pytest

from social_sync.models import AccountKind, Network, SocialAccount


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


@pytest.fixture
def account_factory(db):
    return make_account


def publish(page, user=None):
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    page.refresh_from_db()
    return page
