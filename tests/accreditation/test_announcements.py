"""Press announcements: queued once per event and address, delivered exactly once even when the
delivery runs twice or a worker dies after sending; a log for editors, and editors only."""

import datetime
import smtplib
from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from accreditation.models import AnnouncementDelivery, DeliveryState, RevocationGround
from accreditation.services import announcements, decisions
from newsroom import roles
from tests.accreditation.factories import (
    AccreditationFactory,
    ApplicationFactory,
    JournalistFactory,
)
from tests.factories import EventPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(site_tree):
    return EventPageFactory(
        parent=site_tree.event_index, title="Сессия районного собрания", place="Зал заседаний"
    )


def accredited(page, name, email, year=None):
    year = year or timezone.localdate().year
    application = ApplicationFactory(
        page=page, year=year, status="approved", outlet_name=f"СМИ {name}"
    )
    journalist = JournalistFactory(
        application=application, full_name=name, email=email, decision="approved"
    )
    return AccreditationFactory(journalist=journalist, year=year)


@pytest.fixture
def journalists(page, reviewer):
    valid = [
        accredited(page, "Иванова Мария", "ivanova@example.ru"),
        accredited(page, "Сидоров Олег", "sidorov@example.ru"),
    ]
    accredited(
        page, "Прошлогодний Корреспондент", "old@example.ru", year=timezone.localdate().year - 1
    )
    revoked = accredited(page, "Отозванный Репортёр", "revoked@example.ru")
    decisions.revoke(revoked, reviewer, RevocationGround.RULES_BREACH, "Нарушение")
    return valid


def test_only_currently_accredited_journalists_are_queued_once(event, journalists, editor):
    announcement, queued = announcements.announce(event, editor)
    assert queued == 2
    assert set(AnnouncementDelivery.objects.values_list("email", flat=True)) == {
        "ivanova@example.ru",
        "sidorov@example.ru",
    }
    assert "Сессия районного собрания" in announcement.subject
    assert "Зал заседаний" in announcement.body
    _again, queued_again = announcements.announce(event, editor)
    assert queued_again == 0
    assert AnnouncementDelivery.objects.count() == 2


