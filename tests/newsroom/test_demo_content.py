"""The demo site is built by one command, and running it twice changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page, Site

import pytest

from newsroom.models import EventPage, HomePage, NewsPage
from social_sync.models import OutboxItem, SocialAccount


def snapshot():
    return (
        Page.objects.count(),
        get_user_model().objects.count(),
        list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id")),
        SocialAccount.objects.count(),
        OutboxItem.objects.count(),
    )


@pytest.mark.django_db
def test_demo_content_builds_the_site_and_is_idempotent(client, capsys):
    call_command("load_demo_content")
    out = capsys.readouterr().out
    assert NewsPage.objects.live().count() == 30
    assert NewsPage.objects.exclude(main_image=None).count() == 30
    assert EventPage.objects.live().count() >= 6
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    for username in ("editor", "head", "education", "curator", "executor", "admin"):
        assert f"demo-{username}-2026" in out
    # Sandbox accounts: every news item is queued for the community accounts, and the Heads'
    # pages take only their own section.
    assert SocialAccount.objects.count() == 6  # VK, OK, two Heads, Telegram, MAX
    assert all(account.is_sandbox for account in SocialAccount.objects.all())
    head_page = SocialAccount.objects.get(name="Глава района ВКонтакте")
    head_news = NewsPage.objects.child_of(head_page.sections.get()).count()
    assert 0 < head_page.outbox.count() == head_news < 30
    assert (
        SocialAccount.objects.get(network="vk", kind="community")
        .outbox.filter(action="post")
        .count()
        == 30 + EventPage.objects.count()
    )
    # Comments under a post of the community, the rules already run on them.
    from social_sync.models import Comment

    comments = Comment.objects.filter(account__network="vk", account__kind="community")
    assert comments.count() == 6
    assert set(comments.filter(is_flagged=True).values_list("flag_rules", flat=True)) == {
        ",insult,",
        ",spam,",
        ",obscenity,",
    }
    assert comments.get(flag_rules=",obscenity,").remote_state == "hidden"

    user = get_user_model().objects.get(username="education")
    assert user.groups.filter(name="Подразделение: Образование").exists()

    before = snapshot()
    call_command("load_demo_content")
    assert snapshot() == before
    assert "создано объектов: 0" in capsys.readouterr().out

    assert client.get("/").status_code == 200
    assert client.get("/news/").status_code == 200
