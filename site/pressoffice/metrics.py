"""``/metrics`` for Prometheus: django-prometheus's request and process metrics, and the product's
own gauges, read from the database at each scrape (so every web process reports the same):

- ``pressoffice_outbox_rows{state}`` — crossposting and replies by state;
- ``pressoffice_outbox_oldest_waiting_seconds`` — age of the oldest row not yet sent;
- ``pressoffice_replies_waiting`` — answers to citizens not yet placed on the networks;
- ``pressoffice_social_accounts_on_hold`` / ``…_paused`` — waiting for a person's new keys /
  for a wait the network asked for;
- ``pressoffice_cases_overdue{status}`` — open cases past their nearest deadline, by stage;
- ``pressoffice_comment_intake_lag_seconds`` — since the last comment pull of any account;
- ``pressoffice_worker_heartbeat_age_seconds`` — since the worker last finished a task;
- ``pressoffice_schedule_lag_seconds`` — how far the most overdue repeating schedule is behind;
- ``pressoffice_metrics_up`` — 0 when the database could not be read for the gauges.

Not public: the endpoint answers only a request carrying ``Authorization: Bearer
<METRICS_TOKEN>``; without a configured token it does not exist (404).
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

import prometheus_client
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)


def _age(moment, now):
    return max(0.0, (now - moment).total_seconds()) if moment else 0.0


class ProductCollector:
    """The press office's own gauges (see the module's docstring)."""

    def collect(self):
        try:
            gauges = list(self._gauges())
        except Exception:  # the database is down: say so, instead of a failed scrape
            logger.warning("Product metrics could not be read", exc_info=True)
            gauges = []
        up = GaugeMetricFamily("pressoffice_metrics_up", "The product gauges could be read.")
        up.add_metric([], 1 if gauges else 0)
        yield from gauges
        yield up

    def _gauges(self):
        from django.db.models import Count, Max, Min, Q

        from django_q.models import Schedule, Task

        from newsroom.casework.models import Case
        from social_sync.models import OutboxAction, OutboxItem, OutboxState, SocialAccount
        from social_sync.models.comments import WatchedPost

        now = timezone.now()
        waiting = [OutboxState.PENDING, OutboxState.SENDING]

        rows = GaugeMetricFamily(
            "pressoffice_outbox_rows",
            "Outbox rows (posts, edits, replies) by state.",
            labels=["state"],
        )
        counts = dict(
            OutboxItem.objects.values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        for state in OutboxState.values:
            rows.add_metric([state], counts.get(state, 0))
        yield rows

        oldest = OutboxItem.objects.filter(state__in=waiting).aggregate(m=Min("created_at"))["m"]
        yield GaugeMetricFamily(
            "pressoffice_outbox_oldest_waiting_seconds",
            "Age of the oldest outbox row not yet sent (0 when none waits).",
            value=_age(oldest, now),
        )
        yield GaugeMetricFamily(
            "pressoffice_replies_waiting",
            "Answers to citizens not yet placed on the networks.",
            value=OutboxItem.objects.filter(action=OutboxAction.REPLY, state__in=waiting).count(),
        )
        accounts = SocialAccount.objects.filter(is_active=True).aggregate(
            on_hold=Count("pk", filter=~Q(credentials_problem="")),
            paused=Count("pk", filter=Q(sending_paused_until__gt=now)),
        )
        yield GaugeMetricFamily(
            "pressoffice_social_accounts_on_hold",
            "Accounts whose keys need a person.",
            value=accounts["on_hold"],
        )
        yield GaugeMetricFamily(
            "pressoffice_social_accounts_paused",
            "Accounts waiting out a pause the network asked for.",
            value=accounts["paused"],
        )

        overdue = GaugeMetricFamily(
            "pressoffice_cases_overdue",
            "Open cases past their nearest deadline, by status.",
            labels=["status"],
        )
        by_status = (
            Case.objects.filter(next_due__lt=now).values_list("status").annotate(n=Count("pk"))
        )
        for status, n in by_status:
            overdue.add_metric([status], n)
        yield overdue

        pulled = WatchedPost.objects.aggregate(last=Max("pulled_at"))["last"]
        yield GaugeMetricFamily(
            "pressoffice_comment_intake_lag_seconds",
            "Seconds since the last comment pull of any account (0 before the first).",
            value=_age(pulled, now),
        )
        finished = Task.objects.aggregate(last=Max("stopped"))["last"]
        yield GaugeMetricFamily(
            "pressoffice_worker_heartbeat_age_seconds",
            "Seconds since the worker last finished a task (0 before the first).",
            value=_age(finished, now),
        )
        behind = (
            Schedule.objects.exclude(repeats=0)
            .exclude(schedule_type=Schedule.ONCE)
            .aggregate(m=Min("next_run"))["m"]
        )
        yield GaugeMetricFamily(
            "pressoffice_schedule_lag_seconds",
            "How far the most overdue repeating schedule is behind (0 when on time).",
            value=_age(behind, now),
        )


# No description at registration: collect() reads the database, not to be done on import.
_product = prometheus_client.CollectorRegistry(auto_describe=False)
_product.register(ProductCollector())


def _process_metrics():
    """django-prometheus's metrics: of every gunicorn worker when PROMETHEUS_MULTIPROC_DIR is
    set (as the shipped units set it), else of this process."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return prometheus_client.generate_latest(registry)
    return prometheus_client.generate_latest(prometheus_client.REGISTRY)


def export(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("Нужен ключ доступа к метрикам.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = _process_metrics() + prometheus_client.generate_latest(_product)
    response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
