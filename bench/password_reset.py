#!/usr/bin/env python
"""What «Забыли пароль?» costs a request for a staff address and for an unknown one.

In one process, through Django's test client, on a fresh SQLite test database with production's
password hasher: POSTs the reset form in interleaved batches for a known and an unknown address,
answered our way (the letter queued in django-q2's ORM broker, ``newsroom.security.password_reset``)
and Wagtail's way (the address looked up and the letter rendered and sent inside the request, the
view this product answered with before). Prints the median and the 90th percentile of each. The
difference between the known and the unknown address is what a visitor can time to tell whether
an address belongs to the staff.

    .venv/bin/python bench/password_reset.py --batches 10 --requests 20
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    warnings.simplefilter("ignore", DeprecationWarning)  # smtpd and asyncore, for the mail sink
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="requests per batch and case")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressoffice.settings.test"
    for path in (str(ROOT / "site"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    connection.settings_dict["TEST"] = {
        **connection.settings_dict["TEST"],
        "NAME": str(ROOT / "var" / "bench-reset.sqlite3"),
    }
    connection.creation.create_test_db(verbosity=0)
    try:
        from django_q.conf import Conf

        Conf.SYNC = False  # the letter waits in the ORM broker, as in production
        port = start_smtp_sink()
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            PASSWORD_RESETS_PER_HOUR=10**9,
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        ):
            run(args, Client())
    finally:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def start_smtp_sink():
    """A mail server on loopback that accepts every letter and keeps none: the letter's SMTP
    conversation is part of what Wagtail's view does inside the request."""
    import asyncore
    import smtpd
    import threading

    class Sink(smtpd.SMTPServer):
        def process_message(self, *args, **kwargs):
            return None

    sink = Sink(("127.0.0.1", 0), None)
    threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.1}, daemon=True).start()
    return sink.socket.getsockname()[1]


def run(args, client):
    from django.contrib.auth import get_user_model
    from django.urls import path

    from wagtail.admin.views.account import PasswordResetView

    user = get_user_model().objects.create_user("olga", "olga@example.ru", "правильный-пароль-1")
    assert user.has_usable_password()
    # Wagtail's own view, mounted beside ours for the comparison.
    import pressoffice.urls as project_urls

    project_urls.urlpatterns.insert(0, path("bench-wagtail-reset/", PasswordResetView.as_view()))
    from django.urls import clear_url_caches

    clear_url_caches()
    ways = {
        "queued (ours)": "/admin/password_reset/",
        "in the request (Wagtail)": "/bench-wagtail-reset/",
    }
    addresses = {"staff": "olga@example.ru", "unknown": "nobody@example.ru"}
    timings = {(way, who): [] for way in ways for who in addresses}
    for url in ways.values():  # warm both
        for email in addresses.values():
            assert client.post(url, {"email": email}).status_code == 302
    for _batch in range(args.batches):
        for way, url in ways.items():
            for who, email in addresses.items():
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.post(url, {"email": email}, REMOTE_ADDR=f"10.0.{_batch}.1")
                    timings[(way, who)].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 302, response.status_code
    print(f"{'путь':28} {'адрес':8} {'медиана, мс':>12} {'p90, мс':>9}")
    for (way, who), values in timings.items():
        values.sort()
        p90 = values[int(len(values) * 0.9) - 1]
        print(f"{way:28} {who:8} {statistics.median(values):12.2f} {p90:9.2f}")


if __name__ == "__main__":
    main()
