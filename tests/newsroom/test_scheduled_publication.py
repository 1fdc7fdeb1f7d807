"""A news item approved with a go-live time goes live when the worker's schedule runs."""

import datetime

from django.utils import timezone

import pytest
from django_q.models import Schedule

from newsroom import tasks
from tests.factories import NewsPageFactory


@pytest.mark.django_db
def test_the_publishing_schedule_exists_after_migrate():
    schedule = Schedule.objects.get(func="newsroom.tasks.publish_scheduled_pages")
    assert schedule.schedule_type == Schedule.MINUTES
    assert schedule.minutes == 1
    assert schedule.repeats == -1


@pytest.mark.django_db
def test_ensure_schedules_is_idempotent():
    tasks.ensure_schedules()
    tasks.ensure_schedules()
    assert Schedule.objects.filter(func="newsroom.tasks.publish_scheduled_pages").count() == 1


@pytest.mark.django_db
def test_a_scheduled_item_goes_live_when_its_time_comes(client, site_tree, monkeypatch):
    page = NewsPageFactory(parent=site_tree.news_index, title="Отложенная новость", live=False)
    go_live = timezone.now() + datetime.timedelta(minutes=30)
    page.go_live_at = go_live
    revision = page.save_revision()
    revision.publish()  # with a future go-live time this only schedules it
    page.refresh_from_db()
    assert not page.live

    tasks.publish_scheduled_pages()
    page.refresh_from_db()
    assert not page.live, "not before its time"
    assert "Отложенная новость" not in client.get("/news/").content.decode()

    later = go_live + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    tasks.publish_scheduled_pages()
    page.refresh_from_db()
    assert page.live
    assert "Отложенная новость" in client.get("/news/").content.decode()
