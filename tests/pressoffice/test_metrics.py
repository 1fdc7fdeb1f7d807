"""/metrics: only with the monitor's token, and the product's gauges tell the truth about the
outbox, the accounts, the cases and the worker."""

from datetime import timedelta

from django.utils import timezone

import pytest
from prometheus_client.parser import text_string_to_metric_families

from newsroom.casework.models import Case
from social_sync.models import OutboxAction, OutboxItem, OutboxState
from tests.newsroom.casework.factories import CaseFactory
from tests.social_sync.helpers import max_channel, telegram_channel

pytestmark = pytest.mark.django_db

TOKEN = "monitor-token-7f3a"


@pytest.fixture
def monitored(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_without_a_token_configured_there_is_no_endpoint(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_the_public_and_a_wrong_token_are_refused(client, monitored):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 401 and b"pressoffice_" not in wrong.content


def test_the_gauges_count_what_is_in_the_database(client, monitored, site_tree):
    now = timezone.now()
    tg, mx = telegram_channel(), max_channel()
    mx.credentials_problem = "Ключ отозван"
    mx.save()
    tg.sending_paused_until = now + timedelta(seconds=40)
    tg.save()
    old = OutboxItem.objects.create(
        action=OutboxAction.REPLY, account=tg, reply_text="Ответ", next_attempt_at=now
    )
    OutboxItem.objects.filter(pk=old.pk).update(created_at=now - timedelta(minutes=10))
    OutboxItem.objects.create(
        action=OutboxAction.POST, account=tg, state=OutboxState.DONE, next_attempt_at=now
    )
    overdue = CaseFactory()
    Case.objects.filter(pk=overdue.pk).update(next_due=now - timedelta(hours=2))

    samples = scrape(client)

    assert samples[("pressoffice_outbox_rows", (("state", "pending"),))] == 1
    assert samples[("pressoffice_outbox_rows", (("state", "done"),))] == 1
    assert samples[("pressoffice_outbox_rows", (("state", "failed"),))] == 0
    assert 590 < samples[("pressoffice_outbox_oldest_waiting_seconds", ())] < 700
    assert samples[("pressoffice_replies_waiting", ())] == 1
    assert samples[("pressoffice_social_accounts_on_hold", ())] == 1
    assert samples[("pressoffice_social_accounts_paused", ())] == 1
    overdue_status = Case.objects.get(pk=overdue.pk).status
    assert samples[("pressoffice_cases_overdue", (("status", overdue_status),))] == 1
    assert samples[("pressoffice_metrics_up", ())] == 1
    # django-prometheus's own metrics come along.
    assert any(name.startswith("django_http_requests") for name, _labels in samples)
