"""Health endpoints for the monitor and the load balancer: ``/healthz`` and ``/readyz``.

``/healthz`` says the process is alive and answers requests (no dependency is asked).
``/readyz`` asks every dependency the site needs to do its work, with django-health-check's
checks and three of our own, and answers 200, or 503 naming what failed — by name only
(«database», «cache», …): no exception text, host or path reaches the public.

Both are answered by ``HealthMiddleware``, first in the chain, so that a broken cache or
database cannot turn the answer into a 500 in some other middleware before the checks run.
"""

from __future__ import annotations

import dataclasses
import datetime
import inspect
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from asgiref.sync import async_to_sync
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration of the code is applied (a deploy that skipped ``migrate`` is not ready)."""

    def run(self):
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("unapplied migrations")


@dataclasses.dataclass
class SchedulesRunning(HealthCheck):
    """The django-q2 cluster runs its schedules: none of the repeating ones is overdue by more
    than ``HEALTH_SCHEDULE_LAG_MINUTES``. Its scheduler lives in the worker, so this is also the
    worker's heartbeat: a dead worker leaves every schedule behind."""

    def run(self):
        from django_q.models import Schedule

        oldest = (
            Schedule.objects.exclude(repeats=0)
            .exclude(schedule_type=Schedule.ONCE)
            .order_by("next_run")
            .values_list("next_run", flat=True)
            .first()
        )
        if oldest is None:
            raise ServiceUnavailable("no schedules: the worker has never started")
        lag = timezone.now() - oldest
        if lag > datetime.timedelta(minutes=settings.HEALTH_SCHEDULE_LAG_MINUTES):
            raise ServiceUnavailable("schedules behind")


@dataclasses.dataclass
class DiskSpace(HealthCheck):
    """Room left for uploads and the database's neighbours on the media volume."""

    def run(self):
        volume = Path(settings.MEDIA_ROOT).resolve()
        while not volume.exists():  # not made yet: its volume is its nearest existing parent
            volume = volume.parent
        free_mb = shutil.disk_usage(volume).free / 2**20
        if free_mb < settings.HEALTH_MIN_FREE_DISK_MB:
            raise ServiceUnavailable("low disk space")


# What each check is called in the answer.
CHECKS = (
    ("database", Database),
    ("cache", Cache),
    ("migrations", MigrationsApplied),
    ("worker", SchedulesRunning),
    ("disk", DiskSpace),
)


def failed_checks():
    """The names of the dependencies that failed, in the order of ``CHECKS``. The checks run one
    after another in the request's thread (its database connection), each bounded by its own
    client's timeout; what failed is logged with its cause, the answer carries the name only."""
    failed = []
    for name, check_class in CHECKS:
        check = check_class()
        try:
            if inspect.iscoroutinefunction(check.run):
                async_to_sync(check.run)()
            else:
                check.run()
        except Exception:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            failed.append(name)
    return failed


def _never_cached(response):
    response["Cache-Control"] = "no-store"
    return response


def alive(request):
    return _never_cached(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


def ready(request):
    failed = failed_checks()
    body = {"status": "unavailable" if failed else "ok", "failed": failed}
    return _never_cached(JsonResponse(body, status=503 if failed else 200))


class HealthMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return alive(request)
        if request.path == "/readyz" and request.method in ("GET", "HEAD"):
            return ready(request)
        return self.get_response(request)
