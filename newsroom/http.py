"""Responses shared by the admin screens of every app."""

from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


def forbidden(request):
    """403, not Wagtail's redirect to the dashboard: the screen is not for this person."""
    return permission_denied(request, PermissionDenied())
