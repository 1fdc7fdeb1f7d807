"""Comments taken in from the fake VK and OK: once each, incrementally (a quiet post costs no
request), threads longer than VK inlines, our own replies recognised, rules on arrival, the
request budget, and crossposting first."""

import pytest

from social_sync.models import Comment, CommentStatus, ModerationEvent, RemoteState, WatchedPost
from social_sync.services import comments
from tests.fakes.social_server import OK_DEFAULT_GID
from tests.social_sync.factories import OutboxItemFactory
from tests.social_sync.helpers import VK_GROUP, ok_group, vk_community

pytestmark = pytest.mark.django_db

WALL = -VK_GROUP


def calls_of(fake, method):
    return [c for c in fake.calls if method in str(c)]


def test_comments_and_threads_are_stored_once_with_their_place_in_the_thread(fake):
    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость о ремонте дорог")["id"]
    root = fake.seed_vk_comment(WALL, post, "Когда отремонтируют Ленина?", from_id=501)
    replies = [
        fake.seed_vk_comment(
            WALL, post, f"Поддерживаю, ответ № {n}", from_id=600 + n, reply_to_comment=root
        )
        for n in range(14)  # more than the 10 VK shows inline
    ]
    ours = fake.seed_vk_comment(WALL, post, "Ремонт в мае.", from_id=WALL, reply_to_comment=root)

    outcome = comments.pull_account(account)

    assert outcome["stored"] == 16
    stored = Comment.objects.filter(account=account)
    assert stored.count() == 16
    first = stored.get(remote_id=str(root))
    assert first.thread_root_id == "" and first.author_id == "501"
    assert first.author_name  # from the profiles VK returns with extended=1
    last = stored.get(remote_id=str(replies[-1]))
    assert last.thread_root_id == str(root) and last.reply_to_id == str(root)
    mine = stored.get(remote_id=str(ours))
    assert mine.is_ours and mine.status == CommentStatus.DONE
    assert Comment.objects.of_citizens().count() == 15
    assert last.url.endswith(f"?reply={replies[-1]}")

    again = comments.pull_account(account)
    assert again["stored"] == 0
    assert Comment.objects.count() == 16


def test_a_quiet_post_costs_no_request_and_a_new_reply_in_an_old_thread_is_found(fake):
    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    root = fake.seed_vk_comment(WALL, post, "Вопрос", from_id=501)
    for n in range(12):
        fake.seed_vk_comment(WALL, post, f"ответ {n}", from_id=700 + n, reply_to_comment=root)
    comments.pull_account(account)
    before = len(calls_of(fake, "wall.getComments"))

    comments.pull_account(account)
    assert len(calls_of(fake, "wall.getComments")) == before  # the wall says nothing changed

    late = fake.seed_vk_comment(WALL, post, "И у нас тоже!", from_id=801, reply_to_comment=root)
    outcome = comments.pull_account(account)
    assert outcome["stored"] == 1
    assert Comment.objects.get(remote_id=str(late)).thread_root_id == str(root)


def test_posts_older_than_the_age_limit_are_not_read(fake, settings):
    settings.COMMENTS_POST_MAX_AGE_DAYS = 3
    account = vk_community()
    old = fake.seed_vk_post(WALL, "Старая новость", date=fake.now() - 5 * 86400)["id"]
    fake.seed_vk_comment(WALL, old, "Старый комментарий", from_id=501)
    fresh = fake.seed_vk_post(WALL, "Свежая новость")["id"]
    fake.seed_vk_comment(WALL, fresh, "Свежий комментарий", from_id=502)

    comments.pull_account(account)

    assert list(Comment.objects.values_list("text", flat=True)) == ["Свежий комментарий"]
    assert not WatchedPost.objects.filter(remote_id=str(old)).exists()


def test_a_post_from_our_outbox_is_linked_to_its_page(fake, site_tree):
    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость с сайта")["id"]
    OutboxItemFactory(account=account, page=site_tree.news_index, done=True, remote_id=str(post))
    fake.seed_vk_comment(WALL, post, "Хорошая новость", from_id=501)

    comments.pull_account(account)

    assert WatchedPost.objects.get(remote_id=str(post)).page_id == site_tree.news_index.pk


