"""Admin screens of crossposting: the outbox, the posting norms report, retry and the sandbox.

Every screen is for editors and administrators only (403 for everyone else).
"""

import functools

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin

import django_filters

from newsroom.http import forbidden
from newsroom.organisation import local_datetime
from newsroom.pagination import CountingPaginator
from social_sync import reports
from social_sync.models import (
    OutboxAction,
    OutboxItem,
    OutboxState,
    SandboxPost,
    SocialAccount,
)
from social_sync.permissions import can_manage_social, can_read_social_reports
from social_sync.services.outbox import mark_posted, retry, retry_failed_of

OUTBOX_PAGE_SIZE = 50
ERROR_SHOWN_CHARS = 160
FAILED_BADGE_KEY = "social_sync:failed-count"
FAILED_BADGE_SECONDS = 60


def manager_required(view):
    """Wraps a view (function or ``as_view()``) so that only editors and administrators reach
    it; everyone else gets 403."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_social(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


class ManagerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_social(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ReportReaderRequiredMixin:
    """The calendar and the norms report: the managers and the head of the press office."""

    def dispatch(self, request, *args, **kwargs):
        if not can_read_social_reports(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def failed_count():
    return OutboxItem.objects.filter(state=OutboxState.FAILED).count()


def cached_failed_count():
    """For the menu badge on every admin page: counted at most once a minute."""
    count = cache.get(FAILED_BADGE_KEY)
    if count is None:
        count = failed_count()
        cache.set(FAILED_BADGE_KEY, count, FAILED_BADGE_SECONDS)
    return count


def forget_failed_count():
    cache.delete(FAILED_BADGE_KEY)


@manager_required
def retry_delivery(request, pk):
    item = get_object_or_404(OutboxItem.objects.select_related("account"), pk=pk)
    next_url = _safe_next(request, reverse("social_sync:outbox"))
    context = {"item": item, "next_url": next_url, "page_title": _("Повторить отправку")}
    if request.method == "POST":
        action = request.POST.get("action")
        if item.needs_check and action == "posted":
            return _mark_posted(request, item, next_url, context)
        if item.needs_check and action != "resend":
            messages.warning(request, _("Сначала проверьте канал и выберите, что вы там увидели."))
            return redirect(request.get_full_path())
        if retry(item, request.user, checked_absent=item.needs_check):
            forget_failed_count()
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
    return TemplateResponse(request, "social_sync/retry_confirm.html", context)


class PostedLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Ссылка на пост в канале"),
        assume_scheme="https",
        max_length=500,
        error_messages={
            "required": _("Вставьте ссылку на пост, который вы нашли в канале."),
            "invalid": _("Вставьте ссылку целиком, начиная с https://."),
        },
    )


def _mark_posted(request, item, next_url, context):
    form = PostedLinkForm(request.POST)
    if not form.is_valid():
        context["posted_form"] = form
        return TemplateResponse(request, "social_sync/retry_confirm.html", context, status=400)
    if mark_posted(item, form.cleaned_data["url"], request.user):
        forget_failed_count()
        messages.success(
            request,
            _("Отправка «%(title)s» отмечена как опубликованная: повторно она не уйдёт.")
            % {"title": item.page_title},
        )
    else:
        messages.warning(request, _("Эта отправка уже не ждёт проверки."))
    return redirect(next_url)


@manager_required
def sandbox_post(request, pk):
    post = get_object_or_404(SandboxPost.objects.select_related("account"), pk=pk)
    return TemplateResponse(
        request,
        "social_sync/sandbox_post.html",
        {"post": post, "page_title": _("Пост в песочнице")},
    )


# The outbox.


class AccountChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_network_display()})"


class AccountFilter(django_filters.ModelChoiceFilter):
    field_class = AccountChoiceField


class OutboxFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Состояние"),
        choices=OutboxState.choices,
        empty_label=gettext_lazy("Все"),
        widget=forms.Select,
    )
    account = AccountFilter(
        label=gettext_lazy("Аккаунт"),
        queryset=SocialAccount.objects.order_by("network", "name"),
        empty_label=gettext_lazy("Все"),
        widget=forms.Select,
    )
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Действие"),
        choices=OutboxAction.choices,
        empty_label=gettext_lazy("Все"),
        widget=forms.Select,
    )

    class Meta:
        model = OutboxItem
        fields = []


class TemplateColumn(Column):
    """A column whose cell has its own template; ``extra`` adds to the cell's context."""

    def __init__(self, name, *, template, extra=None, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template
        self.extra = extra

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["item"] = instance
        if self.extra:
            context.update(self.extra(instance, parent_context))
        return context


def page_edit_url(item):
    if item.page_id:
        return reverse("wagtailadmin_pages:edit", args=[item.page_id])
    if item.case_id:  # a reply to a citizen: its case
        return reverse("cases:detail", args=[item.case_id])
    return None


class OutboxIndexView(ManagerRequiredMixin, IndexView):
    """«Очередь отправки»: every delivery to the social networks, failed ones to retry."""

    paginator_class = CountingPaginator
    model = OutboxItem
    permission_policy = None
    any_permission_required = None
    index_url_name = "social_sync:outbox"
    index_results_url_name = "social_sync:outbox_results"
    template_name = "social_sync/outbox_index.html"
    page_title = gettext_lazy("Очередь отправки")
    header_icon = "tasks"
    paginate_by = OUTBOX_PAGE_SIZE
    filterset_class = OutboxFilterSet
    default_ordering = "-updated_at"
    table_classname = "listing social-outbox-listing"

    @cached_property
    def verbose_name_plural(self):
        return _("отправки в соцсети")

    def get_base_queryset(self):
        return OutboxItem.objects.select_related("account")

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "-pk")

    def get_valid_orderings(self):
        return ["updated_at", "-updated_at", "created_at", "-created_at", "attempts", "-attempts"]

    def get_add_url(self):
        return None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def columns(self):
        next_url = self.request.get_full_path()
        if self.results_only:
            next_url = reverse(self.index_url_name) + (
                f"?{self.request.GET.urlencode()}" if self.request.GET else ""
            )
        return [
            TitleColumn(
                "page_title",
                label=_("Материал"),
                get_url=page_edit_url,
                width="24%",
            ),
            Column(
                "account",
                label=_("Аккаунт"),
                accessor=lambda item: f"{item.account.name} ({item.account.get_network_display()})",
                width="16%",
            ),
            Column("action", label=_("Действие"), accessor="get_action_display", width="9%"),
            TemplateColumn(
                "state",
                label=_("Состояние"),
                accessor="get_state_display",
                template="social_sync/outbox/state_cell.html",
                width="9%",
            ),
            Column("attempts", label=_("Попыток"), sort_key="attempts", width="6%"),
            TemplateColumn(
                "last_error",
                label=_("Последняя ошибка"),
                accessor=lambda item: Truncator(item.last_error).chars(ERROR_SHOWN_CHARS),
                template="social_sync/outbox/error_cell.html",
                width="18%",
            ),
            TemplateColumn(
                "remote_url",
                label=_("Пост"),
                template="social_sync/outbox/post_cell.html",
                width="6%",
            ),
            Column(
                "updated_at",
                label=_("Обновлено"),
                accessor=lambda item: local_datetime(item.updated_at),
                sort_key="updated_at",
                width="10%",
            ),
            TemplateColumn(
                "retry",
                label="",
                accessor=lambda item: item.pk,
                template="social_sync/outbox/retry_cell.html",
                extra=lambda item, context: {"next_url": next_url},
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failed_count"] = failed_count()
        context["failed_url"] = reverse("social_sync:outbox") + "?state=failed"
        context["failed_by_account"] = (
            SocialAccount.objects.filter(outbox__state=OutboxState.FAILED)
            .annotate(failed=Count("outbox"))
            .order_by("name")
        )
        context["next_url"] = self.request.get_full_path()
        return context


@manager_required
@require_POST
def retry_account(request, pk):
    """«Повторить все»: every failed delivery of one account back in the queue."""
    account = get_object_or_404(SocialAccount, pk=pk)
    count = retry_failed_of(account, request.user)
    forget_failed_count()
    if count:
        messages.success(
            request,
            _("Снова в очереди отправок в «%(account)s»: %(n)d.")
            % {"n": count, "account": account.name},
        )
    else:
        messages.warning(request, _("У этого аккаунта нет отправок с ошибкой."))
    return redirect(_safe_next(request, reverse("social_sync:outbox")))


# The posting norms report.


class NormsFilterForm(forms.Form):
    account = forms.ModelChoiceField(
        label=gettext_lazy("Аккаунт"),
        queryset=SocialAccount.objects.order_by("network", "name"),
        required=False,
        empty_label=gettext_lazy("Все аккаунты"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].label_from_instance = lambda obj: (
            f"{obj.name} ({obj.get_network_display()})"
        )


class NormsReportView(ReportReaderRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """P8 of the regulations: posts per week and account against the weekly norm."""

    template_name = "social_sync/norms_report.html"
    page_title = gettext_lazy("Нормы публикаций в соцсетях")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def filter_form(self):
        return NormsFilterForm(self.request.GET or None)

    def accounts(self):
        accounts = SocialAccount.objects.order_by("network", "name")
        form = self.filter_form
        if form.is_bound and form.is_valid() and form.cleaned_data["account"]:
            accounts = accounts.filter(pk=form.cleaned_data["account"].pk)
        return accounts

    @cached_property
    def report(self):
        return reports.posting_norms(self.accounts())

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_xlsx(self):
        content = reports.norms_xlsx(self.report)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"social-norms-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params["export"] = "xlsx"
        context.update(
            filter_form=self.filter_form,
            report=self.report,
            export_url=f"{reverse('social_sync:norms_report')}?{params.urlencode()}",
            weeks=reports.WEEKS,
        )
        return context
