#!/usr/bin/env python
"""Benchmark of crossposting: news items × 3 accounts through real workers to a rate-limited fake.

1,000 published news items (``--items``) go to three accounts — a VK community (a community
admin's user token), a Head's VK person page (his own user token) and an OK group (the fake's
default OK app and token) — on the contract-enforcing fake VK/OK server (tests/fakes), which allows
3 requests/s per token (``--rate``) and records every request over that as a violation. The
deliveries are done by real django-q2 workers (``manage.py qcluster``, ORM broker, ``--workers 3``),
or with ``--runner drain`` by N processes running ``social_sync.services.delivery.drain()``.

Measured:

1. throughput — the items are published (Wagtail's ``save_revision().publish()``; the
   ``page_published`` signal writes the outbox rows and queues one task per row) while no worker
   runs; then the workers start and the script waits until every row is done. Reported: successful
   API requests per second per token over its busy period (first to last request, from the fake's
   arrival times) against the allowed rate, the wall time, violations seen by the fake;
2. latency — with the workers idle and running, items are published one at a time
   (``--latency-items``, ``--pause`` seconds apart); from the publish call returning to the first
   (and the last) of the item's three posts appearing on the fake: p50 and p95.

Everything runs on loopback, on SQLite in a temporary directory by default, or on PostgreSQL with
``--database-url postgres://postgres@127.0.0.1:5432/bench_social`` (dropped and recreated). The
items have no images: every delivery is exactly one ``wall.post`` / ``mediatopic.post``. Bounded:
deadlines on every wait, the workers' process group is stopped on exit, error or Ctrl+C.

    .venv/bin/python bench/social.py                   # 1,000 items, SQLite, ~10 minutes
    .venv/bin/python bench/social.py --items 100       # smoke run, ~2 minutes
    .venv/bin/python bench/social.py --database-url postgres://postgres@127.0.0.1:5432/bench_social

Results: a Markdown table on stdout, var/bench/social-<db>.json. See bench/README.md.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "site"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.fakes.social_server import (  # noqa: E402
    OK_DEFAULT_APP_KEY,
    OK_DEFAULT_APP_SECRET,
    OK_DEFAULT_GID,
    OK_DEFAULT_TOKEN,
    FakeSocialServer,
)

VAR = ROOT / "var" / "bench"
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable

VK_GROUP = 1001
VK_ADMIN_USER = 10
VK_HEAD_USER = 55
VK_ADMIN_TOKEN = "bench-vk-community-admin-user-token"
VK_HEAD_TOKEN = "bench-vk-head-user-token"
# label, network, token (as the fake sees it)
TOKENS = [
    ("VK community (admin's user token)", "vk", VK_ADMIN_TOKEN),
    ("VK Head's page (his user token)", "vk", VK_HEAD_TOKEN),
    ("OK group (app + token)", "ok", OK_DEFAULT_TOKEN),
]
# The client limiter's window is 1 s + a margin: SOCIAL_RATE_MARGIN when the settings have it,
# else the limiter's own default (social_sync.clients.ratelimit).
DEFAULT_LIMITER_MARGIN_S = 0.05
TARGET_SHARE = 0.9
BUSY_GAP_S = 10.0  # a pause this long ends a token's busy period
ORM_POLL_S = 0.2  # django-q2's default "poll" of the ORM broker; Q_CLUSTER does not set it

PARAGRAPHS = [
    "Администрация района подвела итоги недели: отремонтированы два участка дороги, "
    "в школах района завершена подготовка к отопительному сезону.",
    "Жители могут задать вопросы на приёме граждан в четверг с 10 до 13 часов.",
    "Подробности — на сайте администрации и по телефону единой дежурной службы.",
]


# --trace-limiter: a sitecustomize for the worker processes that notes when each rate-limiter slot
# was granted (CLOCK_MONOTONIC is one clock for all processes), to compare with the arrivals.
TRACE_SITECUSTOMIZE = """
import os
import threading
import time

