"""E-mails of the accreditation: sent with Django's send_mail once the transaction commits.

A failure to send is logged and does not undo the decision (it is already in the log and on the
applicant's status page).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from newsroom.roles import ACCREDITATION, member_emails

logger = logging.getLogger(__name__)


def render(template, context):
    """``(subject, body)`` from ``accreditation/emails/<template>.txt``: the first line is the
    subject, the rest is the body."""
    text = render_to_string(f"accreditation/emails/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_now(recipients, subject, body):
    recipients = [r for r in recipients if r]
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def send_on_commit(template, context, recipients):
    subject, body = render(template, context)

    def deliver():
        try:
            send_now(recipients, subject, body)
        except Exception:  # the decision stands; the log shows the mail did not leave
            # Counts, never addresses: the log holds no personal data (152-FZ).
            logger.exception(
                "Accreditation e-mail %r to %d recipient(s) failed", template, len(recipients)
            )

    transaction.on_commit(deliver)


def notify_reviewers(application, journalist_count, resubmitted=False):
    """Tells the reviewers, once the transaction commits, that an application waits for them."""
    from django.urls import reverse

    from accreditation.services import links

    admin_url = links.admin_url(reverse("accreditation:detail", args=[application.pk]))
    context = {
        "application": application,
        "journalist_count": journalist_count,
        "due": application.review_due_at,
        "admin_url": admin_url,
        "resubmitted": resubmitted,
    }
    send_on_commit("to_reviewers", context, member_emails(ACCREDITATION))
