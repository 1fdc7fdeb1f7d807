"""On the case page: which of our accounts answers a message on a foreign VK page.

For curators and administrators (they route and approve); the form appears only while the case
is open and its message is on a VK wall none of our accounts owns.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from newsroom.casework.access import case_roles
from newsroom.casework.rules.lifecycle import Role
from newsroom.http import forbidden
from newsroom.models import Case
from social_sync.models import OutboxAction, OutboxItem, ReplyAccountChoice
from social_sync.services import replies

CLOSED = ("answered", "closed_no_answer")


class ReplyAccountForm(forms.Form):
    account = forms.ModelChoiceField(
        label=gettext_lazy("Разместить ответ от имени"),
        queryset=replies.accounts_for_foreign_pages(),
        required=False,
        empty_label=gettext_lazy("— вручную, ссылкой ниже —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].label_from_instance = lambda obj: (
            f"{obj.name} ({obj.get_kind_display()})"
        )


def may_choose(user, case):
    return bool(case_roles(user, case) & {Role.CURATOR, Role.ADMIN})


def actions_html(request, case):
    if case.status in CLOSED or not may_choose(request.user, case):
        return []
    if replies.foreign_vk_target(case) is None or not replies.accounts_for_foreign_pages().exists():
        return []
    if OutboxItem.objects.filter(case=case, action=OutboxAction.REPLY).exists():
        return []  # the system is placing it already: the notes say where
    choice = ReplyAccountChoice.objects.filter(case=case).select_related("account").first()
    form = ReplyAccountForm(initial={"account": choice.account_id if choice else None})
    return [
        render_to_string(
            "social_sync/case_reply_account.html",
            {"form": form, "case": case, "choice": choice},
            request=request,
        )
    ]


@require_POST
def choose_reply_account(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if not may_choose(request.user, case):
        return forbidden(request)
    if case.status in CLOSED or replies.foreign_vk_target(case) is None:
        messages.error(request, _("Для этого сообщения аккаунт для ответа не выбирается."))
        return redirect("cases:detail", case.pk)
    form = ReplyAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите аккаунт из списка."))
        return redirect("cases:detail", case.pk)
    account = form.cleaned_data["account"]
    row = replies.choose_account(case, account, request.user)
    if account is None:
        messages.success(request, _("Ответ будет размещён вручную."))
    elif row is not None:
        messages.success(
            request,
            _("Согласованный ответ размещается от имени «%(name)s».") % {"name": account.name},
        )
    else:
        messages.success(
            request,
            _("После согласования ответ разместит «%(name)s».") % {"name": account.name},
        )
    return redirect("cases:detail", case.pk)
