#!/usr/bin/env python
"""Benchmark of the public pages under gunicorn, on SQLite and on PostgreSQL.

For each database: a fresh bench database, ``migrate``, ``load_demo_content``, N bench news items
(bench/seed.py), ``collectstatic``; then the query count of each page in-process, then gunicorn
(2 sync workers, loopback) measured with wrk for the home page, the news list and a news page,
uncached (a ``sessionid`` cookie makes the page cache step aside) and cached. Everything is
bounded: fixed wrk durations, a timeout on every subprocess, gunicorn's process group killed on
exit, error or Ctrl+C.

    .venv/bin/python bench/pages.py                     # both databases (PostgreSQL if it answers)
    .venv/bin/python bench/pages.py --db sqlite --duration 5 --news 2000
    .venv/bin/python bench/pages.py --db postgres --skip-seed --show-queries
    .venv/bin/python bench/pages.py --db sqlite --skip-seed --profile news-page

Results: a Markdown table on stdout and var/bench/results-<db>.json. See bench/README.md.
"""

import argparse
import contextlib
import datetime
import http.client
import io
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUNICORN = str(BIN / "gunicorn") if (BIN / "gunicorn").exists() else shutil.which("gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"

PG_SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressoffice_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SESSION_COOKIE = "sessionid=bench"

PAGES = [  # key, label
    ("home", "Главная /"),
    ("news-list", "Лента /news/"),
    ("news-page", "Новость"),
]
# The acceptance targets. None: no target for that figure.
TARGET_UNCACHED_RPS = {"home": 90, "news-list": None, "news-page": 180}
TARGET_CACHED_RPS = 3000
TARGET_QUERIES = 12

WRK_LUA = r"""
-- Counts statuses and the X-Page-Cache header over all wrk threads.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad = 0; hit = 0; miss = 0; none = 0 end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
  local h = headers["X-Page-Cache"] or headers["x-page-cache"]
  if h == "hit" then hit = hit + 1 elseif h == "miss" then miss = miss + 1 else none = none + 1 end
end
function done(summary, latency, requests)
  local t = {ok = 0, bad = 0, hit = 0, miss = 0, none = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
  end
  io.write(string.format("BENCH ok=%d bad=%d hit=%d miss=%d none=%d\n",
    t.ok, t.bad, t.hit, t.miss, t.none))
end
"""


class BenchError(RuntimeError):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Environment, databases, subprocesses


def bench_env(db, secret_key):
    if db == "sqlite":
        database_url = f"sqlite:///{VAR / 'bench.sqlite3'}"
    else:
        database_url = f"{PG_SERVER_URL}/{PG_DB}"
    env = dict(os.environ)
    for name in ("DB_CONN_MAX_AGE", "PAGE_CACHE_SECONDS", "CACHE_KEY_PREFIX"):
        env.pop(name, None)  # the production defaults are what is measured
    env.update(
        DJANGO_SETTINGS_MODULE="pressoffice.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / f"media-{db}"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # Production refuses to start without a mail server; the pages send no mail, and a
        # closed local port makes any that would fail at once instead of reaching anyone.
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",
    )
    return env


def run(cmd, env, timeout, label):
    log(f"  · {label} …")
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{label}: no answer after {timeout} s") from exc
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise BenchError(f"{label} failed (exit {proc.returncode}):\n{tail}")
    log(f"    {label}: {seconds:.1f} s")
    return proc, seconds


def postgres_answers():
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER_URL}/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def recreate_database(db):
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                (VAR / f"bench.sqlite3{suffix}").unlink()
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute("SET statement_timeout = '60s'")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB)))


def database_exists(db):
    if db == "sqlite":
        return (VAR / "bench.sqlite3").exists()
    import psycopg

    with psycopg.connect(f"{PG_SERVER_URL}/postgres", connect_timeout=5) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        return row is not None


def flush_redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# CPU accounting: how much of the machine went to gunicorn, wrk, PostgreSQL and everything else


def _proc_stat_busy():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle  # jiffies, all CPUs