def test_the_pull_stops_at_its_request_budget_and_goes_on_next_time(fake):
    account = vk_community()
    for n in range(6):
        post = fake.seed_vk_post(WALL, f"Новость {n}")["id"]
        fake.seed_vk_comment(WALL, post, f"Комментарий {n}", from_id=500 + n)

    first = comments.pull_account(account, max_calls=4)
    assert first["stopped"] == "budget" and first["calls"] == 4
    assert Comment.objects.count() == 3  # wall.get + three posts
    comments.pull_account(account, max_calls=100)
    assert Comment.objects.count() == 6
    assert fake.violations == []


def test_crossposting_waiting_on_the_account_goes_first(fake):
    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    fake.seed_vk_comment(WALL, post, "Комментарий", from_id=501)
    OutboxItemFactory(account=account)  # due now

    outcome = comments.pull_account(account)

    assert outcome["stopped"] == "crossposting"
    assert Comment.objects.count() == 0


def test_ok_comments_are_read_from_the_anchor_on(fake):
    account = ok_group()
    topic = fake.seed_ok_topic(OK_DEFAULT_GID, [{"type": "text", "text": "Новость в ОК"}])
    first = fake.seed_ok_comment(topic, "Вопрос про отопление", author_id=901)
    fake.seed_ok_comment(topic, "Мне тоже интересно", author_id=902, reply_to_comment_id=first)

    assert comments.pull_account(account)["stored"] == 2
    reply = Comment.objects.get(author_id="902")
    assert reply.thread_root_id == first and reply.url.endswith(f"?commentId={reply.remote_id}")
    post = WatchedPost.objects.get(account=account)
    assert post.cursor

    fake.seed_ok_comment(topic, "Новый вопрос", author_id=903)
    assert comments.pull_account(account)["stored"] == 1
    assert Comment.objects.count() == 3


def test_rules_flag_or_hide_on_arrival_as_the_account_says(fake):
    account = vk_community(rule_obscenity="hide", rule_insult="flag", rule_spam="off")
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    rude = fake.seed_vk_comment(WALL, post, "Опять х у й н я с дорогами", from_id=501)
    fake.seed_vk_comment(WALL, post, "Вы там все дебилы?", from_id=502)
    fake.seed_vk_comment(WALL, post, "Казино, пиши в лс", from_id=503)
    fake.seed_vk_comment(WALL, post, "Спасибо за ремонт", from_id=504)

    outcome = comments.pull_account(account)

    assert outcome["flagged"] == 2
    hidden = Comment.objects.get(remote_id=str(rude))
    assert hidden.remote_state == RemoteState.HIDDEN and hidden.hidden_by_rule
    assert [c["id"] for c in fake.vk_deleted_comments] == [rude]
    insult = Comment.objects.get(author_id="502")
    assert insult.is_flagged and insult.remote_state == RemoteState.VISIBLE
    assert insult.flag_rules == ",insult,"
    assert not Comment.objects.get(author_id="503").is_flagged  # spam rule off
    log = ModerationEvent.objects.filter(comment=hidden).order_by("pk")
    assert [(e.action, e.actor_id, e.rule) for e in log] == [
        ("flagged", None, "obscenity"),
        ("hidden", None, "obscenity"),
    ]
    assert log[1].comment_text == "Опять х у й н я с дорогами"


def test_a_comment_removed_by_a_rule_and_a_new_one_are_not_taken_for_no_change(fake):
    """The rules removed one comment, one new arrived: the post's count is the same as at the
    last read, yet the new comment is read."""
    account = vk_community(rule_obscenity="hide")
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    fake.seed_vk_comment(WALL, post, "Спасибо за ремонт", from_id=504)
    fake.seed_vk_comment(WALL, post, "Опять х у й н я с дорогами", from_id=501)
    comments.pull_account(account)
    assert len(fake.vk_deleted_comments) == 1
    late = fake.seed_vk_comment(WALL, post, "А когда дойдут до нашей улицы?", from_id=505)
    assert comments.pull_account(account)["stored"] == 1
    assert Comment.objects.filter(remote_id=str(late)).exists()


