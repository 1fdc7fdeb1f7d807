"""/healthz and /readyz: alive without asking anyone; ready only when every dependency answers,
and a 503 that names — by name only — what does not."""

from datetime import timedelta
from unittest import mock

from django.db import OperationalError, connection
from django.utils import timezone

import pytest
from django_q.models import Schedule

from newsroom.tasks import ensure_schedules

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_running():
    """The worker's schedules exist and are on time, as a running cluster keeps them."""
    ensure_schedules()
    Schedule.objects.update(next_run=timezone.now() + timedelta(minutes=1))


def readiness(client):
    response = client.get("/readyz")
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def test_alive_asks_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_ready_when_every_dependency_answers(client, worker_running):
    assert readiness(client) == (200, {"status": "ok", "failed": []})


def test_a_database_that_does_not_answer_is_named(client, worker_running):
    refused = OperationalError("connection to server at 127.0.0.1, port 5432 failed")
    with (
        mock.patch.object(connection, "temporary_connection", side_effect=refused),
        mock.patch.object(connection, "cursor", side_effect=refused),
    ):
        status, body = readiness(client)
    assert status == 503 and body["status"] == "unavailable"
    assert "database" in body["failed"]
    assert "127.0.0.1" not in str(body)  # nothing internal reaches the public


def test_a_cache_that_does_not_answer_is_named(client, worker_running, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nobody listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    assert readiness(client) == (503, {"status": "unavailable", "failed": ["cache"]})


def test_a_worker_that_never_started_or_stopped_is_named(client, worker_running):
    Schedule.objects.filter(func="social_sync.tasks.dispatch_due").update(
        next_run=timezone.now() - timedelta(minutes=6)
    )
    assert readiness(client) == (503, {"status": "unavailable", "failed": ["worker"]})
    Schedule.objects.all().delete()
    assert readiness(client) == (503, {"status": "unavailable", "failed": ["worker"]})


def test_a_one_off_wake_up_left_behind_is_not_the_worker_being_down(client, worker_running):
    Schedule.objects.create(
        name="Отправка в соцсети: аккаунт 1, следующая попытка",
        func="social_sync.tasks.wake_account",
        args="1",
        schedule_type=Schedule.ONCE,
        repeats=-1,
        next_run=timezone.now() - timedelta(hours=1),
    )
    assert readiness(client)[0] == 200


def test_unapplied_migrations_and_a_full_disk_are_named(client, worker_running, settings):
    plan = "django.db.migrations.executor.MigrationExecutor.migration_plan"
    with mock.patch(plan, return_value=[("newsroom.0999_next", False)]):
        assert readiness(client)[1]["failed"] == ["migrations"]
    settings.HEALTH_MIN_FREE_DISK_MB = 10**12
    assert readiness(client)[1]["failed"] == ["disk"]