def _proc_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return 0
    fields = data[data.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, jiffies


def _processes():
    result = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                data = f.read()
        except OSError:
            continue
        comm = data[data.index("(") + 1 : data.rindex(")")]
        fields = data[data.rindex(")") + 2 :].split()
        result.append((int(entry), comm, int(fields[1]), int(fields[2])))  # pid, comm, ppid, pgrp
    return result


def _group_cpu(pgid, db_name):
    """CPU jiffies of gunicorn's process group, and of the PostgreSQL backends serving db_name."""
    ours = backends = 0
    for pid, comm, _ppid, pgrp in _processes():
        if pgid is not None and pgrp == pgid:
            ours += _proc_cpu(pid)
        elif db_name and comm.startswith("postgres"):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    title = f.read().decode(errors="replace")
            except OSError:
                continue
            if f" {db_name} " in title:
                backends += _proc_cpu(pid)
    return ours, backends


def machine_busy_cores(seconds=1.0):
    tick = os.sysconf("SC_CLK_TCK")
    before = _proc_stat_busy()
    time.sleep(seconds)
    return (_proc_stat_busy() - before) / tick / seconds


def wait_until_quiet(max_busy, max_wait):
    """Waits (bounded) until the machine is nearly idle; returns the last busy figure, in cores."""
    deadline = time.monotonic() + max_wait
    busy = machine_busy_cores()
    while busy > max_busy and time.monotonic() < deadline:
        log(f"    machine busy ({busy:.2f} cores used by other processes), waiting …")
        time.sleep(4)
        busy = machine_busy_cores()
    return busy


# --------------------------------------------------------------------------------------------
# gunicorn


class Gunicorn:
    def __init__(self, env, workers, logfile):
        self.env = env
        self.workers = workers
        self.logfile = logfile
        self.port = free_port()
        self.proc = None

    def __enter__(self):
        cmd = [
            GUNICORN,
            "--pythonpath", "site",
            "pressoffice.wsgi:application",
            "-w", str(self.workers),
            "-k", "sync",
            "-b", f"127.0.0.1:{self.port}",
            "--timeout", "30",
            "--log-level", "warning",
        ]  # fmt: skip
        self._log = open(self.logfile, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.proc.returncode}); see {self.logfile}")
            with contextlib.suppress(OSError):
                status, _headers, _body = self.get("/", cookie=True, timeout=10)
                if status == 200:
                    break
                if time.monotonic() > deadline:
                    raise BenchError(f"gunicorn answers {status} on /; see {self.logfile}")
            if time.monotonic() > deadline:
                raise BenchError(f"gunicorn did not answer within 60 s; see {self.logfile}")
            time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def pgid(self):
        return self.proc.pid if self.proc else None

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            self._close_log()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        # The workers are in the same process group; make sure none survived the master.
        for pid, _comm, _ppid, pgrp in _processes():
            if pgrp == self.proc.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._close_log()

    def _close_log(self):
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, cookie, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Cookie": SESSION_COOKIE} if cookie else {}
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


# --------------------------------------------------------------------------------------------
# wrk


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise BenchError(f"cannot read the wrk latency {text!r}")
    return round(float(match.group(1)) * _UNITS_MS[match.group(2)], 3)


def parse_wrk(output):
    result = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = round(float(m.group(1)), 1)
    if m := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        result["requests"] = int(m.group(1))
    for pct in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{pct}(?:\.0+)?%\s+([\d.]+\w+)", output, re.M):
            result[f"p{pct}_ms"] = _ms(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non_2xx_3xx"] = int(m.group(1))
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True)
        )
    if m := re.search(r"BENCH ok=(\d+) bad=(\d+) hit=(\d+) miss=(\d+) none=(\d+)", output):
        result["responses"] = dict(
            zip(("ok", "bad", "hit", "miss", "none"), map(int, m.groups()), strict=True)
        )
    if "rps" not in result or "p99_ms" not in result or "responses" not in result:
        raise BenchError(f"cannot read the wrk output:\n{output}")
    return result


