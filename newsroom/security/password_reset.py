"""«Забыли пароль?»: the request does the same work for every address, and nobody can use it to
lock a colleague out.

Django's reset view looks the address up and mails the letter inside the request, so an address
of the staff answered several times slower than an unknown one — a way to list the staff's
e-mails. Here the request only checks the form, counts it and queues a task
(``send_reset_letter``); the task looks the address up and sends the letter, if there is anyone
to send it to. The answer is the same «letter sent» page either way.

Limits: a visitor address may ask ``PASSWORD_RESETS_PER_HOUR`` × 3 times an hour
(``newsroom.security.throttle``: then a 429). Letters to one e-mail address are limited in the
task, silently, per asking address (``PASSWORD_RESETS_PER_HOUR``) and in all
(``PASSWORD_RESETS_PER_HOUR`` × 3): someone who spends the head's quota from his own address
spends it only for that address, and what he spent went to her mailbox as working links.
"""

import logging

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponseRedirect

from wagtail.admin.views.account import PasswordResetView

from django_q.tasks import async_task

from newsroom.hourly_counter import bump
from newsroom.http import client_ip

logger = logging.getLogger(__name__)
TASK = "newsroom.security.password_reset.send_reset_letter"


class QueuedPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        site = get_current_site(self.request)
        async_task(
            TASK,
            form.cleaned_data["email"],
            domain=site.domain,
            use_https=self.request.is_secure(),
            asked_from=client_ip(self.request) or "",
            group="password_reset",
        )
        return HttpResponseRedirect(self.get_success_url())


def send_reset_letter(email, *, domain, use_https, asked_from):
    """Mails the reset link to the active users with ``email``, within the letter limits."""
    limit = settings.PASSWORD_RESETS_PER_HOUR
    address = email.strip().lower()[:254]
    from_here = bump(f"password-reset:letters:{address}:{asked_from}")
    in_all = bump(f"password-reset:letters:{address}")
    if from_here > limit or in_all > limit * 3:
        logger.info("Password reset letter not sent: hourly limit reached")
        return 0
    form = PasswordResetView().get_form_class()(data={"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(form.cleaned_data["email"]))
    if users:
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name=PasswordResetView.email_template_name,
            subject_template_name=PasswordResetView.subject_template_name,
        )
    return len(users)
