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
    (
        "telegram",
        "community",
        "@adm_rajona_demo",
        "Администрация района в Telegram",
        "https://t.me/adm_rajona_demo",
        5,
        True,
        None,
    ),
    (
        "max",
        "community",
        "-72000000000001",
        "Администрация района в MAX",
        "https://max.ru/adm_rajona_demo",
        2,
        True,
        None,
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
    return created_count + seed_comments()


# Comments under a post of the community, as the pull would have brought them: the rules of the
# account flag or hide some on arrival. (author id, name, text, minutes ago, replies to index)
DEMO_POST = "В районе начался ремонт водопровода на улице Садовой"
DEMO_COMMENTS = [
    (
        "410001",
        "Анна Кузнецова",
        "Третий день нет воды в доме 12 на Садовой! Когда дадут?",
        95,
        None,
    ),
    ("410002", "Сергей Павлов", "У нас в доме 14 тоже сухо, поддерживаю вопрос", 80, 0),
    ("410003", "Ирина Белова", "Спасибо, что предупредили заранее", 60, None),
    ("410004", "Гость", "Вы там все дебилы в администрации?", 40, None),
    ("410005", "Гость 2", "Заработок в интернете от 5000 в день, пиши в лс", 30, None),
    ("410006", "Гость 3", "Опять х у й н я, а не ремонт", 20, None),
]


def seed_comments():
    """A post of the demo community with six comments, the rules run on them; returns how many
    it created (none when the post is there already)."""
    from datetime import timedelta

    from django.utils import timezone

    from social_sync.models import AccountKind, Comment, SocialAccount, WatchedPost
    from social_sync.services.comments import apply_rules, text_key

    account = SocialAccount.objects.filter(
        network="vk", kind=AccountKind.COMMUNITY, owner_id="210000001"
    ).first()
    if account is None:
        return 0
    now = timezone.now()
    post, created = WatchedPost.objects.get_or_create(
        account=account,
        remote_id="101",
        defaults={
            "text": DEMO_POST,
            "url": "https://vk.com/wall-210000001_101",
            "published_at": now - timedelta(hours=2),
        },
    )
    if not created:
        return 0
    stored = []
    for number, (author_id, name, text, minutes, parent) in enumerate(DEMO_COMMENTS, start=1):
        root = stored[parent].remote_id if parent is not None else ""
        comment = Comment.objects.create(
            account=account,
            post=post,
            network="vk",
            owner_id=account.owner_id,
            post_remote_id=post.remote_id,
            remote_id=str(200 + number),
            thread_root_id=root,
            reply_to_id=root,
            author_id=author_id,
            author_name=name,
            text=text,
            text_key=text_key(text),
            published_at=now - timedelta(minutes=minutes),
            url=f"https://vk.com/wall-210000001_101?reply={200 + number}",
        )
        apply_rules(comment)
        stored.append(comment)
    return 1 + len(stored)
