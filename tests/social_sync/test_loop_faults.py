"""Closing the loop through faults: 100 approved answers placed as replies and 300 citizens'
comments taken in across three accounts, against a fake that fails 30% of calls and loses
answers — every reply placed exactly once, every comment stored once, no rate limit broken."""

import time

from django.utils import timezone

import pytest

from newsroom.casework.signals import answer_approved
from newsroom.models import Answer, Case
from social_sync.models import Comment, OutboxAction, OutboxItem, OutboxState
from social_sync.services import comments, delivery
from tests.fakes.social_server import OK_DEFAULT_GID
from tests.newsroom.casework.factories import CaseFactory
from tests.once import once
from tests.social_sync.helpers import VK_GROUP, VK_HEAD_USER, ok_group, vk_community, vk_head_page
from tests.social_sync.test_faults import faulty_fake  # noqa: F401  (the fixture)

# One process delivering and pulling: the claims and the unique keys behave alike on both
# databases (the killed-worker run in test_crash.py is the one that needs PostgreSQL too).
pytestmark = [pytest.mark.django_db, once]

COMMENTS_PER_ACCOUNT = 100
ANSWERS = 100
POSTS_PER_ACCOUNT = 10


def seed_vk(fake, wall, base_author):
    urls = []
    for p in range(POSTS_PER_ACCOUNT):
        post = fake.seed_vk_post(wall, f"Новость {p} на стене {wall}")["id"]
        root = None
        for n in range(COMMENTS_PER_ACCOUNT // POSTS_PER_ACCOUNT):
            author = base_author + p * 100 + n
            # Every third comment answers the first one of its post: threads, too.
            reply_to = root if root and n % 3 == 0 else None
            cid = fake.seed_vk_comment(
                wall,
                post,
                f"Вопрос {author}: когда уберут двор?",
                from_id=author,
                reply_to_comment=reply_to,
            )
            root = root or cid
            urls.append(f"https://vk.com/wall{wall}_{post}?reply={cid}")
    return urls


def seed_ok(fake):
    urls = []
    for p in range(POSTS_PER_ACCOUNT):
        topic = fake.seed_ok_topic(OK_DEFAULT_GID, [{"type": "text", "text": f"Новость ОК {p}"}])
        for n in range(COMMENTS_PER_ACCOUNT // POSTS_PER_ACCOUNT):
            cid = fake.seed_ok_comment(topic, f"Вопрос в ОК {p}-{n}", author_id=9000 + p * 100 + n)
            urls.append(f"https://ok.ru/group/{OK_DEFAULT_GID}/topic/{topic}?commentId={cid}")
    return urls


def approve(url, n):
    network = "ok" if "ok.ru" in url else "vk"
    case = CaseFactory(network=network, url=url, status="approved", detected_at=timezone.now())
    # As the workflow leaves it: the approved answer is live, the case «Согласован».
    answer = Answer.objects.create(
        case=case,
        text=f"Ответ № {n}: двор уберут до пятницы.",
        live=True,
        last_published_at=timezone.now(),
    )
    answer_approved.send(sender=Answer, answer=answer, case=case)
    return answer


def test_replies_once_and_comments_once_through_faults(site_tree, faulty_fake):  # noqa: F811
    fake = faulty_fake
    accounts = [vk_community(), vk_head_page(), ok_group()]
    targets = [
        seed_vk(fake, -VK_GROUP, 100_000),
        seed_vk(fake, VK_HEAD_USER, 200_000),
        seed_ok(fake),
    ]
    answers = [approve(targets[n % 3][n // 3], n) for n in range(ANSWERS)]
    assert OutboxItem.objects.filter(action=OutboxAction.REPLY).count() == ANSWERS

    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        delivery.drain(max_seconds=60)
        comments.pull_all()
        done = not OutboxItem.objects.exclude(state=OutboxState.DONE).exists()
        if done and Comment.objects.of_citizens().count() == 3 * COMMENTS_PER_ACCOUNT:
            # One more pull takes in the replies placed since the last one.
            comments.pull_all()
            if Comment.objects.filter(is_ours=True).count() == ANSWERS:
                break
    else:
        pytest.fail("the loop did not close in time")

    placed = [
        c["text"]
        for cs in fake.vk_comments.values()
        for c in cs
        if c["from_id"] in (-VK_GROUP, VK_HEAD_USER)
    ]
    placed += [c["text"] for cs in fake.ok_comments.values() for c in cs if c.get("as_admin")]
    for answer in answers:
        assert placed.count(answer.text) == 1, answer.text
        case = Case.objects.get(pk=answer.case_id)
        assert case.answered_at and case.answer_url, case.pk
    assert len(placed) == ANSWERS
    assert OutboxItem.objects.filter(state=OutboxState.FAILED).count() == 0
    citizens = Comment.objects.of_citizens()
    assert citizens.count() == 3 * COMMENTS_PER_ACCOUNT
    assert len(set(citizens.values_list("network", "owner_id", "remote_id"))) == citizens.count()
    assert Comment.objects.filter(is_ours=True).count() == ANSWERS
    assert {a.pk for a in accounts} == set(citizens.values_list("account_id", flat=True))
    # The faults did happen where they matter: lost answers of replies and of comment reads.
    lost = fake.lost_answers
    assert lost.get("wall.createComment", 0) > 0 and lost.get("wall.getComments", 0) > 0, lost
    assert lost.get("discussions.addDiscussionComment", 0) > 0, lost
    assert fake.violations == []
    assert fake.server_errors == []
