"""The monthly analysis over 100,000 and 1,000,000 cases on PostgreSQL: build, page, DOCX.

Run from the repository root (bounded: a fixed number of runs per measurement)::

    .venv/bin/python bench/monthly_report.py                    # 100,000 then 1,000,000 cases
    .venv/bin/python bench/monthly_report.py --sizes 100000 --runs 3

It recreates the PostgreSQL database ``pressoffice_report_bench`` on 127.0.0.1, migrates it and
seeds cases with ``INSERT … SELECT generate_series`` spread evenly over the last 13 months (the
report reads the month, the month before, the same month a year ago and a 12-month trend), with
stage moments and working minutes, 10 % of them returned for rework, 5 % repeats, 3 % left
without an answer, 2 % of high importance. For each size it measures, as medians of ``--runs``:

* ``monthly.build`` for the last closed month — the aggregation alone, with its query count;
* the admin page «Анализ сообщений» as the head of the press office (test client, in-process),
  with its five charts;
* the DOCX, XLSX and PDF exports.

Results go to var/bench/monthly_report.json.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from _pg import recreate_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "pressoffice_report_bench"

SEED_SQL = """
INSERT INTO newsroom_case (
    source, external_id, network, url, author_name, author_id, text, detected_at, category, kind,
    attachments, place, status, unit_id, executor_id, profile_id, clock_started_at,
    routing_due, draft_due, forward_due, answer_due, answer_due_note, rework_due, final_due,
    routed_at, routing_minutes, draft_submitted_at, draft_minutes, forwarded_at, forward_minutes,
    answer_minutes, answer_url, answered_at, no_answer_reason, appeal_extension_notice,
    created_at, updated_at
)
SELECT
    'bench', 'b' || g, (ARRAY['vk', 'ok', 'telegram', 'site', 'max'])[1 + mod(g, 5)], '',
    'Автор ' || (mod(g, 5000)), 'a' || (mod(g, 5000)), 'Сообщение № ' || g || ': нет воды',
    d, (ARRAY['ЖКХ', 'Дороги', 'Благоустройство', 'Транспорт', 'Образование', ''])[1 + mod(g, 6)],
    CASE WHEN mod(g, 50) = 0 THEN 'high_importance' ELSE 'incident' END, '[]',
    CASE WHEN mod(g, 3) = 0 THEN 'ул. Ленина, ' || (mod(g, 40)) ELSE '' END,
    CASE WHEN mod(g, 33) = 0 THEN 'closed_no_answer' WHEN mod(g, 10) < 8 THEN 'answered'
         ELSE 'drafting' END,
    %(units)s[1 + mod(g, %(unit_count)s)], %(executors)s[1 + mod(g, %(executor_count)s)], %(profile)s, d,
    d + interval '2 hours', d + interval '6 hours', d + interval '7 hours',
    d + interval '24 hours', '', NULL, NULL,
    d + (mod(g, 180)) * interval '1 minute', mod(g, 180),
    d + (mod(g, 420)) * interval '1 minute', mod(g, 420),
    d + (mod(g, 480)) * interval '1 minute', mod(g, 480),
    CASE WHEN mod(g, 10) < 8 THEN mod(g, 1800) END, '',
    CASE WHEN mod(g, 10) < 8 AND mod(g, 33) <> 0 THEN d + (mod(g, 1800)) * interval '1 minute' END,
    CASE WHEN mod(g, 33) = 0 THEN 'obscenity' ELSE '' END, '', d, d
FROM (
    SELECT g, now() - interval '395 days' * (mod(g * 7919, %(total)s))::float / %(total)s AS d
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
) AS seeded
"""

REWORK_SQL = """
INSERT INTO newsroom_caserework (case_id, stage, returned_at, comment, missing, due, done_at, minutes)
SELECT id, CASE WHEN id % 2 = 0 THEN 'press' ELSE 'curator' END, detected_at + interval '5 hours',
       (ARRAY['Нет срока устранения', 'Добавьте фото', 'Слишком формально'])[1 + id % 3],
       '["terms"]', detected_at + interval '9 hours',
       detected_at + interval '8 hours' + (id % 3) * interval '1 hour', 60 + id % 240
