"""Only the «Аккредитация» group and superusers reach the reviewers' screens: everyone else
signed in gets 403 (guessing a number or a file's address included), anonymous visitors
Wagtail's login page."""

import functools

from accreditation.permissions import is_reviewer
from newsroom.http import forbidden


def reviewer_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)
