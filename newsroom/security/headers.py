"""Content-Security-Policy and Permissions-Policy on every response.

The public site gets the strict policy of ``CONTENT_SECURITY_POLICY`` (scripts, styles and fonts
only from our own origin, frames only from the video hosts). Wagtail's admin still writes inline
scripts and styles of its own, so pages under the admin prefix get
``ADMIN_CONTENT_SECURITY_POLICY`` instead, which allows them and nothing from outside.
"""

from django.conf import settings
from django.urls import reverse

from csp.middleware import CSPMiddleware, PolicyParts


def admin_prefix():
    return reverse("wagtailadmin_home")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(admin_prefix())
        ):
            return PolicyParts(
                settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"],
                parts.update,
                parts.replace,
                parts.nonce,
            )
        return parts


class PermissionsPolicyMiddleware:
    """Turns off the browser features no page of ours uses (camera, microphone, geolocation…)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
        return response
