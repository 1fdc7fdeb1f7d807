"""A django-q2 worker killed with SIGKILL in the middle of crossposting, then started again:
nothing is lost and nothing is posted twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

import pytest
from cryptography.fernet import Fernet
from django_q.tasks import async_task

from social_sync import crypto
from social_sync.models import OutboxItem, OutboxState
from tests import factories
from tests.fakes.social_server import FakeSocialServer
from tests.social_sync.helpers import (
    VK_ADMIN_TOKEN,
    VK_GROUP,
    VK_HEAD_TOKEN,
    VK_HEAD_USER,
    ok_group,
    point_settings_at,
    publish,
    vk_community,
    vk_head_page,
)

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 30
ANSWERS = 100  # issue 12's fault run: 100 approved answers, 300 comments, three accounts
ACCOUNTS = 3
# The worker process sees only committed data; the data migrations' rows (locale, root page,
# groups) are restored after an earlier transactional test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


class Worker:
    """``manage.py qcluster`` in its own process group, as production runs it."""

    def __init__(self, env, log_path):
        self.env, self.log_path, self.process = env, log_path, None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def posts_on(fake):
    return sum(map(len, fake.vk_posts.values())) + sum(map(len, fake.ok_topics.values()))


def worker_env(settings, fake, key, tmp_path):
    """The environment of a ``qcluster`` process that reaches the same database and fake."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressoffice.settings.dev",
        "SECRET_KEY": settings.SECRET_KEY,  # tasks queued here are signed with it
        "DATABASE_URL": database_url(),
        "SOCIAL_TOKENS_KEYS": key,
        "VK_API_URL": fake.vk_api_url,
        "OK_API_URL": fake.ok_api_url,
        "VK_ID_TOKEN_URL": fake.vk_id_token_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SOCIAL_RATE_LIMIT_DIR": str(tmp_path / "ratelimit"),
        "SOCIAL_RETRY_BASE_SECONDS": "1",
        "SOCIAL_CLIENT_BACKOFF": "0.05",
        # Requests reach the in-process fake late on a loaded machine; see test_faults.py.
        "SOCIAL_RATE_MARGIN": "0.25",
        "Q_WORKERS": "2",
        "REDIS_URL": "",
        # Its own cache: Wagtail keeps the sites' root paths there, and a developer's
        # var/cache holds those of another database.
        "FILE_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("DJANGO_DEBUG", None)
    return env


def dispatch():
    """What the minute schedule does, queued for the worker now instead of in a minute."""
    async_task("social_sync.tasks.dispatch_due", sync=False)


def test_a_killed_worker_neither_loses_nor_repeats_a_post(
    site_tree, settings, tmp_path, monkeypatch
):
    key = Fernet.generate_key().decode()
    settings.SOCIAL_TOKENS_KEYS = [key]
    crypto._fernet.cache_clear()
    # Latency makes sure the kill lands while requests are in flight: the fake then applies a
    # post whose answer nobody receives.
    with FakeSocialServer(seed=11, vk_user_rate=3, ok_rate=3, latency=(0.05, 0.25)) as fake:
        fake.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        fake.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
        point_settings_at(settings, fake)
        vk_community(), vk_head_page(), ok_group()
        # Published while the worker is down: the rows wait in the outbox (this process would
        # otherwise deliver them itself, the test settings running tasks synchronously).
        monkeypatch.setattr("social_sync.tasks.enqueue_deliveries", lambda ids: None)
        pages = [
            publish(
                factories.NewsPageFactory(parent=site_tree.news_index, live=False, main_image=None)
            )
            for _ in range(ITEMS)
        ]
        assert OutboxItem.objects.filter(state=OutboxState.PENDING).count() == ITEMS * ACCOUNTS

        env = worker_env(settings, fake, key, tmp_path)
        worker = Worker(env, tmp_path / "qcluster.log")
        try:
            worker.start()
            dispatch()
            wait_for(lambda: posts_on(fake) >= ITEMS, 120, "the first third of the posts")
            worker.kill()
            interrupted = OutboxItem.objects.filter(state=OutboxState.SENDING).count()
            assert interrupted > 0, "the kill should have caught deliveries in flight"

            worker.start()
            dispatch()
            wait_for(
                lambda: not OutboxItem.objects.exclude(state=OutboxState.DONE).exists(),
                180,
                "every row to be delivered after the restart",
            )
        except AssertionError:
            print(worker.log_path.read_text(errors="replace")[-5000:])
            raise
        finally:
            worker.stop()

        for page in pages:
            assert fake.posts_with_link(page.get_full_url()) == {"vk": 2, "ok": 1}, page.title
        assert posts_on(fake) == ITEMS * ACCOUNTS
        assert fake.violations == [], fake.violations
        assert fake.server_errors == []


