"""Absolute addresses for e-mails and the card's QR code: SITE_BASE_URL + the page's path."""

from django.conf import settings


def absolute(page, subpath=""):
    url = page.get_url()
    if url is None:
        raise ValueError("Страница аккредитации не опубликована на сайте.")
    if not url.startswith(("http://", "https://")):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    return url + subpath


def status_url(page, token):
    return absolute(page, page.reverse_subpage("status", kwargs={"token": token}))


def verification_url(page, number):
    return absolute(page, page.verification_path(number))


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
