"""Deploy checks of the production settings that Django's own checks do not make."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

# Backends that never deliver a message: what they are given ends up in a log or in memory.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register("security", deploy=True)
def email_is_delivered(app_configs, **kwargs):
    """Password-reset links and applicants' private status links go by e-mail: in production
    they must reach the mailbox, not the server's log."""
    if settings.EMAIL_BACKEND in UNDELIVERED:
        return [
            Error(
                "EMAIL_BACKEND is %s: password-reset links and applicants' private links would "
                "be written to the log instead of being sent." % settings.EMAIL_BACKEND,
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "EMAIL_USE_TLS or EMAIL_USE_SSL) in the environment.",
                id="newsroom.E001",
            )
        ]
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and not settings.EMAIL_HOST_EXPLICIT:
        return [
            Error(
                "EMAIL_HOST is not set: the SMTP server is not configured.",
                hint="Set EMAIL_HOST (a local relay too must be named explicitly).",
                id="newsroom.E002",
            )
        ]
    return []


def is_loopback(host):
    """«localhost», «*.localhost», 127.0.0.0/8, ::1 and 0.0.0.0: names no visitor can reach."""
    host = (host or "").strip().strip("[]").lower().rstrip(".")
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register("sites", deploy=True)
def site_address_is_real(app_configs, databases=None, **kwargs):
    """Links in posts, e-mails, the sitemap, RSS and og:url are built from the site's address:
    in production it must be the address visitors use, never a loopback name. The Sites in the
    database are checked when the check is given a database (``check --deploy --database
    default``)."""
    errors = []
    base_host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    if is_loopback(base_host):
        errors.append(
            Error(
                "SITE_BASE_URL is %s: links in e-mails would point at the server itself."
                % settings.WAGTAILADMIN_BASE_URL,
                hint="Set SITE_BASE_URL to the site's public address, e.g. https://admin-rayon.ru.",
                id="newsroom.E003",
            )
        )
    if databases:
        from wagtail.models import Site

        for site in Site.objects.using(next(iter(databases))).order_by("pk"):
            if is_loopback(site.hostname):
                errors.append(
                    Error(
                        "The Site «%s» has the hostname %s: links in posts, the sitemap, RSS and "
                        "og:url would point at the server itself."
                        % (site.site_name, site.hostname),
                        hint="Set its hostname and port to the public address in «Настройки → "
                        "Сайты» (port 443 for https).",
                        id="newsroom.E004",
                    )
                )
    return errors


def refuse_to_start_misconfigured():
    """Called by the WSGI entry point: a production process that would write password-reset
    links to its log does not start at all (``REFUSE_START_ON_DEPLOY_ERRORS``)."""
    if not getattr(settings, "REFUSE_START_ON_DEPLOY_ERRORS", False):
        return
    from django.core.exceptions import ImproperlyConfigured

    errors = email_is_delivered(None)
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