_trace = os.environ.get("BENCH_LIMITER_TRACE")
if _trace:
    from social_sync.clients import ratelimit as _rl

    _seen = threading.local()

    def _clock():
        _seen.now = time.monotonic()  # when the limiter read its clock, i.e. its stamp
        return time.time()

    def _traced(original):
        def acquire(self, key):
            if getattr(self, "_clock", None) is time.time:
                self._clock = _clock
            _seen.now = None
            original(self, key)
            granted = time.monotonic()
            stamp = _seen.now if _seen.now is not None else granted
            line = f"{granted:.6f} {os.getpid()} {key} {stamp:.6f}\\n".encode()
            fd = os.open(_trace, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

        return acquire

    for _cls in (_rl.FileRateLimiter, _rl.RedisRateLimiter):
        _cls.acquire = _traced(_cls.acquire)
"""


class BenchError(RuntimeError):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The fake, with arrival times


class TimedFakeSocialServer(FakeSocialServer):
    """The fake VK/OK server, plus when every API request arrived and how it ended, and when each
    post appeared. The fake itself logs calls without times; nothing in it is changed."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.timed_calls = []  # dicts: t (monotonic arrival), done, network, method, token, ok
        self.appeared = defaultdict(list)  # link url -> [(monotonic, wall, network, owner)]
        self._appeared_cond = threading.Condition()
        self._where = threading.local()

    @staticmethod
    def _succeeded(reply):
        if reply.status != 200 or reply.truncate:
            return False
        try:
            data = json.loads(reply.body)
        except ValueError:
            return False
        return not (isinstance(data, dict) and ("error" in data or "error_code" in data))

    def _record(self, network, method, token, arrived, reply):
        entry = {
            "t": arrived,
            "done": time.monotonic(),
            "network": network,
            "method": method,
            "token": token,
            "ok": self._succeeded(reply),
            # the client's port: one keep-alive connection per worker process
            "conn": getattr(self._where, "port", None),
        }
        with self._lock:
            self.timed_calls.append(entry)

    def _serve(self, handler, verb):
        self._where.port = handler.client_address[1]
        return super()._serve(handler, verb)

    def _vk_entry(self, req, name):
        arrived = time.monotonic()
        params = req.params()
        token = params.get("access_token") or None
        auth = req.headers.get("Authorization") or ""
        if token is None and auth.lower().startswith("bearer "):
            token = auth[7:].strip() or None
        reply = super()._vk_entry(req, name)
        self._record("vk", name, token, arrived, reply)
        return reply

    def _ok_entry(self, req):
        arrived = time.monotonic()
        params = req.params()
        method = params.get("method") or req.path
        token = params.get("access_token") or params.get("session_key") or None
        reply = super()._ok_entry(req)
        self._record("ok", method, token, arrived, reply)
        return reply

    def _appear(self, network, owner, urls):
        now, wall = time.monotonic(), time.time()
        with self._appeared_cond:
            for url in urls:
                self.appeared[url].append((now, wall, network, owner))
            self._appeared_cond.notify_all()

    def _vk_new_post(self, owner_id, **kwargs):
        post = super()._vk_new_post(owner_id, **kwargs)
        urls = [a["link"]["url"] for a in post.get("attachments", []) if a.get("type") == "link"]
        self._appear("vk", owner_id, urls)
        return post

    def _ok_new_topic(self, owner_ref, *args, **kwargs):
        topic = super()._ok_new_topic(owner_ref, *args, **kwargs)
        urls = [b["url"] for b in topic.get("media", []) if b.get("type") == "link"]
        self._appear("ok", owner_ref, urls)
        return topic

    def wait_posts(self, url, count, timeout):
        """Waits until ``count`` posts carry ``url``; returns their [(monotonic, wall, …)]."""
        deadline = time.monotonic() + timeout
        with self._appeared_cond:
            while len(self.appeared.get(url, ())) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._appeared_cond.wait(left)
            return list(self.appeared.get(url, ()))


def start_fake(rate):
    fake = TimedFakeSocialServer(vk_user_rate=rate, ok_rate=rate, seed=2026)
    fake.start()
    fake.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=VK_ADMIN_USER, admin_of=(VK_GROUP,))
    fake.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
    return fake  # the default OK app and token are registered by the fake itself


# --------------------------------------------------------------------------------------------
# Environment, database, Django


