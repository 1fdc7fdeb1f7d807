"""Importing citizens' messages: how long the curator waits, and how fast the worker loads.

Run from the repository root (bounded: one file of ``--rows`` rows)::

    .venv/bin/python bench/case_import.py                 # 2,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/case_import.py --rows 5000 --db postgres

For each database it makes a fresh one (a SQLite file under var/bench, or the PostgreSQL
database ``pressoffice_import_bench`` on 127.0.0.1), migrates it, logs in a curator with
Django's test client and goes through the admin's import: upload and check the CSV (timed),
commit (timed: the request only queues the job), then runs the queued job the way the worker
would (timed, with the progress the job page would show sampled every second).
Results go to var/bench/case_import.json.
"""

import argparse
import json
import os
import secrets
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG = "postgres://postgres@127.0.0.1:5432"
PG_DB = "pressoffice_import_bench"


def prepare_database(db):
    if db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        return f"{PG}/{PG_DB}"
    path = VAR / "import-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def csv_file(rows):
    lines = ["Номер;Сеть;Ссылка;Автор;Текст;Выявлено;Тематика"]
    for n in range(rows):
        day = 1 + n % 28
        lines.append(
            f"B-{n:06d};ВКонтакте;https://vk.com/wall-1_{n};Житель {n};"
            f"Сообщение номер {n}: не убирают снег во дворе дома {n % 300};"
            f"{day:02d}.10.2026 {9 + n % 8:02d}:{n % 60:02d};ЖКХ"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def child(args):
    """One database, in a process of its own (Django is set up once per process)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pressoffice.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=args.database_url,
        FILE_CACHE_DIR=str(VAR / f"import-cache-{args.db}"),
        PRIVATE_STORAGE_ROOT=str(VAR / f"import-private-{args.db}"),
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # nothing leaves the bench
    )
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    cache.clear()
    from django.contrib.auth.models import Group, User

    from newsroom import roles
    from newsroom.casework.intake.importing import jobs
    from newsroom.models import Case, CaseImport

    user = User.objects.create_user("bench-curator", password=secrets.token_urlsafe(16))
    user.groups.add(Group.objects.get(name=roles.CURATORS))
    client = Client()
    client.force_login(user)

    queued = []
    import django_q.tasks

    original = django_q.tasks.async_task
    django_q.tasks.async_task = lambda *a, **k: queued.append(a)
    try:
        content = csv_file(args.rows)
        started = time.perf_counter()
        response = client.post(
            reverse("newsroom_case_import"),
            {"file": SimpleUploadedFile("bench.csv", content), "source": "bench"},
        )
        check_s = time.perf_counter() - started
        assert response.status_code == 302, response.content[:500]
        token = response.url.rsplit("=", 1)[1]
        started = time.perf_counter()
        response = client.post(reverse("newsroom_case_import_commit"), {"token": token})
        commit_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 302 and queued, response.status_code
    finally:
        django_q.tasks.async_task = original

    job = CaseImport.objects.get()
    samples = []
    stop = threading.Event()

    def sample():
        t0 = time.perf_counter()
        while not stop.wait(1.0):
            samples.append(
                (round(time.perf_counter() - t0, 1), cache.get(jobs.progress_key(job.pk), 0))
            )

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    outcome = jobs.run(job.pk)
    load_s = time.perf_counter() - started
    stop.set()
    sampler.join()
    job.refresh_from_db()
    result = {
        "db": args.db,
        "rows": args.rows,
        "check_s": round(check_s, 2),
        "commit_request_ms": round(commit_ms, 1),
        "load_s": round(load_s, 2),
        "rows_per_s": round(args.rows / load_s, 1),
        "outcome": outcome,
        "created": job.created_count,
        "cases": Case.objects.count(),
        "progress_samples": samples[:5] + samples[-3:],
    }
    print(json.dumps(result, ensure_ascii=False))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    if args._child:
        return child(args)

    import subprocess

    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        url = prepare_database(db)
        cmd = [sys.executable, __file__, "--_child", "--db", db, "--rows", str(args.rows)]
        proc = subprocess.run(
            [*cmd, "--database-url", url], capture_output=True, text=True, timeout=1800, cwd=ROOT
        )
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 1
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{db:8} {result['rows']} rows: check {result['check_s']} s, commit request "
            f"{result['commit_request_ms']} ms, worker load {result['load_s']} s "
            f"({result['rows_per_s']} rows/s), {result['outcome']}, cases {result['cases']}; "
            f"progress {result['progress_samples']}"
        )
    (VAR / "case_import.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
