"""The production e-mail check: password-reset links must be mailed, not logged."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from newsroom.security import checks
from tests.once import once


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    ],
)
def test_a_backend_that_does_not_deliver_is_an_error(settings, backend):
    settings.EMAIL_BACKEND = backend
    assert [error.id for error in checks.email_is_delivered(None)] == ["newsroom.E001"]


def test_smtp_without_a_host_is_an_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST_EXPLICIT = False
    assert [error.id for error in checks.email_is_delivered(None)] == ["newsroom.E002"]
    settings.EMAIL_HOST_EXPLICIT = True
    settings.EMAIL_HOST = "smtp.example.ru"
    assert checks.email_is_delivered(None) == []


def test_production_refuses_to_start_without_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.REFUSE_START_ON_DEPLOY_ERRORS = True
    with pytest.raises(ImproperlyConfigured, match="newsroom.E001"):
        checks.refuse_to_start_misconfigured()
    settings.REFUSE_START_ON_DEPLOY_ERRORS = False
    checks.refuse_to_start_misconfigured()  # development and tests start as they are


@once
def test_the_production_settings_default_to_smtp_and_pass_the_deploy_check():
    import os
    import secrets
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressoffice.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "press.example.ru",
        "SITE_BASE_URL": "https://press.example.ru",
        "TRUSTED_PROXY_COUNT": "1",
        "SOCIAL_TOKENS_KEYS": "mU5mmxb0GhKzFO2rKzlX2Lx0aWPXWd2mS0G1-H8o5cs=",
    }
    # What the test run itself set (the browser tests allow sync ORM calls under Playwright's
    # loop) is no part of a production environment.
    for name in ("EMAIL_HOST", "EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "newsroom.E002" in refused.stderr + refused.stdout
    configured = subprocess.run(
        command, env={**env, "EMAIL_HOST": "smtp.example.ru"}, capture_output=True, text=True
    )
    assert configured.returncode == 0, configured.stderr


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("press.localhost", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("", True),
        ("admin-rayon.ru", False),
        ("10.0.0.5", False),
        ("localhost.example.ru", False),
    ],
)
def test_loopback_names(host, loopback):
    assert checks.is_loopback(host) is loopback


def test_a_loopback_site_base_url_is_an_error(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    assert [error.id for error in checks.site_address_is_real(None)] == ["newsroom.E003"]
    settings.WAGTAILADMIN_BASE_URL = "https://press.example.ru"
    assert checks.site_address_is_real(None) == []


@pytest.mark.django_db
def test_the_sites_are_checked_when_a_database_is_given(settings, site_tree):
    from wagtail.models import Site

    settings.WAGTAILADMIN_BASE_URL = "https://press.example.ru"
    assert checks.site_address_is_real(None) == []  # without a database: settings only
    errors = checks.site_address_is_real(None, databases=["default"])
    assert [error.id for error in errors] == ["newsroom.E004"]
    assert "localhost" in errors[0].msg
    Site.objects.update(hostname="press.example.ru", port=443)
    assert checks.site_address_is_real(None, databases=["default"]) == []
