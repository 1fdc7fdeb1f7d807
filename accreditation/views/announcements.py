"""«Анонс для аккредитованных СМИ»: an editor sends an event's announcement to every journalist
accredited now, and sees who was notified. Editors, the head of the office and administrators
only. The journalists' addresses are not shown: names and outlets are enough for the log."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from wagtail.admin import messages

from accreditation.admin_forms import AnnouncementForm
from accreditation.models import AnnouncementDelivery, DeliveryState
from accreditation.permissions import may_announce
from accreditation.services import announcements
from newsroom.models import EventPage
from newsroom.organisation import local_datetime


def announce(request, page_id):
    if not may_announce(request.user):
        return permission_denied(request, PermissionDenied())
    event = get_object_or_404(EventPage, pk=page_id)
    if request.method == "POST":
        form = AnnouncementForm(request.POST)
        if not event.live:
            messages.error(
                request, "Событие не опубликовано: опубликуйте его, затем отправьте анонс."
            )
        elif form.is_valid():
            _announcement, queued = announcements.announce(
                event, request.user, form.cleaned_data["subject"], form.cleaned_data["body"]
            )
            if queued:
                messages.success(request, f"Анонс поставлен в очередь отправки: писем — {queued}.")
            else:
                messages.warning(
                    request,
                    "Новых адресатов нет: все аккредитованные журналисты уже получили анонс "
                    "этого события.",
                )
            return redirect("accreditation:announce", page_id=event.pk)
    else:
        subject, body = announcements.default_text(event)
        form = AnnouncementForm(initial={"subject": subject, "body": body})
    deliveries = list(
        AnnouncementDelivery.objects.filter(event=event)
        .select_related("announcement__created_by")
        .order_by("recipient_name", "pk")
    )
    already = {d.email for d in deliveries}
    waiting = [
        card for card in announcements.recipients() if card.journalist.email.lower() not in already
    ]
    context = {
        "event": event,
        "form": form,
        "new_recipients": waiting,
        "deliveries": [
            {
                "name": d.recipient_name,
                "outlet": d.outlet_name,
                "state": d.get_state_display(),
                "state_key": d.state,
                "sent_at": local_datetime(d.sent_at),
                "queued_at": local_datetime(d.created_at),
                "by": (
                    d.announcement.created_by.get_full_name()
                    or d.announcement.created_by.get_username()
                )
                if d.announcement.created_by
                else "",
                "error": d.last_error if d.state != DeliveryState.SENT else "",
                "pk": d.pk,
            }
            for d in deliveries
        ],
        "sent_count": sum(d.state == DeliveryState.SENT for d in deliveries),
        "failed_count": sum(d.state == DeliveryState.FAILED for d in deliveries),
        "retry_url": reverse("accreditation:announce_retry", args=[event.pk]),
        "page_title": f"Анонс для аккредитованных СМИ: {event.title}",
        "header_icon": "mail",
        "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
    }
    return TemplateResponse(request, "accreditation/admin/announce.html", context)


@require_POST
def retry(request, page_id):
    """Queues the event's failed e-mails again, or one «uncertain» e-mail a person has checked."""
    if not may_announce(request.user):
        return permission_denied(request, PermissionDenied())
    event = get_object_or_404(EventPage, pk=page_id)
    delivery_id = request.POST.get("delivery")
    if delivery_id is not None and not delivery_id.isdigit():
        messages.error(request, "Не понятно, какое письмо отправить ещё раз.")
        return redirect("accreditation:announce", page_id=event.pk)
    count = announcements.retry(event, int(delivery_id) if delivery_id else None)
    if count:
        messages.success(request, f"Снова в очереди отправки: писем — {count}.")
    else:
        messages.warning(request, "Повторять нечего: неотправленных писем нет.")
    return redirect("accreditation:announce", page_id=event.pk)
