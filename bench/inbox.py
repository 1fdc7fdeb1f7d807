"""Inbox with 100,000 cases on PostgreSQL: time of the case list and its query count.

Run from the repository root (bounded: a fixed number of requests per page)::

    .venv/bin/python bench/inbox.py            # 100,000 cases, 40 requests per page
    .venv/bin/python bench/inbox.py --cases 20000 --requests 20

It recreates the PostgreSQL database ``pressoffice_inbox_bench`` on 127.0.0.1, migrates it, seeds
cases with real deadlines (computed by the working-time engine under the active profile) in bulk,
then requests the admin pages in-process with Django's test client as a logged-in curator and
executor, and prints the median, the 95th percentile and the number of SQL queries of each page.
Results go to var/bench/inbox.json.
"""

import argparse
import datetime
import json
import random
import statistics
import time
from pathlib import Path

from _pg import recreate_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "pressoffice_inbox_bench"


def seed(total, executors_count=20):
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from newsroom.casework.rules import deadlines
    from newsroom.casework.rules.lifecycle import Status
    from newsroom.clock import organisation_clock, profile_for
    from newsroom.models import Case
    from newsroom.organisation import organisation_settings

    executors_group = Group.objects.get(name="Исполнители")
    executors = []
    for n in range(executors_count):
        user, _ = User.objects.get_or_create(
            username=f"bench-executor-{n}", defaults={"email": f"e{n}@example.ru"}
        )
        user.groups.add(executors_group)
        executors.append(user)
    curator, _ = User.objects.get_or_create(username="bench-curator")
    curator.groups.add(Group.objects.get(name="Кураторы"))

    settings = organisation_settings()
    clock = organisation_clock(settings)
    profile = profile_for(Case(kind="incident"), settings)
    rules = profile.rules()
    rnd = random.Random(7)
    now = timezone.now()
    statuses = [
        Status.NEW,
        Status.ROUTED,
        Status.DRAFTING,
        Status.PRESS_REVIEW,
        Status.ANSWERED,
        Status.ANSWERED,
    ]
    networks = ["vk", "ok", "telegram", "site"]
    started = time.perf_counter()
    batch = []
    for n in range(total):
        detected = now - datetime.timedelta(minutes=rnd.randint(0, 60 * 24 * 365))
        fixed = deadlines.initial_deadlines(rules, clock, detected)
        status = rnd.choice(statuses)
        executor = None if status == Status.NEW else rnd.choice(executors)
        case = Case(
            source="bench",
            external_id=f"b{n}",
            network=rnd.choice(networks),
            text=f"Сообщение № {n}: нет воды на улице {n % 300}",
            author_name=f"Автор {n % 5000}",
            author_id=f"a{n % 5000}",
            detected_at=detected,
            status=status.value,
            executor=executor,
            profile=profile,
            clock_started_at=detected,
            draft_due=fixed.draft_due,
            answer_due=fixed.answer_due,
            routing_due=fixed.routing_due,
        )
        case.next_due = (
            None
            if status == Status.ANSWERED
            else min(d for d in (fixed.draft_due, fixed.answer_due) if d)
        )
        batch.append(case)
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return curator, executors[0], time.perf_counter() - started


def measure(client, path, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)

    recreate_database(DB_NAME)
    setup_django(DB_NAME, "static-inbox")
    from django.core.management import call_command
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    curator, executor, seed_s = seed(args.cases)
    from newsroom.models import Case

    pages = {
        "Все обращения (куратор)": (curator, "/admin/cases/"),
        "Все обращения, стр. 200": (curator, "/admin/cases/?p=200"),
        "Все обращения: открытые просроченные": (curator, "/admin/cases/?status=open&overdue=true"),
        "Все обращения: поиск": (curator, "/admin/cases/?q=" + "воды"),
        "Мои обращения (исполнитель)": (executor, "/admin/cases/mine/"),
        "Страница обращения": (curator, f"/admin/cases/{Case.objects.order_by('pk').first().pk}/"),
    }
    results = {}
    for name, (user, path) in pages.items():
        client = Client()
        client.force_login(user)
        results[name] = {"path": path, **measure(client, path, args.requests)}

    report = {
        "cases": Case.objects.count(),
        "executor_cases": Case.objects.filter(executor=executor).count(),
        "migrate_s": round(migrate_s, 1),
        "seed_s": round(seed_s, 1),
        "requests_per_page": args.requests,
        "pages": results,
    }
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "inbox.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(
        f"cases: {report['cases']}, seeded in {report['seed_s']} s; executor's own: {report['executor_cases']}"
    )
    print("| страница | p50, мс | p95, мс | запросов SQL |")
    print("|---|---|---|---|")
    for name, row in results.items():
        print(
            f"| {name} (`{row['path']}`) | {row['p50_ms']} | {row['p95_ms']} | {row['queries']} |"
        )


if __name__ == "__main__":
    main()