def test_delivery_twice_sends_each_once(event, journalists, editor):
    announcement, _ = announcements.announce(event, editor)
    assert announcements.deliver_all() == {"sent": 2}
    assert announcements.deliver_all() == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["ivanova@example.ru", "sidorov@example.ru"]
    assert set(AnnouncementDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_worker_that_dies_after_sending_never_sends_again(event, journalists, editor):
    announcements.announce(event, editor)
    row = AnnouncementDelivery.objects.order_by("pk").first()
    # The worker claims the row and sends the e-mail, then dies before recording it.
    claimed = announcements.claim(row.pk)
    announcements.mail.send_now(
        [claimed.email], claimed.announcement.subject, claimed.announcement.body
    )
    assert len(mail.outbox) == 1
    # Its lease runs out; the next run must not send it again.
    AnnouncementDelivery.objects.filter(pk=row.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    outcomes = announcements.deliver_all()
    assert outcomes == {"sent": 1}  # only the other journalist
    assert [m.to[0] for m in mail.outbox].count(row.email) == 1
    row.refresh_from_db()
    assert row.state == DeliveryState.UNCERTAIN
    assert "проверьте" in row.last_error


def test_a_row_held_by_a_live_worker_is_left_alone(event, journalists, editor):
    announcements.announce(event, editor)
    row = AnnouncementDelivery.objects.order_by("pk").first()
    announcements.claim(row.pk)
    assert announcements.deliver(row.pk) == "skipped"
    assert announcements.deliver_all() == {"sent": 1}


def test_a_failed_send_is_retried_then_given_up(event, journalists, editor, settings, caplog):
    settings.ACCREDITATION_MAIL_MAX_ATTEMPTS = 2
    announcements.announce(event, editor)
    row = AnnouncementDelivery.objects.order_by("pk").first()
    refused = smtplib.SMTPRecipientsRefused({row.email: (550, b"no such user")})
    with mock.patch("accreditation.services.mail.send_now", side_effect=refused):
        assert announcements.deliver(row.pk) == "retry"
    assert "SMTPRecipientsRefused" in caplog.text and row.email not in caplog.text
    with mock.patch("accreditation.services.mail.send_now", side_effect=OSError("SMTP недоступен")):
        AnnouncementDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert announcements.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED and "SMTP" in row.last_error


def test_editors_send_from_the_event_and_see_who_was_notified(
    client, event, journalists, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    url = reverse("accreditation:announce", args=[event.pk])
    assert url in edit.content.decode()  # the button in the page header
    page = client.get(url)
    assert "Адресатов сейчас: 2" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Анонс: сессия", "body": "Приглашаем на сессию."})
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # Q_CLUSTER sync: the task ran at once
    html = client.get(url).content.decode()
    assert "Иванова Мария" in html and "Сидоров Олег" in html
    assert "Отправлено: 2 из 2" in html
    assert "ivanova@example.ru" not in html  # addresses are not shown to editors


@pytest.mark.parametrize(
    "groups",
    [[roles.ACCREDITATION], [roles.EXECUTORS], ["Подразделение: Образование"], [roles.CURATORS]],
)
def test_others_cannot_send_announcements(client, event, groups):
    client.force_login(UserFactory(username="other", groups=groups))
    url = reverse("accreditation:announce", args=[event.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"subject": "x", "body": "y"}).status_code == 403
    assert not AnnouncementDelivery.objects.exists()


def test_the_button_is_only_on_events(client, site_tree, editor):
    client.force_login(editor)
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[site_tree.news_index.pk])
    ).content.decode()
    assert "Анонс для аккредитованных СМИ" not in html


def fail_all(event, editor, settings):
    settings.ACCREDITATION_MAIL_MAX_ATTEMPTS = 1
    announcements.announce(event, editor)
    with mock.patch("accreditation.services.mail.send_now", side_effect=OSError("SMTP недоступен")):
        for row in AnnouncementDelivery.objects.all():
            assert announcements.deliver(row.pk) == "failed"


def test_editors_send_failed_announcements_again(
    client, event, journalists, editor, settings, django_capture_on_commit_callbacks
):
    fail_all(event, editor, settings)
    uncertain = AnnouncementDelivery.objects.order_by("pk").last()
    uncertain.state = DeliveryState.UNCERTAIN
    uncertain.save()
    client.force_login(editor)
    url = reverse("accreditation:announce", args=[event.pk])
    html = client.get(url).content.decode()
    assert "Повторить отправку неотправленных (1)" in html
    assert "Письма в журнале нет — отправить ещё раз" in html

    retry_url = reverse("accreditation:announce_retry", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # the failed one; the uncertain one waits for a person
    uncertain.refresh_from_db()
    assert uncertain.state == DeliveryState.UNCERTAIN

    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry_url, {"delivery": uncertain.pk})
    assert len(mail.outbox) == 2
    assert set(AnnouncementDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert "Отправлено: 2 из 2" in client.get(url).content.decode()

    response = client.post(retry_url)
    assert response.status_code == 302 and len(mail.outbox) == 2  # nothing left to send


def test_retry_leaves_sent_rows_and_other_events_alone(event, journalists, editor, site_tree):
    other = EventPageFactory(parent=site_tree.event_index, title="Другое событие")
    announcements.announce(event, editor)
    announcements.announce(other, editor)
    AnnouncementDelivery.objects.filter(event=other).update(state=DeliveryState.FAILED)
    AnnouncementDelivery.objects.filter(event=event).update(state=DeliveryState.SENT)
    assert announcements.retry(event) == 0
    sent = AnnouncementDelivery.objects.filter(event=event).first()
    assert announcements.retry(event, sent.pk) == 0
    assert announcements.retry(other) == 2


@pytest.mark.parametrize("groups", [[roles.ACCREDITATION], [roles.EXECUTORS]])
def test_others_cannot_send_again(client, event, journalists, editor, settings, groups):
    fail_all(event, editor, settings)
    client.force_login(UserFactory(username="other", groups=groups))
    retry_url = reverse("accreditation:announce_retry", args=[event.pk])
    assert client.post(retry_url).status_code == 403
    assert not AnnouncementDelivery.objects.exclude(state=DeliveryState.FAILED).exists()


def test_retry_needs_a_post(client, event, editor):
    client.force_login(editor)
    assert client.get(reverse("accreditation:announce_retry", args=[event.pk])).status_code == 405