def bench_env(args, tmp, fake, database_url):
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    for name in list(env):  # the settings' defaults are what is measured
        if name.startswith(("SOCIAL_", "VK_", "OK_")) or name in (
            "REDIS_URL", "DB_CONN_MAX_AGE", "CACHE_KEY_PREFIX", "Q_WORKERS",
        ):  # fmt: skip
            env.pop(name)
    env.update(
        DJANGO_SETTINGS_MODULE="pressoffice.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SITE_BASE_URL="http://localhost",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # nothing leaves the bench
        DATABASE_URL=database_url,
        VK_API_URL=fake.vk_api_url,
        OK_API_URL=fake.ok_api_url,
        VK_ID_TOKEN_URL=fake.vk_id_token_url,
        # One key for every process: the bench encrypts the tokens, the workers decrypt them.
        SOCIAL_TOKENS_KEYS=Fernet.generate_key().decode(),
        SOCIAL_RATE_VK_USER=str(args.rate),
        SOCIAL_RATE_OK=str(args.rate),
        SOCIAL_RATE_LIMIT_DIR=str(tmp / "ratelimit"),
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        PRIVATE_STORAGE_ROOT=str(tmp / "private"),
        Q_WORKERS=str(args.workers),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if args.margin is not None:
        env["SOCIAL_RATE_MARGIN"] = str(args.margin)
    if args.trace_limiter:
        (tmp / "trace").mkdir()
        (tmp / "trace" / "sitecustomize.py").write_text(TRACE_SITECUSTOMIZE)
        env["PYTHONPATH"] = os.pathsep.join([str(tmp / "trace"), str(ROOT), str(ROOT / "site")])
        env["BENCH_LIMITER_TRACE"] = str(tmp / "limiter-trace.txt")
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url  # the Redis cache, and the Redis rate limiter
        env["CACHE_KEY_PREFIX"] = f"bench-social-{os.getpid()}"
    return env


def pg_parts(database_url):
    server, _, name = database_url.rpartition("/")
    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BenchError(f"--database-url needs a plain database name at the end: {database_url}")
    return server, name


def recreate_pg(database_url):
    import psycopg
    from psycopg import sql

    server, name = pg_parts(database_url)
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute("SET statement_timeout = '60s'")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_pg(database_url):
    import psycopg
    from psycopg import sql

    server, name = pg_parts(database_url)
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute("SET statement_timeout = '60s'")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def build_site():
    """Home, news index, the site's settings row and three accounts with tokens."""
    from wagtail.models import Page, Site

    from newsroom.models import HomePage, NewsIndexPage, OrganisationSettings
    from social_sync.models import AccountKind, Network, SocialAccount

    root = Page.get_first_root_node()
    # Wagtail's welcome page («home») stays where it is, unused: the site's root is a new one.
    home = root.add_child(instance=HomePage(title="Администрация района", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    index = home.add_child(instance=NewsIndexPage(title="Новости", slug="news"))

    def account(network, kind, owner_id, name, token, **extra):
        app_secret = extra.pop("app_secret", None)
        acc = SocialAccount(network=network, kind=kind, owner_id=str(owner_id), name=name, **extra)
        acc.set_secret("access_token", token)
        if app_secret:
            acc.set_secret("ok_application_secret", app_secret)
        acc.save()
        return acc

    accounts = [
        account(Network.VK, AccountKind.COMMUNITY, VK_GROUP, "Группа ВК", VK_ADMIN_TOKEN),
        account(Network.VK, AccountKind.PERSON, VK_HEAD_USER, "Глава ВК", VK_HEAD_TOKEN),
        account(
            Network.OK,
            AccountKind.COMMUNITY,
            OK_DEFAULT_GID,
            "Группа ОК",
            OK_DEFAULT_TOKEN,
            ok_application_key=OK_DEFAULT_APP_KEY,
            app_secret=OK_DEFAULT_APP_SECRET,
        ),
    ]
    return index, accounts


def publish_item(index, n, prefix):
    """Creates a news item (no images) and publishes it the way the editor's button does."""
    from django.utils import timezone

    from newsroom.models import NewsPage

    page = index.add_child(
        instance=NewsPage(
            title=f"Новость для соцсетей № {n}",
            slug=f"{prefix}-{n:05d}",
            lead=f"Короткий лид новости номер {n}: главное в одном предложении.",
            date=timezone.now(),
            live=False,
            body=[("paragraph", f"<p>{p}</p>") for p in PARAGRAPHS],
        )
    )
    page.save_revision().publish()
    return page


def outbox_counts():
    from django.db.models import Count

    from social_sync.models import OutboxItem

    return dict(OutboxItem.objects.values_list("state").annotate(n=Count("pk")))


def queued_tasks():
    from django_q.models import OrmQ

    return OrmQ.objects.count()


# --------------------------------------------------------------------------------------------
# Workers


def _processes_in_group(pgid):
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


def _group_cpu_seconds(pgid):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _processes_in_group(pgid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rindex(")") + 2 :].split()
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


class Workers:
    """``manage.py qcluster`` (``runner="qcluster"``) or N ``drain()`` loops, in their own
    process group, logging to a file; stopped with SIGTERM, then SIGKILL of the whole group."""

    def __init__(self, runner, count, env, logfile, poll):
        self.runner = runner
        self.count = count
        self.env = dict(env, LOG_LEVEL="INFO")  # every task in the log
        self.logfile = logfile
        self.poll = poll
        self.procs = []
        self.started = None
        self._log = None

    def start(self, timeout=90):
        self._log = open(self.logfile, "a")  # noqa: SIM115
        self.started = time.monotonic()
        self.started_wall = time.time()
        if self.runner == "qcluster":
            cmd = [PYTHON, "manage.py", "qcluster"]
            self.procs = [self._spawn(cmd)]
            # The cluster runs once its sentinel has started the workers, the monitor and the
            # pusher: qcluster + sentinel + N workers + 2 (its log lines are translated).
            self._wait_for_processes(self.count + 4, timeout=timeout)
        else:
            cmd = [PYTHON, str(Path(__file__).resolve()), "--_drain", "--poll", str(self.poll)]
            ready = [Path(f"{self.logfile}.ready{i}") for i in range(self.count)]
            for path in ready:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            self.procs = [self._spawn(cmd + ["--_ready", str(path)]) for path in ready]
            deadline = time.monotonic() + timeout
            while not all(path.exists() for path in ready):
                self._check_alive()
                if time.monotonic() > deadline:
                    raise BenchError(f"drain workers did not start; see {self.logfile}")
                time.sleep(0.1)
            for path in ready:
                path.unlink()
        log(f"    workers running ({self.describe()}), {time.monotonic() - self.started:.1f} s")
        return self

    def describe(self):
        if self.runner == "qcluster":
            return f"manage.py qcluster, Q_WORKERS={self.count}, ORM broker"
        return f"{self.count} processes running delivery.drain()"

    def _spawn(self, cmd):
        """A process in its own session and process group (the cluster's processes join it)."""
        return subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def _check_alive(self):
        for proc in self.procs:
            if proc.poll() is not None:
                raise BenchError(f"a worker exited ({proc.returncode}); see {self.logfile}")

    def _wait_for_processes(self, count, timeout):
        deadline = time.monotonic() + timeout
        while len(_processes_in_group(self.pgid)) < count:
            self._check_alive()
            if time.monotonic() > deadline:
                raise BenchError(f"the workers did not start in {timeout} s; see {self.logfile}")
            time.sleep(0.1)

    @property
    def pgid(self):
        return self.procs[0].pid if self.procs else None

    def cpu_seconds(self):
        return sum(_group_cpu_seconds(proc.pid) for proc in self.procs)

    def stop(self, timeout=60):
        """SIGTERM (django-q2 finishes the tasks in hand and exits); SIGKILL what is left."""
        if not self.procs:
            return None
        clean = True
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                clean = False
        for proc in self.procs:
            if _processes_in_group(proc.pid):  # a survivor of its process group
                clean = False
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        self.procs = []
        if self._log:
            self._log.close()
            self._log = None
        return clean


def drain_worker(args):
    """One drain-runner process: deliver due rows, then look again every ``--poll`` seconds."""
    import django

    django.setup()
    from django.db import close_old_connections

    from social_sync.services import delivery

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args._ready:
        Path(args._ready).touch()
    while not stop.is_set():
        close_old_connections()
        delivery.drain(until_empty=True, max_seconds=30)
        stop.wait(args.poll)
    return 0


# --------------------------------------------------------------------------------------------
# Figures


def percentile(values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    values = sorted(values)
    if not values:
        return None
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def max_in_window(times, window):
    """The most requests that fell into any ``window`` seconds (half-open, as the fake counts)."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def token_figures(calls, rate, margin, since, until):
    """Per token: requests between ``since`` and ``until`` (monotonic), rate over its busy period:
    from its first successful request to the last one before a pause of over BUSY_GAP_S (a row
    that came back after a long backoff is counted apart, as «late»)."""
    allowed_ceiling = rate / (1.0 + margin)
    rows = []
    for label, network, token in TOKENS:
        mine = [c for c in calls if c["token"] == token and since <= c["t"] <= until]
        ok_all = [c["t"] for c in mine if c["ok"]]
        ok = ok_all[:1]
        for t in ok_all[1:]:
            if t - ok[-1] > BUSY_GAP_S:
                break
            ok.append(t)
        span = (ok[-1] - ok[0]) if len(ok) > 1 else 0.0
        achieved = (len(ok) - 1) / span if span > 0 else 0.0
        methods = defaultdict(int)
        for c in mine:
            methods[c["method"]] += 1
        gaps = [b - a for a, b in zip(ok, ok[1:], strict=False)]
        rows.append(
            {
                "label": label,
                "network": network,
                "requests": len(mine),
                "successful": len(ok_all),
                "in_busy_period": len(ok),
                "late": len(ok_all) - len(ok),
                "failed": len(mine) - len(ok_all),
                "busy_from_s": round(ok[0] - since, 2) if ok else None,
                "busy_until_s": round(ok[-1] - since, 2) if ok else None,
                "methods": dict(methods),
                "busy_s": round(span, 2),
                "rate": round(achieved, 3),
                "share_of_allowed": round(achieved / rate, 3) if rate else None,
                "share_of_limiter_ceiling": round(achieved / allowed_ceiling, 3),
                "max_in_1s": max_in_window(ok, 1.0),
                "max_in_limiter_window": max_in_window(ok, 1.0 + margin),
                "gap_p50_ms": round(percentile(gaps, 0.5) * 1000, 1) if gaps else None,
                "gap_max_ms": round(max(gaps) * 1000, 1) if gaps else None,
            }
        )
    return rows


def machine():
    import importlib.metadata as md

    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    cpu_model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for name in ("Django", "wagtail", "django-q2", "requests", "psycopg"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions[name] = md.version(name)
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            timeout=10,
        ).stdout.strip()  # fmt: skip
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, timeout=10,
        ).stdout.split("\n")  # fmt: skip
        changed = sorted(line[3:] for line in changed if line.strip())
        # A copy outside git (e.g. ``git archive HEAD``) can say which commit it is.
        head = head or os.environ.get("BENCH_CODE", "not a git checkout")
        if changed:
            head += " + uncommitted: " + ", ".join(changed)
    except Exception:
        head = "unknown"
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "versions": versions,
        "git": head,
    }


def _proc_stat_busy():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle  # jiffies, all CPUs


def machine_busy_cores(seconds=1.0):
    tick = os.sysconf("SC_CLK_TCK")
    before = _proc_stat_busy()
    time.sleep(seconds)
    return (_proc_stat_busy() - before) / tick / seconds


def wait_until_quiet(max_busy, max_wait):
    deadline = time.monotonic() + max_wait
    busy = machine_busy_cores()
    while busy > max_busy and time.monotonic() < deadline:
        log(f"    machine busy ({busy:.2f} cores used by other processes), waiting …")
        time.sleep(4)
        busy = machine_busy_cores()
    return busy


# --------------------------------------------------------------------------------------------
# The run


def throughput_phase(args, index, fake, workers, result):
    from social_sync.models import OutboxItem, OutboxState

    n = args.items
    log(f"  · publishing {n} news items (no images), workers stopped …")
    started = time.monotonic()
    pages = []
    for i in range(1, n + 1):
        pages.append(publish_item(index, i, "bench-social"))
        if i % 100 == 0:
            log(f"    {i}/{n} published, {time.monotonic() - started:.0f} s")
    publish_s = time.monotonic() - started
    rows = OutboxItem.objects.count()
    queued = queued_tasks()
    log(f"    {n} published in {publish_s:.1f} s: {rows} outbox rows, {queued} queued tasks")
    if rows != n * len(TOKENS):
        raise BenchError(f"expected {n * len(TOKENS)} outbox rows, found {rows}")
    result["setup"]["publish_s"] = round(publish_s, 1)
    result["setup"]["publish_ms_per_item"] = round(publish_s * 1000 / n, 1)
    result["setup"]["queued_tasks_after_publishing"] = queued

    busy_before = _proc_stat_busy()
    cpu_before = workers.cpu_seconds()
    bench_cpu_before = time.process_time()
    workers.start()
    t0 = workers.started
    margin = result["settings"]["limiter_margin_s"]
    expected = n / (args.rate / (1.0 + margin))
    deadline = t0 + args.timeout if args.timeout else t0 + expected * 2 + 120
    last_report = t0
    progress = []
    while True:
        counts = outbox_counts()
        open_rows = counts.get(OutboxState.PENDING, 0) + counts.get(OutboxState.SENDING, 0)
        now = time.monotonic()
        if now - last_report >= 15 or not open_rows:
            done = counts.get(OutboxState.DONE, 0)
            tasks = queued_tasks() if workers.runner == "qcluster" else None
            progress.append({"t": round(now - t0, 1), "done": done, "queued_tasks": tasks})
            log(
                f"    {now - t0:5.0f} s: {done}/{rows} done"
                + (f", {tasks} tasks in the queue" if tasks is not None else "")
            )
            last_report = now
        if not open_rows:
            break
        workers._check_alive()
        if now > deadline:
            log(f"    NOT FINISHED after {now - t0:.0f} s: {counts}; measuring what was done")
            break
        time.sleep(0.5)
    t_done = time.monotonic()
    unfinished = list(
        OutboxItem.objects.filter(state__in=[OutboxState.PENDING, OutboxState.SENDING]).values(
            "pk", "account__name", "state", "attempts", "last_error", "next_attempt_at"
        )
    )
    cpu_workers = workers.cpu_seconds() - cpu_before
    cpu_bench = time.process_time() - bench_cpu_before
    busy = (_proc_stat_busy() - busy_before) / os.sysconf("SC_CLK_TCK")
    wall = t_done - t0
    calls = [c for c in fake.timed_calls if c["t"] >= t0]
    figures = token_figures(calls, args.rate, margin, t0, t_done)
    first = min((c["t"] for c in calls), default=t0)
    last = max((c["t"] for c in calls), default=t0)
    busy_end = max((row["busy_until_s"] or 0) for row in figures)
    labels = {token: label for label, _network, token in TOKENS}
    violations = []
    for v in fake.violations:
        at = v["monotonic"]
        window = [
            [round((c["t"] - at) * 1000), c["conn"]]
            for c in fake.timed_calls
            if c["token"] == v["token"] and at - 1.2 <= c["t"] <= at + 0.001
        ]
        violations.append(
            {
                "token": labels.get(v["token"], "?"),
                "method": v["method"],
                "at_s": round(at - t0, 1),
                "arrivals_ms_relative": window,
            }
        )
    result["throughput"] = {
        "items": n,
        "deliveries": rows,
        "outbox": {str(k): v for k, v in outbox_counts().items()},
        "all_done": not unfinished,
        "unfinished": [
            {**row, "next_attempt_at": str(row["next_attempt_at"])} for row in unfinished
        ],
        "wall_s": round(wall, 1),
        "busy_until_s": busy_end,
        "first_request_after_s": round(first - t0, 2),
        "first_to_last_request_s": round(last - first, 1),
        # successful requests per second, from starting the workers to the last request
        "deliveries_per_s": round(
            sum(row["successful"] for row in figures) / (last - t0) if last > t0 else 0.0, 2
        ),
        "tokens": figures,
        "violations": len(fake.violations),
        "violation_details": violations,
        # every request of the phase: seconds from starting the workers, method, ok, client port
        "calls": {
            labels.get(token, "?"): [
                [round(c["t"] - t0, 4), c["method"], c["ok"], c["conn"]]
                for c in calls
                if c["token"] == token
            ]
            for _label, _network, token in TOKENS
        },
        "fake_server_errors": len(fake.server_errors),
        "progress": progress,
        "cpu_cores": {
            "workers": round(cpu_workers / wall, 2),
            "bench_and_fake": round(cpu_bench / wall, 2),
            "machine": round(busy / wall, 2),
            "others": round(max(0.0, busy - cpu_workers - cpu_bench) / wall, 2),
        },
    }
    # Every item is on every account exactly once.
    wrong = []
    for page in pages:
        got = fake.posts_with_link(page.get_full_url())
        if got != {"vk": 2, "ok": 1}:
            wrong.append((page.slug, got))
    result["throughput"]["items_not_posted_exactly_once"] = len(wrong)
    if args.trace_limiter:
        result["throughput"]["limiter_to_arrival"] = limiter_delays(
            os.environ["BENCH_LIMITER_TRACE"], fake, t0, t_done, margin
        )
    if wrong:
        log(f"    NOT exactly once: {wrong[:5]} …")


def limiter_delays(trace_path, fake, since, until, margin):
    """Per token: from the limiter's stamp (when it read its clock for the granted slot) to the
    request reaching the fake, and how much of that passed inside the limiter after the stamp
    (writing its file); the n-th grant of a key is paired with the n-th arrival of its token."""
    from social_sync.services.connections import rate_key

    path = Path(trace_path)
    if not path.exists():
        return None
    grants = defaultdict(list)  # key -> [(stamp, granted, pid)]
    for line in path.read_text().splitlines():
        granted, pid, key, stamp = line.split(" ")
        if since <= float(stamp) <= until:
            grants[key].append((float(stamp), float(granted), int(pid)))
    out = {}
    for label, network, token in TOKENS:
        slots = sorted(grants.get(rate_key(network, token), []))
        arrivals = sorted(
            c["t"] for c in fake.timed_calls if c["token"] == token and since <= c["t"] <= until
        )
        dump = [[round(g[0] - since, 4), round((g[1] - g[0]) * 1000, 2), g[2]] for g in slots]
        if not slots or len(slots) != len(arrivals):
            out[label] = {
                "grants": len(slots),
                "arrivals": len(arrivals),
                "paired": False,
                "grants_s_stall_ms_pid": dump,
            }
            continue
        delays = [(a - g[0]) * 1000 for g, a in zip(slots, arrivals, strict=True)]
        stalls = [(g[1] - g[0]) * 1000 for g in slots]
        out[label] = {
            "grants": len(slots),
            "paired": True,
            "delay_ms_p50": round(percentile(delays, 0.5), 2),
            "delay_ms_p99": round(percentile(delays, 0.99), 2),
            "delay_ms_max": round(max(delays), 1),
            "inside_limiter_ms_p99": round(percentile(stalls, 0.99), 2),
            "inside_limiter_ms_max": round(max(stalls), 1),
            "over_margin": sum(1 for d in delays if d > margin * 1000),
            "largest": [
                [round(g[0] - since, 3), round(d, 1), round((g[1] - g[0]) * 1000, 1)]
                for d, g in sorted(zip(delays, slots, strict=True), reverse=True)[:5]
            ],
            "grants_s_stall_ms_pid": dump,
        }
    return out


def other_tasks(workers, result):
    """When the cluster's other tasks (its schedules: scheduled publishing, deadline reminders,
    dispatch_due) were queued and when they finished, in seconds from starting the workers.
    django-q2's ``started`` is the time a task was queued, ``stopped`` when it finished; it keeps
    the last 250 results, so these are the latest runs."""
    from django_q.models import Task

    if workers.runner != "qcluster":
        return
    runs = defaultdict(list)
    waits = []
    for func, queued, finished in (
        Task.objects.exclude(func__startswith="social_sync.tasks.deliver")
        .order_by("started")
        .values_list("func", "started", "stopped")
    ):
        q = queued.timestamp() - workers.started_wall
        f = finished.timestamp() - workers.started_wall
        runs[func.rsplit(".", 1)[-1]].append([round(q, 1), round(f, 1)])
        waits.append(f - q)
    result["other_tasks_queued_finished_s"] = dict(runs)
    result["other_tasks_max_wait_s"] = round(max(waits), 1) if waits else None


def requests_by_method(fake, since):
    labels = {token: label for label, _network, token in TOKENS}
    counts = defaultdict(lambda: defaultdict(int))
    for c in fake.timed_calls:
        if c["t"] >= since:
            counts[labels.get(c["token"], "?")][c["method"]] += 1
    return {label: dict(methods) for label, methods in counts.items()}


def latency_phase(args, index, fake, workers, result):
    from social_sync.models import OutboxItem

    if workers.runner == "qcluster":
        # Idle: the tasks queued per publication for rows that are done by now return at once.
        deadline = time.monotonic() + 300
        while queued_tasks() and time.monotonic() < deadline:
            time.sleep(0.5)
        left = queued_tasks()
        if left:
            raise BenchError(f"the task queue did not empty ({left} tasks)")
    time.sleep(max(2.0, args.pause))
    log(f"  · latency: {args.latency_items} items, one at a time, {args.pause} s apart …")
    phase_started = time.monotonic()
    samples = []
    for i in range(1, args.latency_items + 1):
        page = publish_item(index, i, "bench-latency")
        published, published_wall = time.monotonic(), time.time()
        url = page.get_full_url()
        posts = fake.wait_posts(url, len(TOKENS), timeout=60)
        if len(posts) < len(TOKENS):
            raise BenchError(f"{url}: {len(posts)} of {len(TOKENS)} posts after 60 s")
        first_claim = (
            OutboxItem.objects.filter(page_id=page.pk)
            .order_by("first_attempt_at")
            .values_list("first_attempt_at", flat=True)
            .first()
        )
        samples.append(
            {
                "first_ms": round((min(p[0] for p in posts) - published) * 1000, 1),
                "all_ms": round((max(p[0] for p in posts) - published) * 1000, 1),
                "first_claim_ms": round((first_claim.timestamp() - published_wall) * 1000, 1)
                if first_claim
                else None,
            }
        )
        time.sleep(args.pause)
    first = [s["first_ms"] for s in samples]
    every = [s["all_ms"] for s in samples]
    claims = [s["first_claim_ms"] for s in samples if s["first_claim_ms"] is not None]

    def summary(values):
        return {
            "p50": round(percentile(values, 0.5), 1),
            "p95": round(percentile(values, 0.95), 1),
            "min": round(min(values), 1),
            "max": round(max(values), 1),
        }

    result["latency"] = {
        "items": len(samples),
        "pause_s": args.pause,
        "first_post_ms": summary(first),
        "all_three_posts_ms": summary(every),
        "publish_to_first_claim_ms": summary(claims) if claims else None,
        "samples": samples,
        "violations_total": len(fake.violations),
        "requests_by_method": requests_by_method(fake, phase_started),
    }


def run(args):
    tmp = Path(tempfile.mkdtemp(prefix="bench-social-"))
    db = "postgres" if args.database_url else "sqlite"
    database_url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    VAR.mkdir(parents=True, exist_ok=True)
    logfile = VAR / f"social-workers-{db}.log"
    logfile.write_text("")
    log(f"== crossposting bench: {args.items} items × {len(TOKENS)} accounts, {db} ==")
    log(f"    temporary directory {tmp}")
    result = {
        "db": db,
        "machine": machine(),
        "settings": {
            "items": args.items,
            "accounts": [t[0] for t in TOKENS],
            "rate_per_token": args.rate,
            "limiter": "Redis" if args.redis_url else "files (FileRateLimiter)",
            "runner": args.runner,
            "workers": args.workers,
            "orm_poll_s": ORM_POLL_S if args.runner == "qcluster" else args.poll,
            "publishing": "save_revision().publish() (the page_published signal)",
        },
        "setup": {},
    }
    fake = start_fake(args.rate)
    workers = None
    try:
        if args.database_url:
            recreate_pg(args.database_url)
        env = bench_env(args, tmp, fake, database_url)
        started = time.monotonic()
        setup_django(env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        result["setup"]["migrate_s"] = round(time.monotonic() - started, 1)
        index, _accounts = build_site()
        from django.conf import settings

        margin = float(getattr(settings, "SOCIAL_RATE_MARGIN", DEFAULT_LIMITER_MARGIN_S))
        result["settings"]["limiter_margin_s"] = margin
        result["settings"]["limiter_window_s"] = round(1.0 + margin, 3)
        # The bench's own connection must not hold SQLite's lock while the workers run.
        from django.db import connection

        workers = Workers(args.runner, args.workers, env, logfile, args.poll)
        result["settings"]["workers_description"] = workers.describe()
        result["quiet_before_cores"] = round(
            wait_until_quiet(args.max_other_cores, args.wait_quiet), 2
        )
        result["loadavg_before"] = os.getloadavg()
        throughput_phase(args, index, fake, workers, result)
        connection.close()
        if workers.runner == "qcluster":
            deadline = time.monotonic() + 300  # the no-op tasks left behind by the backlog
            while queued_tasks() and time.monotonic() < deadline:
                time.sleep(0.5)
            result["throughput"]["queue_empty_after_s"] = round(
                time.monotonic() - workers.started, 1
            )
        other_tasks(workers, result)
        if args.latency_items:
            latency_phase(args, index, fake, workers, result)
        result["workers_stopped_cleanly"] = workers.stop()
        result["final_outbox"] = {str(k): v for k, v in outbox_counts().items()}
        result["loadavg_after"] = os.getloadavg()
    finally:
        if workers is not None:
            workers.stop()
        fake.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if args.database_url and not args.keep:
            with contextlib.suppress(Exception):
                drop_pg(args.database_url)
        if args.keep:
            log(f"    kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    errors = [
        line
        for line in logfile.read_text(errors="replace").splitlines()
        if "Traceback" in line or "ERROR" in line
    ]
    result["worker_log_errors"] = errors[:20]
    out = VAR / f"social-{db}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    log(f"  results: {out.relative_to(ROOT)}; worker log: {logfile.relative_to(ROOT)}")
    return result


def mark(ok):
    return " ✅" if ok else " ❌"


def markdown(result):
    s = result["settings"]
    t = result["throughput"]
    rate = s["rate_per_token"]
    target = rate * TARGET_SHARE
    ceiling = rate / s["limiter_window_s"]
    lines = [
        f"### {result['db']}: {t['items']} items × {len(s['accounts'])} accounts, "
        f"{s['workers_description']}, limit {rate} req/s per token ({s['limiter']})",
        "",
        f"Code: {result['machine']['git']}; {result['machine']['date']}.",
        "",
        f"| token | requests: ok / all (late) | busy, s | req/s (≥ {target:.1f}) | of {rate}/s "
        f"| of limiter ceiling {ceiling:.2f}/s | max in 1 s | gap p50 / max, ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in t["tokens"]:
        late = f" ({row['late']})" if row["late"] else ""
        lines.append(
            f"| {row['label']} | {row['successful']} / {row['requests']}{late} "
            f"| {row['busy_s']:.1f} | {row['rate']:.3f}{mark(row['rate'] >= target - 1e-9)} "
            f"| {row['share_of_allowed'] * 100:.1f} % "
            f"| {row['share_of_limiter_ceiling'] * 100:.1f} % | {row['max_in_1s']} "
            f"| {row['gap_p50_ms']} / {row['gap_max_ms']} |"
        )
    if t["all_done"]:
        done = f"Wall time for {t['deliveries']} deliveries: {t['wall_s']:.1f} s"
    else:
        done = (
            f"NOT all done after {t['wall_s']:.1f} s: {len(t['unfinished'])} rows left "
            f"({'; '.join(sorted({u['last_error'] for u in t['unfinished']}))}); busy periods "
            f"ended {t['busy_until_s']:.1f} s"
        )
    lines += [
        "",
        f"{done} from starting the workers (first request after "
        f"{t['first_request_after_s']:.1f} s, first to last request "
        f"{t['first_to_last_request_s']:.1f} s), {t['deliveries_per_s']:.2f} deliveries/s. "
        f"Rate-limit violations seen by the fake: {t['violations']}"
        f"{mark(t['violations'] == 0)}. Items not on every account exactly once: "
        f"{t['items_not_posted_exactly_once']}{mark(t['items_not_posted_exactly_once'] == 0)}. "
        f"Outbox: {t['outbox']}. CPU (cores): workers {t['cpu_cores']['workers']}, "
        f"bench + fake {t['cpu_cores']['bench_and_fake']}, other processes "
        f"{t['cpu_cores']['others']} (2 cores in all). Publishing: "
        f"{result['setup']['publish_ms_per_item']} ms per item.",
    ]
    for label, d in (t.get("limiter_to_arrival") or {}).items():
        if d.get("paired"):
            lines.append(
                f"* {label}: limiter's stamp → request at the fake p50 {d['delay_ms_p50']} ms, "
                f"p99 {d['delay_ms_p99']} ms, max {d['delay_ms_max']} ms (of which inside the "
                f"limiter after the stamp: p99 {d['inside_limiter_ms_p99']} ms, max "
                f"{d['inside_limiter_ms_max']} ms); over the margin: {d['over_margin']}; "
                f"largest [s, ms, ms inside]: {d['largest']}"
            )
        else:
            lines.append(f"* {label}: limiter trace not paired ({d})")
    for v in t["violation_details"]:
        lines.append(
            f"* violation: {v['token']} {v['method']} at {v['at_s']} s; that token's arrivals "
            f"in the 1.2 s before it, [ms, client port]: {v['arrivals_ms_relative']}"
        )
    if result.get("other_tasks_queued_finished_s"):
        runs = "; ".join(
            f"{func} " + ", ".join(f"{q:.0f}→{f:.0f}" for q, f in times)
            for func, times in result["other_tasks_queued_finished_s"].items()
        )
        lines += [
            "",
            f"The cluster's scheduled tasks, queued → finished (s from starting the workers; the "
            f"backlog lasted {t['busy_until_s']:.0f} s, the queue was empty at "
            f"{t.get('queue_empty_after_s', '?')} s): {runs}. Longest wait "
            f"{result['other_tasks_max_wait_s']} s.",
        ]
    lat = result.get("latency")
    if lat:
        f, a, c = lat["first_post_ms"], lat["all_three_posts_ms"], lat["publish_to_first_claim_ms"]
        lines += [
            "",
            f"Publish → post, {lat['items']} items one at a time, {lat['pause_s']} s apart, "
            f"workers idle (broker poll {s['orm_poll_s']} s):",
            "",
            "| | p50 | p95 | min | max |",
            "|---|---:|---:|---:|---:|",
            f"| first post | {f['p50']:.0f} ms | {f['p95']:.0f} ms | {f['min']:.0f} ms "
            f"| {f['max']:.0f} ms |",
            f"| all three posts | {a['p50']:.0f} ms | {a['p95']:.0f} ms | {a['min']:.0f} ms "
            f"| {a['max']:.0f} ms |",
        ]
        if c:
            lines.append(
                f"| first row claimed by a worker | {c['p50']:.0f} ms | {c['p95']:.0f} ms "
                f"| {c['min']:.0f} ms | {c['max']:.0f} ms |"
            )
        lines += [
            "",
            f"Violations over the whole run: {lat['violations_total']}. Requests during the "
            f"latency phase: {lat['requests_by_method']}. Outbox at the end: "
            f"{result.get('final_outbox')}.",
        ]
    if result.get("worker_log_errors"):
        lines += ["", f"Errors in the worker log: {len(result['worker_log_errors'])} (see JSON)."]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000, help="news items to crosspost (1000)")
    parser.add_argument("--rate", type=int, default=3, help="requests/s per token (3)")
    parser.add_argument("--runner", choices=["qcluster", "drain"], default="qcluster")
    parser.add_argument("--workers", type=int, default=3, help="Q_WORKERS or drain processes (3)")
    parser.add_argument(
        "--database-url", help="PostgreSQL database to (re)create and use, else SQLite in /tmp"
    )
    parser.add_argument(
        "--redis-url", help="use Redis (cache and rate limiter), e.g. redis://127.0.0.1:6379/15"
    )
    parser.add_argument(
        "--margin", type=float, help="SOCIAL_RATE_MARGIN for the workers, s (the settings' default)"
    )
    parser.add_argument(
        "--trace-limiter",
        action="store_true",
        help="note in the workers when each limiter slot is granted (a diagnostic sitecustomize)",
    )
    parser.add_argument("--latency-items", type=int, default=30, help="items published singly")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between them (2)")
    parser.add_argument("--poll", type=float, default=ORM_POLL_S, help="drain runner's poll (0.2)")
    parser.add_argument("--timeout", type=int, default=0, help="throughput deadline, s (auto)")
    parser.add_argument("--wait-quiet", type=int, default=120)
    parser.add_argument("--max-other-cores", type=float, default=0.3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--_drain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_ready", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._drain:
        return drain_worker(args)
    if args.items < 1 or args.workers < 1 or args.rate < 1:
        parser.error("--items, --workers and --rate must be at least 1")

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    started = time.monotonic()
    try:
        result = run(args)
    except BenchError as exc:
        log(f"\nBENCHMARK FAILED: {exc}")
        return 1
    except KeyboardInterrupt:
        log("\ninterrupted")
        return 130
    print()
    print(markdown(result))
    print()
    t = result["throughput"]
    ok = (
        all(row["rate"] >= args.rate * TARGET_SHARE for row in t["tokens"])
        and t["violations"] == 0
        and t["items_not_posted_exactly_once"] == 0
    )
    print(
        f"Target: ≥ {TARGET_SHARE:.0%} of {args.rate} req/s per token, 0 violations — "
        f"{'met' if ok else 'NOT met'}. Total time {time.monotonic() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
