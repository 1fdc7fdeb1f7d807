"""Logins are throttled per username and address (django-axes); password resets per address and
e-mail; administrators unlock from the admin."""

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


def test_password_reset_requests_are_limited(client, staff, settings):
    staff[0].email = "olga@example.ru"
    staff[0].save()
    url = reverse("wagtailadmin_password_reset")
    statuses = [
        client.post(url, {"email": "olga@example.ru"}, REMOTE_ADDR=OFFICE).status_code
        for _ in range(settings.PASSWORD_RESETS_PER_HOUR + 2)
    ]
    assert (
        statuses[: settings.PASSWORD_RESETS_PER_HOUR] == [302] * settings.PASSWORD_RESETS_PER_HOUR
    )
    assert statuses[-1] == 429
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_HOUR
    refused = client.post(url, {"email": "olga@example.ru"}, REMOTE_ADDR=OFFICE)
    assert "Слишком много запросов на сброс пароля" in refused.content.decode()