def test_a_killed_worker_neither_loses_nor_repeats_a_reply_or_a_comment(
    site_tree, settings, tmp_path, monkeypatch
):
    """Replies to 100 approved answers and the comment pull through 30% faults and lost answers,
    with the worker killed mid-way."""
    from newsroom.models import Case
    from social_sync.models import Comment
    from tests.social_sync.test_loop_faults import approve, seed_ok, seed_vk

    key = Fernet.generate_key().decode()
    settings.SOCIAL_TOKENS_KEYS = [key]
    crypto._fernet.cache_clear()
    with FakeSocialServer(
        seed=12, vk_user_rate=3, ok_rate=3, latency=(0.05, 0.25), transient_rate=0.3
    ) as fake:
        fake.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        fake.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
        point_settings_at(settings, fake)
        vk_community(), vk_head_page(), ok_group()
        monkeypatch.setattr("social_sync.tasks.enqueue_deliveries", lambda ids: None)
        targets = [
            seed_vk(fake, -VK_GROUP, 100_000),
            seed_vk(fake, VK_HEAD_USER, 200_000),
            seed_ok(fake),
        ]
        answers = [approve(targets[n % 3][n // 3], n) for n in range(ANSWERS)]

        env = worker_env(settings, fake, key, tmp_path)
        worker = Worker(env, tmp_path / "qcluster.log")

        def placed():
            texts = [
                c["text"]
                for cs in fake.vk_comments.values()
                for c in cs
                if c["from_id"] in (-VK_GROUP, VK_HEAD_USER)
            ]
            return texts + [
                c["text"] for cs in fake.ok_comments.values() for c in cs if c.get("as_admin")
            ]

        try:
            worker.start()
            dispatch()
            async_task("social_sync.tasks.pull_comments", sync=False)
            wait_for(lambda: len(placed()) >= ANSWERS // 3, 120, "a third of the replies")
            worker.kill()
            assert OutboxItem.objects.exclude(state=OutboxState.DONE).exists(), "killed too late"
            worker.start()
            dispatch()
            wait_for(
                lambda: not OutboxItem.objects.exclude(state=OutboxState.DONE).exists(),
                180,
                "every reply after the restart",
            )
            # What the schedule does every few minutes, every 15 s here: a pull that a run of
            # faults cut short goes on at the next one.
            deadline = time.monotonic() + 240
            while Comment.objects.filter(is_ours=False).count() < 300:
                assert time.monotonic() < deadline, "timed out waiting for every comment"
                async_task("social_sync.tasks.pull_comments", sync=False)
                pause = time.monotonic() + 15
                while (
                    time.monotonic() < pause and Comment.objects.filter(is_ours=False).count() < 300
                ):
                    time.sleep(0.5)
        except AssertionError:
            print(worker.log_path.read_text(errors="replace")[-5000:])
            raise
        finally:
            worker.stop()

        texts = placed()
        assert fake.lost_answers, "the faults should have lost some answers"
        for answer in answers:
            assert texts.count(answer.text) == 1, answer.text
            assert Case.objects.get(pk=answer.case_id).answered_at is not None
        assert len(texts) == ANSWERS
        citizens = Comment.objects.filter(is_ours=False)
        assert len(set(citizens.values_list("network", "owner_id", "remote_id"))) == 300
        assert fake.violations == [], fake.violations
        assert fake.server_errors == []