def test_a_moderators_removal_keeps_the_count_the_pull_expects(fake):
    from newsroom import roles
    from social_sync.services import moderation
    from tests.factories import UserFactory

    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    first = fake.seed_vk_comment(WALL, post, "Реклама: займы онлайн", from_id=501)
    comments.pull_account(account)
    editor = UserFactory(username="intake-editor", groups=[roles.EDITORS])
    moderation.hide(Comment.objects.get(remote_id=str(first)), editor, "реклама")
    late = fake.seed_vk_comment(WALL, post, "Когда уберут снег?", from_id=502)
    assert comments.pull_account(account)["stored"] == 1
    assert Comment.objects.filter(remote_id=str(late)).exists()


def test_a_quiet_post_is_read_again_after_the_recheck_time(fake, settings):
    """Someone removed a comment by hand on the network and a new one came: nothing tells,
    so a quiet post is read again once the recheck time has passed."""
    import datetime as dt

    from django.utils import timezone

    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    fake.seed_vk_comment(WALL, post, "Вопрос", from_id=501)
    comments.pull_account(account)
    before = len(calls_of(fake, "wall.getComments"))
    comments.pull_account(account)
    assert len(calls_of(fake, "wall.getComments")) == before
    later = timezone.now() + dt.timedelta(minutes=settings.COMMENTS_RECHECK_MINUTES + 1)
    comments.pull_account(account, now=later)
    assert len(calls_of(fake, "wall.getComments")) == before + 1


def test_the_same_text_from_many_authors_is_spam(fake):
    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    for n in range(3):
        fake.seed_vk_comment(WALL, post, "Все сюда!!! Смотрите что творится", from_id=510 + n)

    comments.pull_account(account)

    flagged = Comment.objects.filter(is_flagged=True)
    assert list(flagged.values_list("author_id", flat=True)) == ["512"]


def test_an_account_on_hold_is_not_pulled(fake):
    account = vk_community()
    account.credentials_problem = "Токен отозван."
    account.save()
    fake.seed_vk_post(WALL, "Новость")

    assert comments.pull_all() == {}
    assert fake.calls == []


def test_a_revoked_token_puts_the_account_on_hold(fake):
    account = vk_community()
    fake.seed_vk_post(WALL, "Новость")
    fake.fail_next("wall.get", 5)

    outcome = comments.pull_all()

    assert outcome[account.pk] == {"error": 5}
    account.refresh_from_db()
    assert account.credentials_problem


def test_the_schedule_pulls_each_account_in_its_own_task_one_worker_at_a_time(fake):
    from django.core.cache import cache

    from social_sync import tasks

    account = vk_community()
    post = fake.seed_vk_post(WALL, "Новость")["id"]
    fake.seed_vk_comment(WALL, post, "Комментарий", from_id=501)
    cache.add(f"social_sync:pulling:{account.pk}", 1, 60)  # another worker is at it

    assert comments.pull_one(account.pk) == {"skipped": "already pulling"}
    assert Comment.objects.count() == 0

    cache.delete(f"social_sync:pulling:{account.pk}")
    assert tasks.pull_comments() == {"accounts": 1}  # tasks run synchronously in tests
    assert Comment.objects.count() == 1


def test_a_quiet_wall_costs_a_constant_number_of_queries(fake, django_assert_max_num_queries):
    account = vk_community()
    for n in range(30):
        post = fake.seed_vk_post(WALL, f"Новость {n}")["id"]
        fake.seed_vk_comment(WALL, post, f"Комментарий {n}", from_id=500 + n)
    comments.pull_account(account)

    # Nothing new on the wall: the posts are not rewritten, no post is read.
    with django_assert_max_num_queries(8):
        outcome = comments.pull_account(account)
    assert outcome["stored"] == 0 and outcome["calls"] == 1
