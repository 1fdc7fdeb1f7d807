"""A limit on password-reset requests, per visitor address and per e-mail address.

Every request for a reset sends an e-mail: without a limit the form is a way to flood the staff's
mailboxes (and to probe for addresses). Wrong passwords are counted by django-axes instead.
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
            limit = settings.PASSWORD_RESETS_PER_HOUR
            email = (request.POST.get("email") or "").strip().lower()[:254]
            by_address = bump(f"password-reset:ip:{client_ip(request)}")
            by_email = bump(f"password-reset:email:{email}") if email else 0
            if by_address > limit * 3 or by_email > limit:
                return render(
                    request,
                    "newsroom/security/too_many_resets.html",
                    {"minutes": WINDOW // 60},
                    status=429,
                )
        return self.get_response(request)
