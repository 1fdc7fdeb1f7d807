"""«Комментарии»: the moderation inbox of comments under the official accounts' posts, and one
comment's page with its thread, its history and the moderator's actions.

For those who hold ``social_sync.moderate_comment`` (editors, the head of the press office,
administrators); everyone else gets 403.
"""

import functools

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

import django_filters

from newsroom.http import forbidden
from newsroom.organisation import local_datetime
from newsroom.pagination import CountingPaginator
from newsroom.validators import plain_line, plain_text
from social_sync.comment_rules import RULES
from social_sync.models import (
    Comment,
    CommentStatus,
    ModerationEvent,
    RemoteState,
    SocialAccount,
)
from social_sync.services import moderation
from social_sync.services.moderation import BAN_PERIODS, BAN_REASONS, RULE_NAMES, ModerationError
from social_sync.views import AccountFilter

PERMISSION = "social_sync.moderate_comment"
PAGE_SIZE = 50
TEXT_SHOWN_CHARS = 140


def can_moderate(user):
    return user.is_active and user.has_perm(PERMISSION)


def moderator_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_moderate(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Состояние"),
        choices=CommentStatus.choices,
        empty_label=gettext_lazy("Все"),
        widget=forms.Select,
    )
    account = AccountFilter(
        label=gettext_lazy("Аккаунт"),
        queryset=SocialAccount.objects.order_by("network", "name"),
        empty_label=gettext_lazy("Все"),
        widget=forms.Select,
    )
    flag = django_filters.ChoiceFilter(
        label=gettext_lazy("Нарушение"),
        choices=[("any", gettext_lazy("Любое")), *[(r, RULE_NAMES[r]) for r in RULES]],
        empty_label=gettext_lazy("Все"),
        method="filter_flag",
        widget=forms.Select,
    )
    author = django_filters.CharFilter(
        label=gettext_lazy("Автор (ID или имя)"), method="filter_author"
    )
    post = django_filters.NumberFilter(
        label=gettext_lazy("Пост (номер в системе)"), method="filter_post"
    )

    class Meta:
        model = Comment
        fields = []

    def filter_flag(self, queryset, name, value):
        queryset = queryset.filter(is_flagged=True)
        if value != "any":
            queryset = queryset.filter(flag_rules__contains=f",{value},")
        return queryset

    def filter_author(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.lstrip("-").isdigit():  # an ID: the index, not a scan of the names
            return queryset.filter(author_id=value)
        return queryset.filter(author_key__contains=value.lower())

    def filter_post(self, queryset, name, value):
        return queryset.filter(post_id=value)


class PlainColumn(Column):
    """A text cell written out directly: the same markup as Wagtail's cell template, without a
    template render per cell (fifty rows of five such cells were half of the page's time)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, value)
        return format_html("<td>{}</td>", "" if value is None else value)


def comment_url(comment):
    return reverse("social_sync:comment", args=[comment.pk])


def flags_text(comment):
    return ", ".join(RULE_NAMES.get(f.get("rule"), f.get("rule")) for f in comment.flags or ())


class CommentInboxView(IndexView):
    """Comments of citizens, newest first; new ones by default."""

    paginator_class = CountingPaginator
    model = Comment
    permission_policy = None
    any_permission_required = None
    index_url_name = "social_sync:comments"
    index_results_url_name = "social_sync:comments_results"
    page_title = gettext_lazy("Комментарии")
    header_icon = "comment"
    paginate_by = PAGE_SIZE
    filterset_class = CommentFilterSet
    default_ordering = "-published_at"
    table_classname = "listing social-comments-listing"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def verbose_name_plural(self):
        return _("комментарии")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in self.request.GET:  # the moderator's queue: new ones first
            data = kwargs["data"].copy()
            data["status"] = CommentStatus.NEW
            kwargs["data"] = data
        return kwargs

    def get_base_queryset(self):
        return Comment.objects.of_citizens().select_related("account")

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering or self.default_ordering, "-pk")

    def get_valid_orderings(self):
        return ["published_at", "-published_at"]

    def get_add_url(self):
        return None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "text",
                label=_("Комментарий"),
                accessor=lambda c: Truncator(c.text or _("(без текста)")).chars(TEXT_SHOWN_CHARS),
                get_url=comment_url,
                width="38%",
            ),
            PlainColumn(
                "author_name", label=_("Автор"), accessor=lambda c: c.author_name or c.author_id
            ),
            PlainColumn(
                "account",
                label=_("Аккаунт"),
                accessor=lambda c: f"{c.account.name} ({c.account.get_network_display()})",
            ),
            PlainColumn("flags", label=_("Нарушения"), accessor=flags_text),
            PlainColumn(
                "status",
                label=_("Состояние"),
                accessor=lambda c: (
                    c.get_status_display()
                    + (_(" · удалён из соцсети") if c.remote_state == RemoteState.HIDDEN else "")
                ),
            ),
            PlainColumn(
                "published_at",
                label=_("Написан"),
                accessor=lambda c: local_datetime(c.published_at),
                sort_key="published_at",
            ),
        ]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ответ от имени сообщества"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        validators=[plain_text],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина"),
        max_length=500,
        validators=[plain_line],
        error_messages={"required": gettext_lazy("Укажите причину — она попадёт в журнал.")},
    )


class BanForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Причина"), choices=BAN_REASONS)
    period = forms.ChoiceField(label=gettext_lazy("Срок"), choices=BAN_PERIODS, required=False)
    note = forms.CharField(
        label=gettext_lazy("Комментарий для автора"),
        max_length=500,
        required=False,
        validators=[plain_line],
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CommentStatus.choices)


def _thread(comment):
    root_id = comment.thread_root_id or comment.remote_id
    rows = (
        Comment.objects.filter(post_id=comment.post_id)
        .filter(Q(remote_id=root_id) | Q(thread_root_id=root_id))
        .order_by("published_at", "pk")
    )
    return list(rows)


THREAD_SHOWN = 10


def _comment_at(case):
    """The stored comment the case's link points at (by the comment's unique key), or None."""
    from social_sync.clients import ok, vk

    if case.network == "vk":
        target = vk.reply_target(case.url)
        owner = str(abs(target["owner_id"])) if target else ""
        post = str(target["post_id"]) if target else ""
    elif case.network == "ok":
        target = ok.reply_target(case.url)
        owner, post = (target["gid"], target["topic_id"]) if target else ("", "")
    else:
        return None
    if not target or not target.get("comment_id"):
        return None
    return (
        Comment.objects.filter(
            network=case.network,
            owner_id=owner,
            post_remote_id=post,
            remote_id=str(target["comment_id"]),
        )
        .select_related("post")
        .first()
    )


def thread_of_case(case):
    """The comment a case came from (taken into work here, or the one its link points at), with
    its post and up to ten comments of its thread; None when the case is not a comment of ours."""
    comment = Comment.objects.filter(case=case).select_related("post").first()
    if comment is None:
        comment = _comment_at(case)
    if comment is None:
        return None
    thread = _thread(comment)
    if len(thread) > THREAD_SHOWN:  # the start of the thread and what is around the comment
        at = next(i for i, item in enumerate(thread) if item.pk == comment.pk)
        start = max(1, min(at - THREAD_SHOWN // 2, len(thread) - THREAD_SHOWN + 1))
        thread = [thread[0], *thread[start : start + THREAD_SHOWN - 1]]
    return {"comment": comment, "post": comment.post, "thread": thread}


@moderator_required
def comment_detail(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("account", "post", "post__page", "case"), pk=pk
    )
    ban = moderation.active_ban(comment.account, comment.author_id) if comment.author_id else None
    context = {
        "comment": comment,
        "thread": _thread(comment),
        "events": ModerationEvent.objects.filter(comment=comment).select_related("actor")[:100],
        "flags": [
            {"rule": RULE_NAMES.get(f.get("rule"), f.get("rule")), "evidence": f.get("evidence")}
            for f in comment.flags or ()
        ],
        "ban": ban,
        "reply_form": ReplyForm(),
        "reason_form": ReasonForm(),
        "ban_form": BanForm(),
        "page_title": _("Комментарий"),
        "inbox_url": reverse("social_sync:comments"),
        "can_restore": comment.remote_state == RemoteState.HIDDEN and comment.network == "vk",
        "replies": comment.replies.order_by("pk"),
        "is_hidden": comment.remote_state == RemoteState.HIDDEN,
    }
    return TemplateResponse(request, "social_sync/comments/detail.html", context)


def _back(comment):
    return redirect("social_sync:comment", comment.pk)


def _run(request, comment, action, success):
    try:
        action()
    except ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _back(comment)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@moderator_required
@require_POST
def comment_action(request, pk, action):
    comment = get_object_or_404(Comment.objects.select_related("account"), pk=pk)
    user = request.user
    if comment.is_ours:
        messages.error(request, _("Это ответ нашего аккаунта, его не модерируют."))
        return _back(comment)
    if action == "reply":
        form = ReplyForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(comment)
        return _run(
            request,
            comment,
            lambda: moderation.reply(comment, user, form.cleaned_data["text"]),
            _("Ответ поставлен в очередь отправки и появится под комментарием в течение минуты."),
        )
    if action in ("hide", "restore"):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(comment)
        do = moderation.hide if action == "hide" else moderation.restore
        done = (
            _("Комментарий удалён из соцсети; его текст сохранён в журнале.")
            if action == "hide"
            else _("Комментарий восстановлен в соцсети.")
        )
        return _run(request, comment, lambda: do(comment, user, form.cleaned_data["reason"]), done)
    if action == "ban":
        form = BanForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(comment)
        period = form.cleaned_data["period"]
        return _run(
            request,
            comment,
            lambda: moderation.ban(
                comment,
                user,
                reason=form.cleaned_data["reason"],
                days=int(period) if period else None,
                note=form.cleaned_data["note"],
            ),
            _("Автор заблокирован в сообществе."),
        )
    if action in ("unban", "unban_by_hand"):
        record = moderation.active_ban(comment.account, comment.author_id)
        if record is None:
            messages.warning(request, _("Автор не заблокирован."))
            return _back(comment)
        return _run(
            request,
            comment,
            lambda: moderation.unban(
                record, user, comment, lifted_by_hand=action == "unban_by_hand"
            ),
            _("Блокировка автора снята."),
        )
    if action == "case":
        try:
            case = moderation.to_case(comment, user)
        except ModerationError as error:
            messages.error(request, str(error))
            return _back(comment)
        messages.success(
            request, _("Комментарий взят в работу как сообщение № %(n)s.") % {"n": case.pk}
        )
        return redirect("cases:detail", case.pk)
    if action == "status":
        form = StatusForm(request.POST)
        if form.is_valid():
            moderation.set_status(comment, user, form.cleaned_data["status"])
            messages.success(request, _("Состояние комментария изменено."))
        return _back(comment)
    return forbidden(request)


NEW_BADGE_KEY = "social_sync:new-comments"
NEW_BADGE_SECONDS = 60
NEW_BADGE_CAP = 1000


def cached_new_count():
    """For the menu on every admin page: counted at most once a minute."""
    from django.core.cache import cache

    count = cache.get(NEW_BADGE_KEY)
    if count is None:
        new = Comment.objects.of_citizens().filter(status=CommentStatus.NEW)
        # Counted up to the cap only: «новых: 1000+» says enough, and stays cheap.
        count = new[:NEW_BADGE_CAP].count()
        cache.set(NEW_BADGE_KEY, count, NEW_BADGE_SECONDS)
    return f"{NEW_BADGE_CAP}+" if count >= NEW_BADGE_CAP else count


def dashboard_counts():
    """New and flagged comments per account, for the dashboard."""
    from django.db.models import Count

    rows = (
        Comment.objects.of_citizens()
        .filter(status=CommentStatus.NEW)
        .values("account_id")
        .annotate(new=Count("pk"), flagged=Count("pk", filter=Q(is_flagged=True)))
    )
    counts = {row["account_id"]: row for row in rows}
    accounts = SocialAccount.objects.filter(pk__in=counts).order_by("network", "name")
    return [
        {
            "account": account,
            "new": counts[account.pk]["new"],
            "flagged": counts[account.pk]["flagged"],
            "url": reverse("social_sync:comments") + f"?status=new&account={account.pk}",
            "flagged_url": reverse("social_sync:comments")
            + f"?status=new&flag=any&account={account.pk}",
        }
        for account in accounts
    ]
