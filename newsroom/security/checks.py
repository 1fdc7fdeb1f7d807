"""Deploy checks of the production settings that Django's own checks do not make."""

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


def refuse_to_start_misconfigured():
    """Called by the WSGI entry point: a production process that would write password-reset
    links to its log does not start at all (``REFUSE_START_ON_DEPLOY_ERRORS``)."""
    if not getattr(settings, "REFUSE_START_ON_DEPLOY_ERRORS", False):
        return
    from django.core.exceptions import ImproperlyConfigured

    errors = email_is_delivered(None)
    if errors:
        raise ImproperlyConfigured(" ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
