from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from social_sync.models import OutboxItem, OutboxState, SandboxPost
from social_sync.permissions import can_manage_social
from social_sync.services.outbox import retry


def _require_manager(request):
    if not can_manage_social(request.user):
        raise PermissionDenied


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def retry_delivery(request, pk):
    _require_manager(request)
    item = get_object_or_404(OutboxItem.objects.select_related("account"), pk=pk)
    next_url = _safe_next(request, "social_sync:outbox")
    if request.method == "POST":
        if retry(item, request.user):
            messages.success(
                request,
                _("Отправка «%(title)s» в «%(account)s» поставлена в очередь.")
                % {"title": item.page_title, "account": item.account.name},
            )
        else:
            messages.warning(request, _("Эта отправка уже не в состоянии ошибки."))
        return redirect(next_url)
    if item.state != OutboxState.FAILED:
        messages.warning(request, _("Эта отправка уже не в состоянии ошибки."))
        return redirect(next_url)
    return TemplateResponse(
        request,
        "social_sync/retry_confirm.html",
        {"item": item, "next_url": next_url, "page_title": _("Повторить отправку")},
    )


def sandbox_post(request, pk):
    _require_manager(request)
    post = get_object_or_404(SandboxPost.objects.select_related("account"), pk=pk)
    return TemplateResponse(
        request,
        "social_sync/sandbox_post.html",
        {"post": post, "page_title": _("Пост в песочнице")},
    )
