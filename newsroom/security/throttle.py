"""A limit on password-reset requests, per visitor address and per e-mail address.

Every request for a reset sends an e-mail: without a limit the form is a way to flood the staff's
mailboxes (and to probe for addresses). Wrong passwords are counted by django-axes instead.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

from newsroom.http import client_ip

WINDOW = 3600


def _bump(key):
    key = f"password-reset:{key}:{int(time.time() // WINDOW)}"
    if cache.add(key, 1, WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


class PasswordResetThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_password_reset"):
            limit = settings.PASSWORD_RESETS_PER_HOUR
            email = (request.POST.get("email") or "").strip().lower()[:254]
            by_address = _bump(f"ip:{client_ip(request)}")
            by_email = _bump(f"email:{email}") if email else 0
            if by_address > limit * 3 or by_email > limit:
                return render(
                    request,
                    "newsroom/security/too_many_resets.html",
                    {"minutes": WINDOW // 60},
                    status=429,
                )
        return self.get_response(request)
