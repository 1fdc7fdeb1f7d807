"""Benchmark of what a web worker costs before and after its first publication: the memory of a
gunicorn worker right after boot and under load, and the first news-list request after a news
item is published, with a large archive.

    .venv/bin/python bench/startup.py [--db sqlite|postgres|both] [--news 100000]

Per database: a bench database of its own (``var/bench/startup.sqlite3`` or the PostgreSQL
database ``pressoffice_bench_startup``, reused while it holds ``--news`` items), seeded like
``bench/pages.py`` does; then

1. **the news list after a publication**, in-process through the WSGI application: a news item
   is published through Wagtail (``save_revision().publish()``, every signal fires), then
   ``/news/`` is requested once with a session cookie (no page cache), and the time of that
   request and its queries are recorded; ``--rounds`` times, medians reported;
2. **worker memory**: gunicorn with ``-w 2 -k sync`` and production settings; the resident set
   (VmRSS) of each worker right after it answers its first request (``/``), then after
   ``--requests`` requests to ``/``, ``/news/`` and a news page with a session cookie.

Bounded: fixed counts, a timeout on every subprocess, gunicorn's process group stopped at the end.
"""

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (the bench helpers: environment, subprocesses, gunicorn)

ROOT = pages.ROOT
VAR = pages.VAR
PG_DB = "pressoffice_bench_startup"


def env_for(db, secret_key):
    env = pages.bench_env(db, secret_key)
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'startup.sqlite3'}"
    else:
        env["DATABASE_URL"] = f"{pages.PG_SERVER_URL}/{PG_DB}"
    env["MEDIA_ROOT"] = str(VAR / f"media-startup-{db}")
    return env


def count_news(env):
    code = (
        "import django; django.setup(); from newsroom.models import NewsPage; "
        "print(NewsPage.objects.count())"
    )
    try:
        proc, _ = pages.run(
            [pages.PYTHON, "-c", code], {**env, "PYTHONPATH": "site:."}, 120, "count"
        )
    except pages.BenchError:
        return 0
    return int(proc.stdout.strip().splitlines()[-1])


def prepare(db, env, news):
    manage = [pages.PYTHON, "manage.py"]
    if db == "postgres":
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{pages.PG_SERVER_URL}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB)))
    Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
    pages.run(manage + ["migrate", "--noinput"], env, 900, "migrate")
    if count_news(env) < news:
        pages.run(manage + ["load_demo_content"], env, 900, "load_demo_content")
        pages.run([pages.PYTHON, "bench/seed.py", "--news", str(news)], env, 3600, f"seed {news}")
    pages.run(manage + ["collectstatic", "--noinput"], env, 300, "collectstatic")


def probe(args):
    """In-process: publish a news item, then time the first /news/ request. Prints JSON."""
    for p in (str(ROOT / "site"), str(ROOT)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    from newsroom.models import NewsIndexPage, NewsPage

    app = get_wsgi_application()
    feed = NewsIndexPage.objects.first()
    for _ in range(3):  # templates, renditions, settings
        pages._wsgi_get(app, "/news/", True)
    rounds = []
    for n in range(args.rounds):
        started = time.perf_counter()
        item = NewsPage(
            title=f"Публикация для замера {n}", slug=f"startup-{time.time_ns()}", lead="Лид."
        )
        feed.add_child(instance=item)
        item.save_revision().publish()
        publish_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        status, _headers, _body = pages._wsgi_get(app, "/news/", True)
        first_ms = (time.perf_counter() - started) * 1000
        if status != 200:
            raise pages.BenchError(f"/news/: HTTP {status}")
        started = time.perf_counter()
        pages._wsgi_get(app, "/news/", True)
        warm_ms = (time.perf_counter() - started) * 1000
        rounds.append({"publish_ms": publish_ms, "first_ms": first_ms, "warm_ms": warm_ms})
        item.delete()
    print(json.dumps({"news_items": NewsPage.objects.count(), "rounds": rounds}))


def rss_of_workers(master_pid):
    result = {}
    for pid, _comm, ppid, _pgrp in pages._processes():
        if ppid == master_pid:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        result[pid] = int(line.split()[1]) / 1024
    return result


def worker_memory(env, args, db):
    logfile = VAR / f"gunicorn-startup-{db}.log"
    with pages.Gunicorn(env, 2, logfile) as server:  # answers / once before returning
        # Each worker answers at least one request: sync workers take turns on the socket.
        for _ in range(4):
            server.get("/", cookie=True)
        after_boot = rss_of_workers(server.proc.pid)
        news_page = None
        status, _headers, body = server.get("/news/", cookie=True)
        if status == 200:
            import re

            match = re.search(rb'href="(/news/bench-[^"]+)"', body)
            news_page = match.group(1).decode() if match else None
        paths = ["/", "/news/", news_page or "/news/"]
        for n in range(args.requests):
            server.get(paths[n % len(paths)], cookie=True)
        under_load = rss_of_workers(server.proc.pid)
    return {
        "after_boot_mb": round(max(after_boot.values()), 1),
        "under_load_mb": round(max(under_load.values()), 1),
        "workers": len(under_load),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--news", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--_probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._probe:
        probe(args)
        return 0
    VAR.mkdir(parents=True, exist_ok=True)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in dbs and not pages.postgres_answers():
        pages.log("PostgreSQL does not answer: SQLite only.")
        dbs.remove("postgres")
    secret_key = "startup-bench-" + "x" * 50
    results = {}
    for db in dbs:
        pages.log(f"== {db} ==")
        env = env_for(db, secret_key)
        prepare(db, env, args.news)
        pages.flush_redis()
        cmd = [
            pages.PYTHON,
            str(Path(__file__).resolve()),
            "--_probe",
            "--rounds",
            str(args.rounds),
        ]
        proc, _ = pages.run(cmd, env, 900, "publication, then /news/")
        probe_result = json.loads(proc.stdout.strip().splitlines()[-1])
        rounds = probe_result["rounds"]
        results[db] = {
            "news_items": probe_result["news_items"],
            "first_news_list_ms": round(statistics.median(r["first_ms"] for r in rounds), 1),
            "first_news_list_ms_max": round(max(r["first_ms"] for r in rounds), 1),
            "warm_news_list_ms": round(statistics.median(r["warm_ms"] for r in rounds), 1),
            "publish_ms": round(statistics.median(r["publish_ms"] for r in rounds), 1),
            **worker_memory(env, args, db),
        }
        pages.log(f"  {json.dumps(results[db], ensure_ascii=False)}")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
