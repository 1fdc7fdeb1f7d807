#!/usr/bin/env python
"""Fault run at the edge of the networks: VK, OK, Telegram and MAX together, through real workers.

The contract-enforcing fakes (tests/fakes) answer ~30% of requests with a fault (``--faults``):
HTTP 5xx, VK/OK error codes, connections closed before the request is applied, and lost answers
(~5% of requests, ``--lost``: applied, then HTTP 500, a cut body or the connection closed). Every
request over a network's limit — per token for VK and OK, per chat for Telegram (an album's
photos count as messages) and MAX — is recorded by the fake as a violation. MAX refuses a fresh
upload as «attachment.not.ready» for ``--not-ready`` seconds.

1. **Posts** — ``--items`` news items (every fourth with two photos) to four accounts: a VK
   community, an OK group, a Telegram channel and a MAX channel. The items are published with no
   worker running; then ``manage.py qcluster`` starts (ORM broker, ``Q_WORKERS=4``) and, once the
   Telegram channel is waiting for its rate window (20 messages a minute), the whole cluster is
   killed with SIGKILL (after ``--kill-after`` seconds at the latest) and started again two
   seconds later. Reported: seconds from the restart
   until every row is done (or parked for a person), duplicates on every network, violations, and
   every parked «Проверить канал» row with what is really behind it on the network.
2. **Comments and replies** — a citizen's comment under every VK and OK post; the accounts'
   comment pulls run (under the same faults) until every comment is in «Комментарии»; then an
   answer to each from the inbox, delivered by the cluster; then two more pulls. Reported: missed
   comments, replies placed more than once, our replies taken for citizens' comments.

PostgreSQL at 127.0.0.1:5432, database ``pressoffice_edge_bench`` (dropped and recreated).
Bounded: every wait has a deadline; the cluster's process group is killed on exit.

    .venv/bin/python bench/edge.py                 # 40 items, ~5 minutes
    .venv/bin/python bench/edge.py --items 12      # smoke run

Results: a Markdown summary on stdout and var/bench/edge.json.
"""

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "site"), str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import social  # noqa: E402  (bench/social.py: site, environment, workers)

from tests.fakes.messenger_server import FakeMessengerServer  # noqa: E402

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pressoffice_edge_bench"
VAR = ROOT / "var" / "bench"
TG_TOKEN = "7100001:bench-telegram-bot"
TG_CHANNEL = "@bench_rajona"
MAX_TOKEN = "bench-max-bot-token"
MAX_CHAT = -72000000000777
WORKERS = 4


def log(message):
    print(message, file=sys.stderr, flush=True)


def fakes(args):
    lost_share = min(1.0, args.lost / args.faults) if args.faults else 0.0
    network = social.TimedFakeSocialServer(
        vk_user_rate=3, ok_rate=3, seed=args.seed, transient_rate=args.faults,
        lost_response_rate=lost_share,
    )  # fmt: skip
    network.start()
    network.add_vk_token(
        social.VK_ADMIN_TOKEN,
        kind="user",
        user_id=social.VK_ADMIN_USER,
        admin_of=(social.VK_GROUP,),
    )
    messengers = FakeMessengerServer(
        seed=args.seed, transient_rate=args.faults, lost_response_rate=lost_share,
        not_ready_seconds=args.not_ready,
    )  # fmt: skip
    messengers.start()
    messengers.add_telegram_bot(TG_TOKEN, channels=(TG_CHANNEL,))
    messengers.add_max_bot(MAX_TOKEN, channels=(MAX_CHAT,))
    return network, messengers


def environment(args, tmp, network, messengers):
    options = argparse.Namespace(
        rate=3, workers=WORKERS, margin=None, trace_limiter=False, redis_url=""
    )
    env = social.bench_env(options, tmp, network, DATABASE_URL)
    for name in ("SOCIAL_RATE_VK_USER", "SOCIAL_RATE_OK"):
        env.pop(name)  # the settings' defaults are what is measured
    env.update(TELEGRAM_API_URL=messengers.telegram_api_url, MAX_API_URL=messengers.max_api_url)
    return env


