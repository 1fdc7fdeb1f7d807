#!/usr/bin/env python
"""Micro-benchmark of the working-time engine (newsroom.worktime), no Django.

Three typical deadline computations from random instants in 2026 (Europe/Moscow, the default
schedule), each run for about ``--seconds`` (3 s by default) after a short warm-up:

* 8 working hours («в течение 8 рабочих часов с момента выявления»);
* 24 calendar hours;
* 7 working days («не более 7 рабочих дней со дня направления промежуточного ответа»).

    .venv/bin/python bench/worktime.py
    .venv/bin/python bench/worktime.py --seconds 1
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsroom.worktime import ProductionCalendar, Unit, WeeklySchedule, WorkingTime  # noqa: E402

CASES = (
    ("8 working hours", 8, Unit.WORKING_HOURS),
    ("24 calendar hours", 24, Unit.CALENDAR_HOURS),
    ("7 working days", 7, Unit.WORKING_DAYS),
)


def random_instants(tz: ZoneInfo, count: int, seed: int = 4) -> list[datetime]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=tz)
    year = 365 * 24 * 3600
    return [start + timedelta(seconds=rng.randrange(year)) for _ in range(count)]


def measure(clock: WorkingTime, starts: list[datetime], amount: int, unit: Unit, seconds: float):
    add = clock.add
    for start in starts:  # warm-up: fills the per-date cache
        add(start, amount, unit)
    done = 0
    began = time.perf_counter()
    deadline = began + seconds
    while time.perf_counter() < deadline:
        for start in starts:
            add(start, amount, unit)
        done += len(starts)
    return done / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each case")
    args = parser.parse_args()
    tz = ZoneInfo("Europe/Moscow")
    clock = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), tz)
    starts = random_instants(tz, 10_000)
    print(f"Python {sys.version.split()[0]}, {len(starts)} random instants in 2026, {tz.key}")
    for name, amount, unit in CASES:
        rate = measure(clock, starts, amount, unit, args.seconds)
        print(f"{name:>20}: {rate:>12,.0f} computations/s")


if __name__ == "__main__":
    main()
