#!/usr/bin/env python
"""Benchmark of the closed loop: the comment pull, the moderation inbox, approval → reply.

1. **Pull under load** — 20 VK communities × 100 recent posts (``--accounts``, ``--posts``), each
   post with 1–3 citizens' comments, on the contract-enforcing fake (3 requests/s per user token,
   every request over it recorded as a violation). While 20 news items are crossposted to every
   account (4 delivery loops), one pull loop per account (as the per-account pull tasks of the
   workers do) runs until every comment is stored. Reported: wall time, requests, the busiest
   second of any token, violations (target 0), and that crossposting finished.
2. **Inbox** — 100,000 comments (``--inbox``) in PostgreSQL; the «Комментарии» pages requested
   in-process (Django's test client, production settings) as an editor after 3 warm-ups:
   p50/p95 and SQL queries (target p50 ≤ 150 ms, constant queries).
3. **Approval → reply** — a real ``manage.py qcluster`` (ORM broker, idle queue); 20 answers
   approved one at a time (the approval's signal in its transaction, as the workflow sends it);
   from the commit to the reply confirmed by the fake: p50/p95 (target p50 < 5 s).

PostgreSQL at 127.0.0.1:5432, database ``pressoffice_comments_bench`` (dropped and recreated).
Bounded: every wait has a deadline; the worker's process group is stopped on exit.

    .venv/bin/python bench/comments.py
    .venv/bin/python bench/comments.py --accounts 5 --posts 20 --inbox 10000 --answers 5   # smoke

Results: a Markdown summary on stdout and var/bench/comments.json.
"""

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "site"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.fakes.social_server import FakeSocialServer  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "pressoffice_comments_bench"
VAR = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GROUP_BASE = 7000
USER_BASE = 90


def log(message):
    print(message, file=sys.stderr, flush=True)


