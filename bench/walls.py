#!/usr/bin/env python
"""Benchmark: reading back the walls of 20 accounts for the posting norms while crossposting runs.

20 accounts (``--accounts``) in turn VK communities, OK groups and MAX channels, each with posts
made by hand on its wall (``--hand-posts``, within the last days). While ``--items`` news items
are crossposted to every account (4 delivery loops), one read loop per account runs the regular
wall read (``comments.pull_one``, the wall alone: ``take_comments`` off) ``--reads`` times. The
fakes enforce the documented limits — VK 3 requests/s per user token, OK's limit as configured
(``--ok-rate``), MAX 30 requests/s per token — and record every request over them.

Reported: wall time, requests per network, the busiest second of any token, violations counted
by the fakes (target 0), that crossposting finished, and that the content calendar then counts
every post once (hand-made plus ours) for every account.

PostgreSQL at 127.0.0.1:5432 (``BENCH_PG_URL``), database ``pressoffice_walls_bench`` (dropped
and recreated). Bounded by ``--timeout``.

    .venv/bin/python bench/walls.py
    .venv/bin/python bench/walls.py --accounts 6 --items 5 --reads 2   # smoke

Results: a Markdown summary on stdout and var/bench/walls.json.
"""

import argparse
import json
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from bench._pg import recreate_database, setup_django  # noqa: E402
from bench.comments import busiest_second  # noqa: E402
from tests.fakes.messenger_server import FakeMessengerServer  # noqa: E402
from tests.fakes.social_server import FakeSocialServer  # noqa: E402

DB_NAME = "pressoffice_walls_bench"
VAR = ROOT / "var" / "bench"
VK_GROUP_BASE = 8100
OK_GID_BASE = 70000000008100
MAX_CHAT_BASE = -72000000008100


def log(message):
    print(message, file=sys.stderr, flush=True)


