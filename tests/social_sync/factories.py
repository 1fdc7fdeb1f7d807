"""Factories of social_sync: accounts (a VK community by default) and outbox rows.

``SocialAccountFactory(credentials=True)`` gives a VK account a user token,
``refreshable=True`` adds a VK ID refresh token with its client and device ids,
``ok_credentials=True`` makes a complete Odnoklassniki account. Secrets can also be passed by
name (``access_token="…"``): they are stored encrypted with ``set_secret``.
"""

from django.utils import timezone

import factory

from social_sync.models import (
    SECRET_FIELDS,
    AccountKind,
    Comment,
    Network,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SocialAccount,
    WatchedPost,
)


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount
        skip_postgeneration_save = True

    class Params:
        credentials = factory.Trait(
            access_token=factory.LazyAttribute(lambda o: f"access-{o.owner_id}-Zq81vK"),
        )
        refreshable = factory.Trait(
            credentials=True,
            refresh_token=factory.LazyAttribute(lambda o: f"refresh-{o.owner_id}-Wt55pL"),
            vk_client_id="51900001",
            vk_device_id=factory.LazyAttribute(lambda o: f"device-{o.owner_id}"),
        )
        ok = factory.Trait(network=Network.OK)
        ok_credentials = factory.Trait(
            ok=True,
            access_token=factory.LazyAttribute(lambda o: f"ok-access-{o.owner_id}-Hh20rA"),
            ok_application_key="CBAOKAPPKEY",
            ok_application_secret=factory.LazyAttribute(lambda o: f"ok-secret-{o.owner_id}-Jd3"),
        )

    network = Network.VK
    kind = AccountKind.COMMUNITY
    owner_id = factory.Sequence(lambda n: str(200000 + n))
    name = factory.Sequence(lambda n: f"Сообщество {n}")
    access_token = None
    refresh_token = None
    ok_application_secret = None
    ok_session_secret = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        secrets = {name: kwargs.pop(name, None) for name in SECRET_FIELDS}
        account = model_class(*args, **kwargs)
        for name, value in secrets.items():
            if value:
                account.set_secret(name, value)
        account.save()
        return account

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)


class OutboxItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxItem

    class Params:
        failed = factory.Trait(
            state=OutboxState.FAILED,
            attempts=3,
            last_error="Сеть ответила ошибкой: доступ запрещён.",
            last_error_code="15",
        )
        done = factory.Trait(
            state=OutboxState.DONE,
            attempts=1,
            remote_id=factory.Sequence(lambda n: str(7000 + n)),
            remote_url=factory.LazyAttribute(lambda o: f"https://vk.com/wall-1_{o.remote_id}"),
            done_at=factory.LazyFunction(timezone.now),
        )

    page = None
    page_title = factory.Sequence(lambda n: f"Новость для соцсетей {n}")
    account = factory.SubFactory(SocialAccountFactory)
    action = OutboxAction.POST
    state = OutboxState.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class WatchedPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchedPost

    account = factory.SubFactory(SocialAccountFactory)
    remote_id = factory.Sequence(lambda n: str(500 + n))
    text = factory.Sequence(lambda n: f"Новость администрации № {n}")
    published_at = factory.LazyFunction(timezone.now)
    url = factory.LazyAttribute(lambda o: f"https://vk.com/wall-{o.account.owner_id}_{o.remote_id}")


class CommentFactory(factory.django.DjangoModelFactory):
    """A citizen's comment under a watched post (VK by default)."""

    class Meta:
        model = Comment

    post = factory.SubFactory(WatchedPostFactory)
    account = factory.SelfAttribute("post.account")
    network = factory.SelfAttribute("account.network")
    owner_id = factory.SelfAttribute("account.owner_id")
    post_remote_id = factory.SelfAttribute("post.remote_id")
    remote_id = factory.Sequence(lambda n: str(9000 + n))
    author_id = factory.Sequence(lambda n: str(70000 + n))
    author_name = factory.Sequence(lambda n: f"Житель {n}")
    text = "Когда отремонтируют дорогу на улице Ленина?"
    published_at = factory.LazyFunction(timezone.now)
    url = factory.LazyAttribute(
        lambda o: f"https://vk.com/wall-{o.owner_id}_{o.post_remote_id}?reply={o.remote_id}"
    )
