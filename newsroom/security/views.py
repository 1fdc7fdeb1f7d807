"""«Блокировки входа»: administrators see the usernames and addresses locked out by django-axes
and unlock them (a colleague who forgot her password must not wait for the cool-off)."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from axes.models import AccessAttempt
from axes.utils import reset

from newsroom import roles
from newsroom.http import forbidden


def may_unlock(user):
    return roles.holds_role(user, roles.ADMINISTRATORS)


def current_lockouts():
    """Attempts at or over the limit within the cool-off time, newest first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


class LockoutListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsroom/security/lockouts.html"
    page_title = gettext_lazy("Блокировки входа")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not may_unlock(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # The header shows the last crumb: this screen's own title, not «Главная».
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=list(current_lockouts()),
            limit=settings.AXES_FAILURE_LIMIT,
            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )


@require_POST
def unlock(request, pk):
    if not may_unlock(request.user):
        return forbidden(request)
    attempt = AccessAttempt.objects.filter(pk=pk).first()
    if attempt is None:
        messages.warning(request, _("Эта блокировка уже снята или истекла."))
    else:
        reset(ip=attempt.ip_address, username=attempt.username)
        messages.success(
            request,
            _("Вход для «%(username)s» с адреса %(ip)s разблокирован.")
            % {"username": attempt.username, "ip": attempt.ip_address},
        )
    return redirect("newsroom_lockouts")