def wrk(server, path, cookie, duration, args, lua, db_name=None):
    cmd = [
        WRK,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout", "10s",
        "-s", str(lua),
    ]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {SESSION_COOKIE}"]
    cmd.append(server.url(path))
    speed = cpu_speed_ms()
    tick = os.sysconf("SC_CLK_TCK")
    busy0 = _proc_stat_busy()
    ours0, pg0 = _group_cpu(server.pgid, db_name)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk on {path} did not finish within {duration + 60} s") from exc
    elapsed = time.monotonic() - started
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours1, pg1 = _group_cpu(server.pgid, db_name)
    busy1 = _proc_stat_busy()
    if proc.returncode != 0:
        raise BenchError(f"wrk failed on {path}:\n{proc.stdout}\n{proc.stderr}")
    result = parse_wrk(proc.stdout)
    wrk_cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    total = (busy1 - busy0) / tick
    gunicorn_cpu = (ours1 - ours0) / tick
    pg_cpu = (pg1 - pg0) / tick
    result["cpu_cores"] = {  # average number of busy cores during the run
        "gunicorn": round(gunicorn_cpu / elapsed, 2),
        "wrk": round(wrk_cpu / elapsed, 2),
        "postgres": round(pg_cpu / elapsed, 2),
        "other": round(max(0.0, total - gunicorn_cpu - wrk_cpu - pg_cpu) / elapsed, 2),
        "machine": round(total / elapsed, 2),
    }
    # Throughput per core of gunicorn CPU: comparable between runs even when other processes
    # took part of the machine (the workers are CPU-bound when uncached).
    if result["cpu_cores"]["gunicorn"]:
        result["rps_per_gunicorn_core"] = round(result["rps"] / result["cpu_cores"]["gunicorn"], 1)
    result["cpu_speed_ms"] = speed
    result["raw"] = proc.stdout
    return result


def measure(server, key, path, cached, args, lua, db_name):
    """One wrk measurement, checked: all 2xx, and the page cache used (cached) or not (uncached)."""
    label = f"{key} {'cached' if cached else 'uncached'}"
    attempts = []
    for attempt in range(args.retries + 1):
        quiet = wait_until_quiet(args.max_other_cores, args.wait_quiet)
        wrk(server, path, not cached, args.warmup, args, lua, db_name)  # warm-up, discarded
        result = wrk(server, path, not cached, args.duration, args, lua, db_name)
        responses = result["responses"]
        if responses["bad"] or result.get("non_2xx_3xx"):
            raise BenchError(
                f"{label}: {responses['bad']} non-2xx responses out of "
                f"{responses['ok'] + responses['bad']}"
            )
        errors = result.get("socket_errors") or {}
        if errors.get("timeout") or errors.get("connect"):
            raise BenchError(f"{label}: socket errors {errors}")
        if cached and responses["hit"] != responses["ok"]:
            raise BenchError(
                f"{label}: only {responses['hit']} of {responses['ok']} were cache hits"
            )
        if not cached and responses["hit"]:
            raise BenchError(f"{label}: {responses['hit']} responses came from the page cache")
        result["quiet_before_cores"] = round(quiet, 2)
        other = result["cpu_cores"]["other"]
        result["disturbed"] = other > args.max_other_cores
        result["attempt"] = attempt + 1
        attempts.append(result)
        log(
            f"    {label:22} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f} ms  "
            f"p99 {result['p99_ms']:7.2f} ms  cpu {result['cpu_cores']} "
            f"speed {result['cpu_speed_ms']} ms"
        )
        if not result["disturbed"]:
            break
        if attempt < args.retries:
            log(f"    other processes used {other} cores during the run; measuring again")
    # The least disturbed attempt is the one reported; the others stay in the JSON.
    best = min(attempts, key=lambda r: r["cpu_cores"]["other"])
    if best["disturbed"]:
        log(f"    ! {label}: other processes used {best['cpu_cores']['other']} cores")
    best["other_attempts"] = [
        {k: r[k] for k in ("rps", "p50_ms", "p99_ms", "cpu_cores", "cpu_speed_ms")}
        for r in attempts
        if r is not best
    ]
    return best