FROM newsroom_case WHERE mod(id, 10) = 0 AND id > %(after)s
"""


def people():
    from django.contrib.auth.models import Group, User

    from newsroom.models import Department

    units = []
    for n in range(12):
        unit, _ = Department.objects.get_or_create(
            short_name=f"Отдел-{n}", defaults={"name": f"Отдел № {n}", "slug": f"bench-unit-{n}"}
        )
        units.append(unit.pk)
    executors = []
    group = Group.objects.get(name="Исполнители")
    for n in range(40):
        user, _ = User.objects.get_or_create(
            username=f"bench-executor-{n}",
            defaults={"first_name": "Исполнитель", "last_name": f"№ {n}"},
        )
        user.groups.add(group)
        executors.append(user.pk)
    head, _ = User.objects.get_or_create(username="bench-head")
    head.groups.add(Group.objects.get(name="Заведующий отделом"))
    return units, executors, head


def seed(first, last, total, units, executors):
    from django.db import connection

    from newsroom.clock import profile_for
    from newsroom.models import Case

    profile = profile_for(Case(kind="incident"))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM newsroom_case")
        after = cursor.fetchone()[0]
        sql = SEED_SQL % {
            "units": "(ARRAY[%s])" % ",".join(map(str, units)),
            "unit_count": len(units),
            "executors": "(ARRAY[%s])" % ",".join(map(str, executors)),
            "executor_count": len(executors),
            "profile": profile.pk,
            "total": total,
            "first": first,
            "last": last,
        }
        cursor.execute(sql)
        cursor.execute(REWORK_SQL.replace("%(after)s", str(after)))
        cursor.execute(
            "UPDATE newsroom_case SET repeated_of_id = id - 1 WHERE mod(id, 20) = 0 AND id > %s",
            [after + 1],
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def timed(function, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings) * 1000), round(max(timings) * 1000)


def measure(head, runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from newsroom.models import Case
    from newsroom.organisation import organisation_zone
    from newsroom.reports import exports, monthly, services
    from newsroom.reports.period import Period

    period = Period.last_closed_month(timezone.now(), organisation_zone())
    in_month = Case.objects.filter(
        detected_at__gte=period.start, detected_at__lt=period.end
    ).count()
    monthly.build(period)  # warm the connection and the plans
    with CaptureQueriesContext(connection) as queries:
        report = monthly.build(period)
    results = {
        "cases": Case.objects.count(),
        "cases_in_month": in_month,
        "queries": len(queries),
        "build_ms": timed(lambda: monthly.build(period), runs),
    }
    client = Client()
    client.force_login(head)
    url = f"/admin/reports/monthly-analysis/?month={period.key}"

    def page():
        response = client.get(url)
        assert response.status_code == 200 and response.content.count(b"data-chart=") == 5

    page()
    results["page_ms"] = timed(page, runs)
    head_letter = services.letterhead()
    for name, render in (
        ("docx", exports.docx_bytes),
        ("xlsx", exports.xlsx_bytes),
        ("pdf", exports.pdf_bytes),
    ):
        results[f"{name}_ms"] = timed(lambda render=render: render(report, head_letter), runs)
        response = client.get(url + f"&format={name}")
        assert response.status_code == 200
        results[f"{name}_kb"] = round(len(response.content) / 1024)
    results["download_docx_ms"] = timed(
        lambda: client.get(url + "&format=docx").status_code == 200 or sys.exit(1), runs
    )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))

    recreate_database(DB_NAME)
    setup_django(DB_NAME, "static-report")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    units, executors, head = people()
    results = []
    seeded = 0
    for size in sizes:
        # Each step spreads its new cases over the same 13 months, so every month grows alike.
        seed_s = seed(seeded + 1, size, size, units, executors)
        seeded = size
        row = {"seed_s": round(seed_s, 1), **measure(head, args.runs)}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "monthly_report.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(
        "| обращений | в месяце | запросов | расчёт, мс | страница, мс | DOCX, мс "
        "| скачать DOCX, мс | XLSX, мс | PDF, мс |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in results:
        print(
            f"| {row['cases']:,} | {row['cases_in_month']:,} | {row['queries']} "
            f"| {row['build_ms'][0]} | {row['page_ms'][0]} | {row['docx_ms'][0]} "
            f"| {row['download_docx_ms'][0]} | {row['xlsx_ms'][0]} | {row['pdf_ms'][0]} |".replace(
                ",", " "
            )
        )


if __name__ == "__main__":
    main()