class TimedFake(FakeSocialServer):
    """The fake, plus the arrival time and token of every VK request."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.arrivals = []

    def _vk_entry(self, req, name):
        token = req.params().get("access_token")
        with self._lock:
            self.arrivals.append((time.monotonic(), token, name))
        return super()._vk_entry(req, name)


def recreate_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def environment(fake, tmp):
    from cryptography.fernet import Fernet

    return {
        "DJANGO_SETTINGS_MODULE": "pressoffice.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "testserver,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SITE_BASE_URL": "http://localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "VK_API_URL": fake.vk_api_url,
        "OK_API_URL": fake.ok_api_url,
        "VK_ID_TOKEN_URL": fake.vk_id_token_url,
        "SOCIAL_TOKENS_KEYS": Fernet.generate_key().decode(),
        "SOCIAL_RATE_LIMIT_DIR": str(tmp / "ratelimit"),
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "PRIVATE_STORAGE_ROOT": str(tmp / "private"),
        "FILE_CACHE_DIR": str(tmp / "cache"),
        "LOG_LEVEL": "WARNING",
        "Q_WORKERS": "2",
    }


def setup(env):
    for name in ("REDIS_URL", "DB_CONN_MAX_AGE"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the admin's manifest


def make_accounts(fake, count):
    from social_sync.models import AccountKind, Network, SocialAccount

    SocialAccount.objects.all().delete()
    accounts = []
    for n in range(count):
        group, token = GROUP_BASE + n, f"bench-comments-token-{n}"
        fake.add_vk_token(token, kind="user", user_id=USER_BASE + n, admin_of=(group,))
        account = SocialAccount(
            network=Network.VK, kind=AccountKind.COMMUNITY, owner_id=str(group), name=f"Группа {n}"
        )
        account.set_secret("access_token", token)
        account.save()
        accounts.append(account)
    return accounts


def busiest_second(arrivals):
    """The most requests of one token within any one second."""
    worst = 0
    by_token = {}
    for t, token, _name in arrivals:
        by_token.setdefault(token, []).append(t)
    for times in by_token.values():
        times.sort()
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            worst = max(worst, end - start + 1)
    return worst


def pull_under_load(fake, args):
    from django.db import close_old_connections

    from newsroom.models import NewsIndexPage, NewsPage
    from social_sync.models import Comment, OutboxItem, OutboxState
    from social_sync.services import comments, delivery

    accounts = make_accounts(fake, args.accounts)
    expected = 0
    for n in range(len(accounts)):
        for p in range(args.posts):
            post = fake.seed_vk_post(-(GROUP_BASE + n), f"Новость {p}")["id"]
            for c in range(1 + (p % 3)):
                fake.seed_vk_comment(
                    -(GROUP_BASE + n), post, f"Вопрос {n}-{p}-{c}", from_id=10_000 + c
                )
                expected += 1
    index = NewsIndexPage.objects.first()
    for n in range(args.crossposts):  # rows to every account, written before the pulls start
        page = index.add_child(
            instance=NewsPage(
                title=f"Новость для соцсетей {n}",
                slug=f"bench-c-{n}",
                lead=f"Короткий лид новости {n}.",
                live=False,
                body=[("paragraph", "<p>Администрация района подвела итоги недели.</p>")],
            )
        )
        page.save_revision().publish()
    rows = OutboxItem.objects.count()
    fake.arrivals.clear()
    started = time.monotonic()
    deadline = started + args.timeout
    errors = []

    def pull_loop(account_id):
        try:
            while time.monotonic() < deadline:
                comments.pull_one(account_id)
                if Comment.objects.filter(account_id=account_id).count() >= expected // len(
                    accounts
                ):
                    return
                time.sleep(0.2)
        except Exception as error:  # noqa: BLE001 - reported
            errors.append(repr(error))
        finally:
            close_old_connections()

    def deliver_loop():
        try:
            while time.monotonic() < deadline and delivery.due_items(limit=1):
                delivery.drain(until_empty=True, max_seconds=30)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver_loop) for _ in range(4)]
    threads += [threading.Thread(target=pull_loop, args=(a.pk,)) for a in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1, deadline - time.monotonic()))
    elapsed = time.monotonic() - started
    methods = Counter(name for _t, _tok, name in fake.arrivals)
    return {
        "accounts": len(accounts),
        "posts_per_account": args.posts,
        "comments_expected": expected,
        "comments_stored": Comment.objects.count(),
        "crosspost_rows": rows,
        "crosspost_done": OutboxItem.objects.filter(state=OutboxState.DONE).count(),
        "seconds": round(elapsed, 1),
        "requests": len(fake.arrivals),
        "requests_by_method": dict(methods),
        "busiest_second_per_token": busiest_second(fake.arrivals),
        "violations": len(fake.violations),
        "posts_on_walls": sum(
            1
            for posts in fake.vk_posts.values()
            for post in posts
            if post["text"].startswith("Новость для")
        ),
        "errors": errors[:5],
    }


def seed_inbox(total, accounts_count=20, posts_per_account=100):
    from django.utils import timezone

    from social_sync.models import Comment, SocialAccount, WatchedPost

    Comment.objects.all().delete()
    accounts = list(SocialAccount.objects.order_by("pk")[:accounts_count])
    posts = []
    now = timezone.now()
    for account in accounts:
        for p in range(posts_per_account):
            posts.append(
                WatchedPost(
                    account=account,
                    remote_id=f"b{p}",
                    text=f"Пост {p}",
                    published_at=now - timezone.timedelta(days=p % 14),
                )
            )
    WatchedPost.objects.bulk_create(posts, ignore_conflicts=True)
    posts = list(WatchedPost.objects.select_related("account"))
    batch = []
    for n in range(total):
        post = posts[n % len(posts)]
        flagged = n % 10 == 0
        batch.append(
            Comment(
                account=post.account,
                post=post,
                network="vk",
                owner_id=post.account.owner_id,
                post_remote_id=post.remote_id,
                remote_id=str(1_000_000 + n),
                author_id=str(20_000 + n % 5000),
                author_name=f"Житель {n % 5000}",
                author_key=f"житель {n % 5000}",
                text=f"Комментарий номер {n}: когда починят дорогу у дома {n % 300}?",
                published_at=now - timezone.timedelta(minutes=n),
                status=("new", "in_work", "done")[n % 3],
                is_flagged=flagged,
                flag_rules=",insult," if flagged else "",
                flags=[{"rule": "insult", "evidence": "дурак"}] if flagged else [],
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    from django.db import connection

    # What autovacuum does on a production server after such a load (this one runs with it off):
    # statistics, and the visibility map that lets counts use the indexes alone.
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE social_sync_comment")


def measure_inbox(requests_per_page):
    from django.contrib.auth.models import Group, User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from social_sync.models import Comment, SocialAccount

    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Редакторы"))
    client = Client()
    client.force_login(editor)
    account = SocialAccount.objects.order_by("pk").first()
    comment = Comment.objects.order_by("-published_at").first()
    pages = {
        "Новые (очередь по умолчанию)": "/admin/social/comments/",
        "Все состояния": "/admin/social/comments/?status=",
        "Отмечены правилами: оскорбления": "/admin/social/comments/?flag=insult",
        "Один аккаунт, новые": f"/admin/social/comments/?account={account.pk}",
        "Все состояния, страница 200": "/admin/social/comments/?status=&p=200",
        "Автор по ID": "/admin/social/comments/?author=20017&status=",
        "Автор по имени": "/admin/social/comments/?author=Житель 17&status=",
        "Страница комментария": f"/admin/social/comments/{comment.pk}/",
    }
    results = {}
    for label, url in pages.items():
        times, queries = [], None
        for n in range(requests_per_page + 3):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                took = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            if n >= 3:
                times.append(took)
                queries = len(captured)
        times.sort()
        results[label] = {
            "url": url,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": queries,
        }
        log(f"  {label}: p50 {results[label]['p50_ms']} ms, {queries} queries")
    return results


def approval_to_reply(fake, env, tmp, answers):
    from django.db import transaction
    from django.utils import timezone

    from newsroom.casework.services import cases
    from newsroom.casework.signals import answer_approved
    from newsroom.models import Answer
    from social_sync.models import OutboxAction, OutboxItem

    group = GROUP_BASE  # the first bench account's wall
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "qcluster"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=open(tmp / "qcluster.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    latencies = []
    try:
        time.sleep(8)  # the cluster starts and its spawn-time sweep finishes
        for n in range(answers):
            post = fake.seed_vk_post(-group, f"Новость для ответа {n}")["id"]
            comment = fake.seed_vk_comment(-group, post, f"Вопрос жителя {n}", from_id=33_000 + n)
            case, _ = cases.register_case(
                {
                    "network": "vk",
                    "url": f"https://vk.com/wall-{group}_{post}?reply={comment}",
                    "text": f"Вопрос жителя {n}",
                    "detected_at": timezone.now(),
                },
                source="bench",
            )
            case.status = "approved"
            case.save(update_fields=["status"])
            answer = Answer.objects.create(
                case=case, text=f"Ответ № {n}", live=True, last_published_at=timezone.now()
            )
            with transaction.atomic():
                answer_approved.send(sender=Answer, answer=answer, case=case)
            committed = time.monotonic()
            deadline = committed + 60
            while time.monotonic() < deadline:
                row = OutboxItem.objects.filter(answer=answer, action=OutboxAction.REPLY).first()
                if row and row.state == "done":
                    latencies.append(time.monotonic() - committed)
                    break
                time.sleep(0.02)
            else:
                raise RuntimeError(f"reply {n} not placed within 60 s; see {tmp / 'qcluster.log'}")
            time.sleep(1.0)  # an idle queue before the next approval
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    latencies.sort()
    return {
        "answers": answers,
        "p50_s": round(statistics.median(latencies), 2),
        "p95_s": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 2),
        "max_s": round(latencies[-1], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--crossposts", type=int, default=20)
    parser.add_argument("--inbox", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    recreate_database()
    VAR.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="bench-comments-") as tmp_name,
        TimedFake(vk_user_rate=3, ok_rate=3, seed=5, lost_response_rate=0) as fake,
    ):
        tmp = Path(tmp_name)
        env = environment(fake, tmp)
        setup(env)
        results = {}
        log("1. pull under load…")
        results["pull"] = pull_under_load(fake, args)
        log(json.dumps(results["pull"], ensure_ascii=False))
        log(f"2. inbox with {args.inbox} comments…")
        seed_inbox(args.inbox)
        results["inbox"] = measure_inbox(args.requests)
        log("3. approval → reply…")
        results["reply"] = approval_to_reply(fake, env, tmp, args.answers)
        log(json.dumps(results["reply"], ensure_ascii=False))
    (VAR / "comments.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