# --------------------------------------------------------------------------------------------
# In-process probe: query counts, server time, profile (runs in a subprocess with the bench env)


def _wsgi_get(app, path, cookie):
    """One request straight through the WSGI application, as gunicorn would make it."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = SESSION_COOKIE
    status_headers = {}

    def start_response(status, headers, exc_info=None):
        status_headers["status"] = int(status.split()[0])
        status_headers["headers"] = {k.lower(): v for k, v in headers}

    body = app(environ, start_response)
    try:
        content = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return status_headers["status"], status_headers["headers"], content


def probe(args):
    """Prints JSON: the URLs, the queries of each page and its in-process time."""
    for p in (str(ROOT / "site"), str(ROOT)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsroom.cache import invalidate_page_cache
    from newsroom.models import NewsPage

    app = get_wsgi_application()
    item = (
        NewsPage.objects.live().filter(slug__startswith="bench-").order_by("-date", "-pk").first()
        or NewsPage.objects.live().order_by("-date", "-pk").first()
    )
    if item is None:
        raise BenchError("no news item in the bench database")
    urls = {"home": "/", "news-list": "/news/", "news-page": item.get_url()}
    out = {
        "urls": urls,
        "news_items": NewsPage.objects.count(),
        "live_news_items": NewsPage.objects.live().count(),
        "pages": {},
    }

    def captured(path, cookie):
        with CaptureQueriesContext(connection) as ctx:
            status, headers, body = _wsgi_get(app, path, cookie)
        queries = [q["sql"] for q in ctx.captured_queries]  # copy now: the next request resets
        if status != 200:
            raise BenchError(f"{path}: HTTP {status}")
        return queries, headers, body

    for key, path in urls.items():
        for _ in range(3):  # renditions, template loading, the settings and rendition caches
            status, _headers, _body = _wsgi_get(app, path, True)
            if status != 200:
                raise BenchError(f"{path}: HTTP {status}")
        # Right after a publication: a new site generation, nothing remembered by the process.
        invalidate_page_cache()
        cold_queries, _, _ = captured(path, cookie=True)
        queries, headers, body = captured(path, cookie=True)
        if headers.get("x-page-cache") == "hit":
            raise BenchError(f"{path}: page cache hit despite the session cookie")
        # A logged-out visitor on a cache miss: a query string the page ignores makes the miss
        # (and warms whatever a first miss warms); the second one is counted.
        sep = "&" if "?" in path else "?"
        _wsgi_get(app, f"{path}{sep}bench-miss=1", False)
        anon_queries, anon_headers, _ = captured(f"{path}{sep}bench-miss=2", cookie=False)
        timings, cpu = [], []
        for _ in range(args.probe_requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            _wsgi_get(app, path, True)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        out["pages"][key] = {
            "path": path,
            "queries": len(queries),
            "sql": queries,
            "queries_anonymous_miss": len(anon_queries),
            "queries_after_publication": len(cold_queries),
            "anonymous_x_page_cache": anon_headers.get("x-page-cache"),
            "bytes": len(body),
            "inprocess_ms_median": round(statistics.median(timings), 2),
            "inprocess_ms_min": round(min(timings), 2),
            # CPU time of this process only: Python, templates, and SQLite (in-process); not
            # PostgreSQL's or Redis's own work. Hardly affected by other load on the machine.
            "inprocess_cpu_ms_median": round(statistics.median(cpu), 2),
        }
    print(json.dumps(out))


def profile(args):
    """Profiles one page in-process (pyinstrument when installed, and cProfile)."""
    for p in (str(ROOT / "site"), str(ROOT)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import cProfile
    import pstats

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    from newsroom.models import NewsPage

    app = get_wsgi_application()
    if args.profile == "news-page":
        item = (
            NewsPage.objects.live()
            .filter(slug__startswith="bench-")
            .order_by("-date", "-pk")
            .first()
            or NewsPage.objects.live().order_by("-date", "-pk").first()
        )
        path = item.get_url()
    else:
        path = {"home": "/", "news-list": "/news/"}[args.profile]
    for _ in range(5):
        status, _headers, _body = _wsgi_get(app, path, True)
        if status != 200:
            raise BenchError(f"{path}: HTTP {status}")
    n = args.profile_requests
    started = time.perf_counter()
    for _ in range(n):
        _wsgi_get(app, path, True)
    plain_ms = (time.perf_counter() - started) * 1000 / n
    print(
        f"# {args.profile} {path}: {plain_ms:.1f} ms per request without a profiler ({n} requests)"
    )
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(n):
            _wsgi_get(app, path, True)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.profile_all))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        _wsgi_get(app, path, True)
    prof.disable()
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(60)
    print(stream.getvalue())


# --------------------------------------------------------------------------------------------
# One database, start to finish


def git_state():
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            timeout=10,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()  # fmt: skip
        return f"{head}{' (uncommitted changes)' if dirty else ''}"
    except Exception:
        return "unknown"


def machine():
    import importlib.metadata as md

    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    versions = {}
    for name in ("Django", "wagtail", "gunicorn", "psycopg", "redis"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions[name] = md.version(name)
    try:
        wrk_version = subprocess.run(
            [WRK, "-v"], capture_output=True, text=True, timeout=10
        ).stdout.split("\n")[0].strip()  # fmt: skip
    except Exception:
        wrk_version = "?"
    cpu_model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "versions": versions,
        "wrk": wrk_version,
        "git": git_state(),
    }


def summarize(runs):
    """Medians over the repeated runs, with the range of requests/s; every run kept."""
    for r in runs:
        r.pop("raw", None)
    med = statistics.median
    return {
        "rps": round(med(r["rps"] for r in runs), 1),
        "rps_min": min(r["rps"] for r in runs),
        "rps_max": max(r["rps"] for r in runs),
        "p50_ms": round(med(r["p50_ms"] for r in runs), 2),
        "p99_ms": round(med(r["p99_ms"] for r in runs), 2),
        "disturbed": any(r["disturbed"] for r in runs),
        "runs": runs,
    }


def cpu_speed_ms():
    """A fixed pure-Python loop, best of three, in ms: how fast the (virtual) CPU is right now."""
    best = None
    for _ in range(3):
        started = time.process_time()
        total = 0
        for i in range(300_000):
            total += i * i
        elapsed = (time.process_time() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return round(best, 1)


def bench_database(db, args, secret_key, lua):
    log(f"== {db} ==")
    env = bench_env(db, secret_key)
    Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
    manage = [PYTHON, "manage.py"]
    setup = {}
    if args.skip_seed:
        if not database_exists(db):
            raise BenchError(f"--skip-seed: the {db} bench database does not exist yet")
        # The code may have gained migrations since the database was seeded.
        _, setup["migrate_s"] = run(manage + ["migrate", "--noinput"], env, 900, "migrate")
    else:
        recreate_database(db)
        _, setup["migrate_s"] = run(manage + ["migrate", "--noinput"], env, 900, "migrate")
        _, setup["demo_s"] = run(manage + ["load_demo_content"], env, 900, "load_demo_content")
        proc, setup["seed_s"] = run(
            [PYTHON, "bench/seed.py", "--news", str(args.news)], env, 600, f"seed {args.news} news"
        )
        setup["seed"] = json.loads(proc.stdout.strip().splitlines()[-1])
    _, setup["collectstatic_s"] = run(
        manage + ["collectstatic", "--noinput"], env, 300, "collectstatic"
    )

    flush_redis()
    probe_cmd = [
        PYTHON,
        str(Path(__file__).resolve()),
        "--_probe",
        "--probe-requests",
        str(args.probe_requests),
    ]
    proc, _ = run(probe_cmd, env, 600, "queries per page (in-process)")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    for key, page in info["pages"].items():
        log(
            f"    {key:10} {page['path']:28} {page['queries']:3} queries "
            f"(logged-out miss: {page['queries_anonymous_miss']}, "
            f"after a publication: {page['queries_after_publication']}), "
            f"in-process {page['inprocess_ms_median']} ms "
            f"(CPU {page['inprocess_cpu_ms_median']} ms)"
        )
        if args.show_queries:
            for n, sql in enumerate(page["sql"], 1):
                log(f"      {n:2}. {sql}")
    flush_redis()  # the cached runs start from an empty page cache

    result = {
        "db": db,
        "machine": machine(),
        "settings": {
            "news_items": info["news_items"],
            "live_news_items": info["live_news_items"],
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency",
            "warmup_s": args.warmup,
            "repeat": args.repeat,
            "DB_CONN_MAX_AGE": "60 (production default)",
        },
        "setup": setup,
        "pages": {},
    }
    logfile = VAR / f"gunicorn-{db}.log"
    pg_name = PG_DB if db == "postgres" else None  # whose PostgreSQL backends count as ours
    runs = {key: {"uncached": [], "cached": []} for key, _ in PAGES}
    with Gunicorn(env, args.workers, logfile) as server:
        for key, _label in PAGES:
            path = info["urls"][key]
            status, headers, _ = server.get(path, cookie=True)
            if status != 200 or headers.get("x-page-cache") == "hit":
                raise BenchError(f"{path} with the cookie: HTTP {status}, {headers}")
            result["pages"][key] = {"path": path, **info["pages"][key]}
        # Round robin over the pages, so that a slow spell of the (virtual) machine does not
        # fall on one page only.
        for _round in range(args.repeat):
            for key, _label in PAGES:
                run_ = measure(server, key, info["urls"][key], False, args, lua, pg_name)
                runs[key]["uncached"].append(run_)
        for key, _label in PAGES:
            path = info["urls"][key]
            first = server.get(path, cookie=False)
            second = server.get(path, cookie=False)
            if second[0] != 200 or second[1].get("x-page-cache") != "hit":
                raise BenchError(
                    f"{path} without the cookie: X-Page-Cache {first[1].get('x-page-cache')!r} "
                    f"then {second[1].get('x-page-cache')!r} (expected a hit the second time)"
                )
        for _round in range(args.repeat):
            for key, _label in PAGES:
                run_ = measure(server, key, info["urls"][key], True, args, lua, pg_name)
                runs[key]["cached"].append(run_)
    for key, _label in PAGES:
        for mode in ("uncached", "cached"):
            result["pages"][key][mode] = summarize(runs[key][mode])
    errors = [
        line for line in logfile.read_text().splitlines() if "Traceback" in line or "ERROR" in line
    ]
    result["gunicorn_log_errors"] = errors[:20]
    out = VAR / f"results-{db}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    log(f"  results: {out.relative_to(ROOT)}")
    return result


def check(value, target, higher_is_better=True):
    if target is None:
        return ""
    ok = value >= target if higher_is_better else value <= target
    return " ✅" if ok else " ❌"


def markdown(result):
    s = result["settings"]
    lines = [
        f"### {result['db']} — {s['news_items']} news items, gunicorn {s['workers']} sync "
        f"workers, wrk {s['wrk']}",
        "",
        "| Page | Queries, warm / after a publication (≤ 12) | Uncached req/s"
        + (" median (min–max)" if s.get("repeat", 1) > 1 else "")
        + " | p50 | p99 | Cached req/s | p50 | p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def rps(m):
        spread = f" ({m['rps_min']:.0f}–{m['rps_max']:.0f})" if len(m["runs"]) > 1 else ""
        return f"{m['rps']:.0f}{spread}"

    for key, label in PAGES:
        page = result["pages"][key]
        u, c = page["uncached"], page["cached"]
        target = TARGET_UNCACHED_RPS[key]
        lines.append(
            f"| {label} `{page['path']}` "
            f"| {page['queries']} / {page['queries_after_publication']}"
            f"{check(max(page['queries'], page['queries_after_publication']), TARGET_QUERIES, False)} "
            f"| {rps(u)}{check(u['rps'], target)}"
            f"{f' (≥ {target})' if target else ''} "
            f"| {u['p50_ms']:.1f} ms | {u['p99_ms']:.1f} ms "
            f"| {rps(c)}{check(c['rps'], TARGET_CACHED_RPS)} "
            f"| {c['p50_ms']:.2f} ms | {c['p99_ms']:.2f} ms |"
        )
    disturbed = [
        f"{key} {mode}"
        for key, _ in PAGES
        for mode in ("uncached", "cached")
        if result["pages"][key][mode]["disturbed"]
    ]
    if disturbed:
        lines += ["", f"Disturbed by other processes: {', '.join(disturbed)}."]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--news", type=int, default=10_000, help="bench news items (10000)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (15)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per page and mode, medians reported (1)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of discarded wrk (3)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the bench database")
    parser.add_argument("--show-queries", action="store_true", help="list the SQL of each page")
    parser.add_argument(
        "--max-other-cores",
        type=float,
        default=0.3,
        help="CPU other processes may use before a run counts as disturbed",
    )
    parser.add_argument(
        "--wait-quiet",
        type=int,
        default=120,
        help="seconds to wait for a quiet machine before each run (120)",
    )
    parser.add_argument(
        "--retries", type=int, default=1, help="measure again when a run was disturbed (1)"
    )
    parser.add_argument("--probe-requests", type=int, default=30)
    parser.add_argument(
        "--profile",
        choices=[k for k, _ in PAGES],
        help="profile one page in-process on the bench database, then stop",
    )
    parser.add_argument("--profile-requests", type=int, default=100)
    parser.add_argument("--profile-all", action="store_true", help="pyinstrument: all frames")
    parser.add_argument("--_probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._probe:
        probe(args)
        return 0
    if args._profile:
        profile(args)
        return 0

    VAR.mkdir(parents=True, exist_ok=True)
    for tool, path in (("wrk", WRK), ("gunicorn", GUNICORN)):
        if not path or not Path(path).exists():
            log(f"{tool} not found")
            return 2
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not postgres_answers():
        if args.db == "postgres":
            log(f"PostgreSQL does not answer at {PG_SERVER_URL}")
            return 2
        log("PostgreSQL does not answer: measuring SQLite only.")
        dbs.remove("postgres")

    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl+C, so gunicorn is always stopped.
    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    secret_key = secrets.token_urlsafe(64)

    if args.profile:
        db = dbs[0]
        env = bench_env(db, secret_key)
        if not database_exists(db):
            log(f"no {db} bench database: run the benchmark first")
            return 2
        run([PYTHON, "manage.py", "migrate", "--noinput"], env, 900, "migrate")
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], env, 300, "collectstatic")
        cmd = [PYTHON, str(Path(__file__).resolve()), "--_profile", "--profile", args.profile,
               "--profile-requests", str(args.profile_requests)]  # fmt: skip
        if args.profile_all:
            cmd.append("--profile-all")
        proc, _ = run(cmd, env, 900, f"profile {args.profile} on {db}")
        out = VAR / f"profile-{db}-{args.profile}.txt"
        out.write_text(proc.stdout)
        print(proc.stdout)
        log(f"  profile: {out.relative_to(ROOT)}")
        return 0

    lua = VAR / "count.lua"
    lua.write_text(WRK_LUA)
    results = []
    started = time.monotonic()
    try:
        for db in dbs:
            results.append(bench_database(db, args, secret_key, lua))
    except BenchError as exc:
        log(f"\nBENCHMARK FAILED: {exc}")
        return 1
    except KeyboardInterrupt:
        log("\ninterrupted")
        return 130
    print()
    for result in results:
        print(markdown(result))
        print()
    print(
        f"Targets: uncached home ≥ {TARGET_UNCACHED_RPS['home']} req/s, news page ≥ "
        f"{TARGET_UNCACHED_RPS['news-page']} req/s, ≤ {TARGET_QUERIES} queries; cached ≥ "
        f"{TARGET_CACHED_RPS} req/s. Total time {time.monotonic() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
