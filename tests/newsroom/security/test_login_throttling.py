"""Logins are throttled per username and address (django-axes); password resets per asking
address, their letters per e-mail address; administrators unlock from the admin; signing out
ends the session on the server."""

from django.core import mail
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from newsroom import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
OFFICE = "203.0.113.10"  # the office's NAT address
ELSEWHERE = "198.51.100.20"


def log_in(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def staff(db):
    user = UserFactory(username="olga", groups=[roles.EDITORS])
    user.set_password("правильный-пароль-1")
    user.save()
    colleague = UserFactory(username="ivan", groups=[roles.EDITORS])
    colleague.set_password("пароль-ивана-2")
    colleague.save()
    return user, colleague


def test_wrong_passwords_lock_the_username_at_that_address(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "olga", "неверный", OFFICE)
        assert response.status_code == 200  # the form again, with its error
    assert log_in(client, "olga", "неверный", OFFICE).status_code == 429  # the last straw
    response = log_in(client, "olga", "правильный-пароль-1", OFFICE)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Вход временно заблокирован" in html and "15 мин." in html
    assert "_auth_user_id" not in client.session


def test_colleagues_behind_the_same_address_are_not_locked_out(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        log_in(client, "olga", "неверный", OFFICE)
    response = log_in(client, "ivan", "пароль-ивана-2", OFFICE)
    assert response.status_code == 302
    client.logout()
    # …and the owner of the account still gets in from elsewhere
    assert log_in(client, "olga", "правильный-пароль-1", ELSEWHERE).status_code == 302


def test_fifty_wrong_passwords_do_not_open_the_door(client, staff):
    statuses = {log_in(client, "olga", f"попытка-{i}", OFFICE).status_code for i in range(50)}
    assert 429 in statuses
    assert log_in(client, "olga", "правильный-пароль-1", OFFICE).status_code == 429


def test_an_administrator_unlocks_from_the_admin(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "olga", "неверный", OFFICE)
    admin = UserFactory(username="root-admin", groups=[roles.ADMINISTRATORS])
    editor = UserFactory(username="just-editor", groups=[roles.EDITORS])

    client.force_login(editor)
    assert client.get(reverse("newsroom_lockouts")).status_code == 403
    attempt = AccessAttempt.objects.get(username="olga")
    assert client.post(reverse("newsroom_unlock", args=(attempt.pk,))).status_code == 403
    assert AccessAttempt.objects.filter(username="olga").exists()

    client.force_login(admin)
    listing = client.get(reverse("newsroom_lockouts")).content.decode()
    assert "olga" in listing and OFFICE in listing
    client.post(reverse("newsroom_unlock", args=(attempt.pk,)))
    assert not AccessAttempt.objects.filter(username="olga").exists()
    client.logout()
    assert log_in(client, "olga", "правильный-пароль-1", OFFICE).status_code == 302


def reset(client, email, ip):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_one_address_may_ask_for_resets_only_so_often(client, staff, settings):
    limit = settings.PASSWORD_RESETS_PER_HOUR
    statuses = [
        reset(client, f"nobody{n}@example.ru", OFFICE).status_code for n in range(limit * 3 + 1)
    ]
    assert statuses[:-1] == [302] * (limit * 3)
    assert statuses[-1] == 429
    refused = reset(client, "olga@example.ru", OFFICE)
    assert "Слишком много запросов на сброс пароля" in refused.content.decode()


def test_nobody_can_spend_a_colleagues_resets(client, staff, settings):
    """Someone asking for Olga's reset again and again fills her mailbox only up to the limit,
    with working links, and Olga's own request from the office still brings her a letter."""
    staff[0].email = "olga@example.ru"
    staff[0].save()
    limit = settings.PASSWORD_RESETS_PER_HOUR
    for _ in range(limit * 2):
        assert reset(client, "olga@example.ru", ELSEWHERE).status_code == 302
    assert len(mail.outbox) == limit
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body
    own = reset(client, "olga@example.ru", OFFICE)
    assert own.status_code == 302 and own["Location"] == reverse("wagtailadmin_password_reset_done")
    assert len(mail.outbox) == limit + 1 and mail.outbox[-1].to == ["olga@example.ru"]


def test_known_and_unknown_addresses_cost_the_request_the_same_work(client, staff, monkeypatch):
    """The request only checks the form and queues the letter: the same queries and the same
    answer for a staff address and an unknown one; the task finds the person."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsroom.security import password_reset

    staff[0].email = "olga@example.ru"
    staff[0].save()
    queued = []
    monkeypatch.setattr(password_reset, "async_task", lambda *args, **kw: queued.append((args, kw)))
    answers, queries = [], []
    for email in ("olga@example.ru", "nobody@example.ru"):
        with CaptureQueriesContext(connection) as captured:
            answers.append(reset(client, email, OFFICE))
        queries.append([query["sql"] for query in captured.captured_queries])
    assert queries[0] == queries[1]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert [args[1] for args, _kw in queued] == ["olga@example.ru", "nobody@example.ru"]
    sent = [
        password_reset.send_reset_letter(*args[1:], **{k: v for k, v in kw.items() if k != "group"})
        for args, kw in queued
    ]
    assert sent == [1, 0]
    assert [message.to for message in mail.outbox] == [["olga@example.ru"]]


def test_signing_out_takes_a_confirmed_post_and_ends_the_session_on_the_server(client, staff):
    from django.contrib.sessions.models import Session

    client.force_login(staff[0])
    key = client.session.session_key
    confirm = client.get("/admin/logout/")
    assert confirm.status_code == 200
    assert "Выйти из системы?" in confirm.content.decode()
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # still signed in
    signed_out = client.post("/admin/logout/")
    assert signed_out.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert client.get("/admin/logout/")["Location"].startswith("/admin/login/")
