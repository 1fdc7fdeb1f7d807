"""The demo site's official accounts, seeded when ``load_demo_content`` has built the page tree.

They have no credentials: posts go to the sandbox, so the whole crossposting flow can be seen
offline. Real tokens are added in the admin or with ``manage.py add_social_account``.
"""

# network, kind, owner id, name, link, weekly norm, takes events, the Head's section (slug) or None
SOCIAL_ACCOUNTS = [
    (
        "vk",
        "community",
        "210000001",
        "Администрация района ВКонтакте",
        "https://vk.com/club210000001",
        5,
        True,
        None,
    ),
    (
        "ok",
        "community",
        "70000000000001",
        "Администрация района в Одноклассниках",
        "https://ok.ru/group/70000000000001",
        5,
        True,
        None,
    ),
    (
        "vk",
        "person",
        "310000001",
        "Глава района ВКонтакте",
        "https://vk.com/id310000001",
        2,
        False,
        "glava-rajona",
    ),
    (
        "vk",
        "person",
        "310000002",
        "Глава администрации ВКонтакте",
        "https://vk.com/id310000002",
        2,
        False,
        "glava-administracii",
    ),
]


def seed_accounts(sender, heads, **kwargs):
    """Creates the demo accounts that are missing; returns how many it created."""
    from social_sync.models import SocialAccount

    created_count = 0
    for network, kind, owner_id, name, link, norm, events, head in SOCIAL_ACCOUNTS:
        account, created = SocialAccount.objects.get_or_create(
            network=network,
            kind=kind,
            owner_id=owner_id,
            defaults={"name": name, "link": link, "weekly_norm": norm, "post_events": events},
        )
        if created:
            if head:
                account.sections.set([heads[head]])
            created_count += 1
    return created_count
