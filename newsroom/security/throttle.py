"""A limit on password-reset requests per visitor address.

Every request queues a letter: without a limit the form is a way to flood the staff's mailboxes.
Only the asking address is limited here (a 429 past ``PASSWORD_RESETS_PER_HOUR`` × 3 an hour);
the letters to one e-mail address are limited where they are sent
(``newsroom.security.password_reset``), silently, so that nobody can have a colleague's own
request refused. Wrong passwords are counted by django-axes instead.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from newsroom.hourly_counter import WINDOW, bump
from newsroom.http import client_ip


class PasswordResetThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_password_reset"):
            asked = bump(f"password-reset:ip:{client_ip(request)}")
            if asked > settings.PASSWORD_RESETS_PER_HOUR * 3:
                return render(
                    request,
                    "newsroom/security/too_many_resets.html",
                    {"minutes": WINDOW // 60},
                    status=429,
                )
        return self.get_response(request)