def build_accounts():
    from social_sync.models import AccountKind, Network, SocialAccount

    index, (vk, _head, ok) = social.build_site()
    _head.delete()  # four accounts: one of each network
    accounts = {"vk": vk, "ok": ok}
    for network, owner, token, name in (
        (Network.TELEGRAM, TG_CHANNEL, TG_TOKEN, "Канал в Telegram"),
        (Network.MAX, str(MAX_CHAT), MAX_TOKEN, "Канал в MAX"),
    ):
        account = SocialAccount(
            network=network, kind=AccountKind.COMMUNITY, owner_id=owner, name=name
        )
        account.set_secret("access_token", token)
        account.save()
        accounts[network] = account
    return index, accounts


def publish(index, count):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    pages = []
    for n in range(count):
        page = social.publish_item(index, n, "edge")
        if n % 4 == 3:  # two photos: an album in Telegram, two images on the other networks
            images = [
                Image.objects.create(title=f"Фото {n}-{k}", file=get_test_image_file())
                for k in range(2)
            ]
            page.body = [("gallery", {"title": "", "images": [
                {"image": image, "caption": ""} for image in images
            ]})]  # fmt: skip
            page.save_revision().publish()
        pages.append(page)
    return pages


def unfinished():
    from social_sync.models import OutboxItem, OutboxState

    return OutboxItem.objects.filter(state__in=[OutboxState.PENDING, OutboxState.SENDING])


def wait_for(condition, deadline, what):
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.25)
    raise social.BenchError(f"{what}: not within the deadline")


