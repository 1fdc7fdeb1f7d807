"""The urgent publication form, the head's sign-off and the report «Опубликовано без утверждения»."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from newsroom.models import UrgentPublication

from . import services
from .forms import UrgentPublicationForm


class UrgentPublicationView(WagtailAdminTemplateMixin, FormView):
    """«Срочная публикация»: the page's latest version, published now with a reason."""

    template_name = "newsroom/urgent/publish.html"
    form_class = UrgentPublicationForm
    page_title = gettext_lazy("Срочная публикация")
    header_icon = "warning"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not services.may_publish_urgently(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=(self.page.pk,)),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.page.get_latest_revision()
        context.update(
            page=self.page,
            revision=revision,
            nothing_to_publish=self.page.live and not self.page.has_unpublished_changes,
            in_workflow=self.page.current_workflow_state is not None,
        )
        return context

    def form_valid(self, form):
        try:
            services.publish_urgently(self.page, self.request.user, form.cleaned_data["reason"])
        except services.UrgentPublicationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Материал «%s» опубликован. Заведующий отделом получил уведомление и утвердит его позже."
            )
            % self.page.get_admin_display_title(),
        )
        return redirect("wagtailadmin_pages:edit", self.page.pk)


@require_POST
def sign_off(request, pk):
    if not services.may_sign_off(request.user):
        raise PermissionDenied
    record = get_object_or_404(UrgentPublication.objects.select_related("page"), pk=pk)
    try:
        services.sign_off(record, request.user)
    except services.UrgentPublicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Срочная публикация «%s» утверждена.") % record.title)
    return redirect(_own_next(request) or reverse("newsroom_urgent_report"))


def _own_next(request):
    """Where the sign-off was given from (the dashboard, the report), if that is our own
    address: never another site, whatever the form carried."""
    target = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None


class UrgentPublicationReport(WagtailAdminTemplateMixin, ListView):
    """Every urgent publication with its reason; those awaiting sign-off first."""

    template_name = "newsroom/urgent/report.html"
    page_title = gettext_lazy("Опубликовано без утверждения")
    header_icon = "warning"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("newsroom.view_urgentpublication"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # The header shows the last crumb: this screen's own title, not «Главная».
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_queryset(self):
        records = UrgentPublication.objects.select_related("page", "published_by", "signed_off_by")
        if self.request.GET.get("state") == "awaiting":
            records = records.awaiting_sign_off()
        return records

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            awaiting_count=UrgentPublication.objects.awaiting_sign_off().count(),
            only_awaiting=self.request.GET.get("state") == "awaiting",
            may_sign_off=services.may_sign_off(self.request.user),
        )
        return context