class CountingSocial(FakeSocialServer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.arrivals = []

    def _vk_entry(self, req, name):
        with self._lock:
            self.arrivals.append(
                (time.monotonic(), "vk:" + str(req.params().get("access_token")), name)
            )
        return super()._vk_entry(req, name)

    def _ok_entry(self, req):
        with self._lock:
            token = req.params().get("access_token")
            self.arrivals.append((time.monotonic(), f"ok:{token}", req.params().get("method")))
        return super()._ok_entry(req)


class CountingMessenger(FakeMessengerServer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.arrivals = []

    def _max(self, request, path):
        with self._lock:
            token = request.headers.get("Authorization")
            self.arrivals.append((time.monotonic(), f"max:{token}", f"{request.verb} {path}"))
        return super()._max(request, path)


def make_accounts(social, messenger, count, hand_posts):
    from django.conf import settings

    from social_sync.models import AccountKind, Network, SocialAccount
    from tests.fakes.social_server import OK_DEFAULT_APP_KEY, OK_DEFAULT_APP_SECRET

    SocialAccount.objects.all().delete()
    now = time.time()
    accounts = []
    for n in range(count):
        network = (Network.VK, Network.OK, Network.MAX)[n % 3]
        account = SocialAccount(
            network=network,
            kind=AccountKind.COMMUNITY,
            name=f"Аккаунт {n}",
            take_comments=False,  # the wall alone: what the norms need
            weekly_norm=5,
        )
        token = f"walls-bench-{network}-{n}"
        if network == Network.VK:
            group = VK_GROUP_BASE + n
            social.add_vk_token(token, kind="user", user_id=500 + n, admin_of=(group,))
            account.owner_id = str(group)
            for p in range(hand_posts):
                social.seed_vk_post(-group, f"Пост вручную {p}", date=now - 3600 * (p + 1))
        elif network == Network.OK:
            gid = OK_GID_BASE + n
            social.add_ok_token(token, user_id=600 + n, admin_of=(gid,))
            account.owner_id = str(gid)
            account.ok_application_key = OK_DEFAULT_APP_KEY
            account.set_secret("ok_application_secret", OK_DEFAULT_APP_SECRET)
            for p in range(hand_posts):
                social.seed_ok_topic(
                    gid,
                    [{"type": "text", "text": f"Пост вручную {p}"}],
                    created_ms=int((now - 3600 * (p + 1)) * 1000),
                )
        else:
            chat = MAX_CHAT_BASE - n
            messenger.add_max_bot(token, channels=(chat,))
            account.owner_id = str(chat)
            for p in range(hand_posts):
                messenger.seed_max_message(
                    chat, f"Пост вручную {p}", timestamp_ms=int((now - 3600 * (p + 1)) * 1000)
                )
        account.set_secret("access_token", token)
        account.save()
        accounts.append(account)
    assert settings.SOCIAL_RATE_VK_USER == 3
    return accounts


def publish_items(count):
    from newsroom.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.first()
    for n in range(count):
        page = index.add_child(
            instance=NewsPage(
                title=f"Новость для соцсетей {n}",
                slug=f"walls-bench-{n}",
                lead=f"Короткий лид новости {n}.",
                live=False,
                main_image=None,
            )
        )
        page.save_revision().publish()


def run(args, social, messenger):
    from django.db import close_old_connections
    from django.utils import timezone

    from social_sync import content_calendar
    from social_sync.models import OutboxItem, OutboxState, WatchedPost
    from social_sync.services import comments, delivery

    accounts = make_accounts(social, messenger, args.accounts, args.hand_posts)
    publish_items(args.items)
    rows = OutboxItem.objects.count()
    social.arrivals.clear()
    messenger.arrivals.clear()
    started = time.monotonic()
    deadline = started + args.timeout
    errors, reads_done = [], Counter()

    def read_loop(account_id):
        try:
            for _read in range(args.reads):
                if time.monotonic() >= deadline:
                    return
                outcome = comments.pull_one(account_id)
                if "error" in outcome:
                    errors.append(f"{account_id}: {outcome}")
                reads_done[account_id] += 1
                time.sleep(args.pause)
        except Exception:  # noqa: BLE001 - reported
            errors.append(traceback.format_exc()[-600:])
        finally:
            close_old_connections()

    def deliver_loop():
        try:
            while time.monotonic() < deadline and delivery.due_items(limit=1):
                delivery.drain(until_empty=True, max_seconds=30)
        except Exception:  # noqa: BLE001
            errors.append(traceback.format_exc()[-600:])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver_loop) for _ in range(4)]
    threads += [threading.Thread(target=read_loop, args=(a.pk,)) for a in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1, deadline - time.monotonic()))
    elapsed = time.monotonic() - started
    crossposting_done = OutboxItem.objects.filter(state=OutboxState.DONE).count()
    # One more read of each wall after crossposting, as the next scheduled read would do.
    for account in accounts:
        comments.pull_one(account.pk)
    arrivals = social.arrivals + messenger.arrivals
    monday = content_calendar.monday_of(timezone.localdate())
    weeks = content_calendar.week_of(monday)
    hand_this_week = {}
    week_start = content_calendar.week_bounds(monday, timezone.get_default_timezone())[0]
    for account in accounts:
        hand_this_week[account.pk] = sum(
            1
            for post in WatchedPost.objects.filter(account=account, published_at__gte=week_start)
            if post.text.startswith("Пост вручную")
        )
    mismatches = {
        week.account.name: (
            week.posted,
            hand_this_week[week.account.pk] + args.items,
            sorted(
                (e.title[:24], e.by_hand, e.url[-30:], str(e.at))
                for day in week.days
                for e in day
                if e.kind == "posted" and "Новость" in e.title
            ),
        )
        for week in weeks
        if week.posted != hand_this_week[week.account.pk] + args.items
    }
    by_network = Counter(token.split(":")[0] for _t, token, _n in arrivals)
    busiest = {
        network: busiest_second([a for a in arrivals if a[1].startswith(network + ":")])
        for network in by_network
    }
    reads = Counter(
        name for _t, _token, name in arrivals if name in ("wall.get", "stream.get", "GET /messages")
    )
    return {
        "accounts": len(accounts),
        "hand_posts_per_account": args.hand_posts,
        "items": args.items,
        "crosspost_rows": rows,
        "crosspost_done": crossposting_done,
        "reads_per_account": args.reads,
        "reads_done": sum(reads_done.values()),
        "seconds": round(elapsed, 1),
        "requests": len(arrivals),
        "requests_by_network": dict(by_network),
        "read_requests": dict(reads),
        "busiest_second_per_token": busiest,
        "limits_per_second": {"vk": 3, "ok": args.ok_rate, "max": 30},
        "violations": len(social.violations) + len(messenger.violations),
        "calendar_counts_every_post_once": not mismatches,
        "calendar_mismatches": mismatches,
        # For an account counted wrong: its requests in order (seconds from the start).
        "calls_of_mismatched": {
            name: [
                (round(t - started, 3), n)
                for t, token, n in arrivals
                if token.endswith(f"-{name.split()[-1]}")
            ]
            for name in mismatches
        },
        "errors": errors[:5],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--hand-posts", type=int, default=30)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--reads", type=int, default=5)
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--ok-rate", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    recreate_database(DB_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        from cryptography.fernet import Fernet

        os.environ.update(
            SOCIAL_TOKENS_KEYS=Fernet.generate_key().decode(),
            SOCIAL_RATE_LIMIT_DIR=str(Path(tmp) / "ratelimit"),
            MEDIA_ROOT=str(Path(tmp) / "media"),
            FILE_CACHE_DIR=str(Path(tmp) / "cache"),
            SITE_BASE_URL="https://press.example.ru",
        )
        with (
            CountingSocial(seed=3, vk_user_rate=3, ok_rate=args.ok_rate) as social,
            CountingMessenger(seed=3, max_per_second=30) as messenger,
        ):
            os.environ.update(
                VK_API_URL=social.vk_api_url,
                OK_API_URL=social.ok_api_url,
                VK_ID_TOKEN_URL=social.vk_id_token_url,
                MAX_API_URL=messenger.max_api_url,
                TELEGRAM_API_URL=messenger.telegram_api_url,
                SOCIAL_RATE_OK=str(args.ok_rate),
            )
            setup_django(DB_NAME, "walls-static")
            from django.core.management import call_command

            log("migrate + demo content…")
            call_command("migrate", verbosity=0)
            call_command("load_demo_content", verbosity=0)
            log("crossposting and reading the walls…")
            result = run(args, social, messenger)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "walls.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print("| Figure | Value |\n| --- | --- |")
    for key, value in result.items():
        print(f"| {key} | {value} |")
    ok = (
        result["violations"] == 0
        and result["crosspost_done"] == result["crosspost_rows"]
        and result["calendar_counts_every_post_once"]
        and not result["errors"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