def kill(workers):
    """SIGKILL to the whole cluster: no task ends, no lease is given back."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(workers.pgid, signal.SIGKILL)
    for proc in workers.procs:
        with contextlib.suppress(Exception):
            proc.wait(timeout=10)
    workers.procs = []


def duplicates(network, messengers, pages):
    """Posts of each page per network beyond the first (a post is counted once however many
    times its text and its link block name the page; the pages' addresses, zero-padded and
    ending in «/», are never a prefix of one another)."""
    urls = [page.get_full_url() for page in pages]
    posts = {
        "vk": [json.dumps(p, ensure_ascii=False) for p in network.vk_posts.get(-social.VK_GROUP, [])],
        "ok": [
            json.dumps(topic, ensure_ascii=False)
            for topics in network.ok_topics.values()
            for topic in topics
        ],
    }  # fmt: skip
    extra = {}
    for name, texts in posts.items():
        extra[name] = sum(max(0, sum(1 for text in texts if url in text) - 1) for url in urls)
    for name, chat in (("telegram", TG_CHANNEL), ("max", MAX_CHAT)):
        extra[name] = sum(max(0, count - 1) for count in messengers.sent(chat).values())
    return extra


def parked_rows(messengers, network):
    """Rows parked for a person, and whether the post they ask about is really there."""
    from social_sync.models import UNKNOWN_OUTCOME, OutboxItem, OutboxState

    sent_without_answer = {
        link.rstrip('.,)"\\}]')
        for _method, links in messengers.inconclusive_sends
        for link in links
    }
    rows = []
    for row in OutboxItem.objects.filter(state=OutboxState.FAILED).select_related("account"):
        url = row.page.get_full_url() if row.page_id else ""
        chat = TG_CHANNEL if row.account.network == "telegram" else MAX_CHAT
        on_network = (
            messengers.sent(chat).get(url, 0)
            if row.account.network in ("telegram", "max")
            else None
        )
        rows.append(
            {
                "network": row.account.network,
                "unknown_outcome": row.last_error_code == UNKNOWN_OUTCOME,
                "post_exists": on_network,
                # A send of this page that got no conclusive answer (5xx, closed, lost).
                "traced_to_inconclusive_send": bool(url) and url in sent_without_answer,
                "error": row.last_error[:120],
            }
        )
    return rows


def posts_phase(args, tmp, env, network, messengers, index, accounts):
    from django.utils import timezone

    from social_sync.models import OutboxItem, OutboxState, SocialAccount

    pages = publish(index, args.items)
    rows = OutboxItem.objects.count()
    log(f"  {args.items} items published, {rows} outbox rows")
    workers = social.Workers("qcluster", WORKERS, env, tmp / "qcluster.log", 0.2).start()
    started = time.monotonic()
    telegram = accounts["telegram"]

    def telegram_waits():
        paused = SocialAccount.objects.get(pk=telegram.pk).sending_paused_until
        return paused is not None and paused > timezone.now()

    try:
        with contextlib.suppress(social.BenchError):  # a small run may never fill the window
            wait_for(telegram_waits, started + args.kill_after, "Telegram's window")
        in_hand = OutboxItem.objects.filter(state=OutboxState.SENDING).count()
        kill(workers)
        killed_at = time.monotonic()
        log(f"  cluster killed {killed_at - started:.1f} s in ({in_hand} rows in hand)")
        time.sleep(2)
        workers = social.Workers("qcluster", WORKERS, env, tmp / "qcluster.log", 0.2).start()
        restarted = time.monotonic()
        restarted_at = timezone.now()
        done_at = wait_for(
            lambda: not unfinished().exists(), restarted + args.timeout, "posts after the restart"
        )
    finally:
        workers.stop()
    states = Counter(OutboxItem.objects.values_list("state", flat=True))
    settled = {}  # per network: seconds from the restart to its last row settled
    for network_name, done, updated in OutboxItem.objects.values_list(
        "account__network", "done_at", "updated_at"
    ):
        seconds = round(((done or updated) - restarted_at).total_seconds(), 1)
        settled[network_name] = max(settled.get(network_name, 0.0), seconds)
    return (
        pages,
        workers,
        {
            "items": args.items,
            "rows": rows,
            "rows_in_hand_when_killed": in_hand,
            "seconds_from_restart_to_all_rows_settled": round(done_at - restarted, 1),
            "seconds_from_restart_by_network": settled,
            "telegram_messages": args.items + args.items // 4,
            "states": dict(states),
            "duplicates": duplicates(network, messengers, pages),
            "parked": parked_rows(messengers, network),
        },
    )


def comments_phase(args, tmp, env, network, accounts):
    from django.contrib.auth import get_user_model

    from social_sync.models import Comment, OutboxAction, OutboxItem, OutboxState
    from social_sync.services import comments, moderation

    seeded = {"vk": [], "ok": []}
    for row in OutboxItem.objects.filter(
        action=OutboxAction.POST, state=OutboxState.DONE, account__network__in=["vk", "ok"]
    ).select_related("account"):
        n = sum(len(texts) for texts in seeded.values())
        text = f"Вопрос жителя № {n}: когда починят дорогу у дома {n}?"
        if row.account.network == "vk":
            network.seed_vk_comment(-social.VK_GROUP, int(row.remote_id), text, from_id=40_000 + n)
        else:
            network.seed_ok_comment(row.remote_id, text, author_id=60_000 + n)
        seeded[row.account.network].append(text)
    total = sum(len(texts) for texts in seeded.values())
    log(f"  {total} citizens' comments seeded under the posts")

    def pull():
        for account in (accounts["vk"], accounts["ok"]):
            comments.pull_one(account.pk)

    def citizens():
        return set(Comment.objects.filter(is_ours=False).values_list("text", flat=True))

    deadline = time.monotonic() + args.timeout
    pulls = 0
    while time.monotonic() < deadline and len(citizens() & set(sum(seeded.values(), []))) < total:
        pull()
        pulls += 1
    stored = citizens() & set(sum(seeded.values(), []))
    log(f"  {len(stored)} of {total} comments taken in after {pulls} pulls")

    editor = get_user_model().objects.filter(is_superuser=True).first() or (
        get_user_model().objects.create_superuser("bench-editor", "editor@example.org", "x")
    )
    for comment in Comment.objects.filter(is_ours=False, text__in=stored):
        moderation.reply(comment, editor, f"Ответ администрации на обращение № {comment.pk}.")
    workers = social.Workers("qcluster", WORKERS, env, tmp / "qcluster.log", 0.2).start()
    started = time.monotonic()
    try:
        settled = wait_for(lambda: not unfinished().exists(), started + args.timeout, "replies")
    finally:
        workers.stop()
    pull()
    pull()
    replies_on_network = Counter(
        c.get("text", "")
        for c in (
            *sum(network.vk_comments.values(), []),
            *sum(network.ok_comments.values(), []),
        )
        if c.get("text", "").startswith("Ответ администрации")
    )
    return {
        "comments_seeded": total,
        "comments_missed": total - len(stored),
        "pulls": pulls,
        "replies": OutboxItem.objects.filter(action=OutboxAction.REPLY).count(),
        "replies_done": OutboxItem.objects.filter(
            action=OutboxAction.REPLY, state=OutboxState.DONE
        ).count(),
        "seconds_to_replies_settled": round(settled - started, 1),
        "replies_placed_twice": sum(1 for count in replies_on_network.values() if count > 1),
        "our_replies_taken_for_citizens": Comment.objects.filter(
            is_ours=False, text__startswith="Ответ администрации"
        ).count(),
    }


def run(args):
    VAR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-edge-"))
    network, messengers = fakes(args)
    try:
        social.recreate_pg(DATABASE_URL)
        env = environment(args, tmp, network, messengers)
        social.setup_django(env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        index, accounts = build_accounts()
        log("Posts: publish, start the cluster, kill it in a rate window, start it again")
        pages, _workers, posts = posts_phase(args, tmp, env, network, messengers, index, accounts)
        log("Comments and replies")
        replies = comments_phase(args, tmp, env, network, accounts)
        result = {
            "faults": args.faults,
            "lost": args.lost,
            "posts": posts,
            "replies": replies,
            "violations": {
                "vk_ok": len(network.violations),
                "telegram_max": len(messengers.violations),
                "telegram_max_detail": Counter(
                    v["where"] for v in messengers.violations
                ).most_common(),
            },
            "lost_answers": {
                "vk_ok": sum(network.lost_answers.values()),
                "telegram_max": messengers.lost_answers,
            },
        }
    finally:
        network.stop()
        messengers.stop()
        with contextlib.suppress(Exception):
            social.drop_pg(DATABASE_URL)
    (VAR / "edge.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(markdown(result))
    return result


def markdown(result):
    posts, replies, violations = result["posts"], result["replies"], result["violations"]
    parked = posts["parked"]
    behind = sum(1 for row in parked if row["post_exists"])
    traced = sum(1 for row in parked if row["traced_to_inconclusive_send"])
    lines = [
        "| Показатель | Значение |",
        "| --- | --- |",
        f"| Новостей / строк очереди | {posts['items']} / {posts['rows']} |",
        f"| Строк в руках убитого кластера | {posts['rows_in_hand_when_killed']} |",
        f"| От перезапуска до последней строки, с | {posts['seconds_from_restart_to_all_rows_settled']} |",
        f"| То же по сетям, с | {posts['seconds_from_restart_by_network']} |",
        f"| Сообщений Telegram (лимит 20 в минуту) | {posts['telegram_messages']} |",
        f"| Состояния строк | {posts['states']} |",
        f"| Дубли постов (VK, OK, Telegram, MAX) | {posts['duplicates']} |",
        f"| «Проверить канал»: всего / пост на месте / отправка без ясного ответа | {len(parked)} / {behind} / {traced} |",
        f"| Нарушений лимитов (VK+OK / Telegram+MAX) | {violations['vk_ok']} / {violations['telegram_max']} |",
        f"| Потерянных ответов сети (VK+OK / Telegram+MAX) | {result['lost_answers']['vk_ok']} / {result['lost_answers']['telegram_max']} |",
        f"| Комментариев / пропущено | {replies['comments_seeded']} / {replies['comments_missed']} |",
        f"| Ответов / размещено / дважды | {replies['replies']} / {replies['replies_done']} / {replies['replies_placed_twice']} |",
        f"| Наши ответы в «Комментариях» | {replies['our_replies_taken_for_citizens']} |",
    ]  # fmt: skip
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=40, help="news items (40)")
    parser.add_argument("--faults", type=float, default=0.3, help="share of requests faulted")
    parser.add_argument("--lost", type=float, default=0.05, help="share of answers lost")
    parser.add_argument("--not-ready", type=float, default=1.5, help="MAX upload processing, s")
    parser.add_argument("--timeout", type=int, default=600, help="deadline of each phase, s")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--kill-after", type=float, default=60, help="kill then at the latest, s (60)"
    )
    args = parser.parse_args(argv)
    try:
        run(args)
    except social.BenchError as error:
        log(f"bench failed: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
