"""Importing citizens' messages from a CSV or XLSX file: upload, preview, commit.

1. The upload form reads and checks the whole file (``parsing`` and ``validation``); problems with
   the file as a whole (format, size, missing columns) are shown on the form.
2. The checked rows are kept server-side in a private file with a random name (``pending``) and
   the preview shows the first rows and every error with its row.
3. The commit refuses a file with errors and hands the rest to the worker (``jobs``), which
   registers every row in one transaction, or none.
4. The job's page shows the progress and then the outcome.
"""

import csv
import io
import logging
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsroom.casework.intake.importing import jobs, parsing, validation
from newsroom.casework.intake.importing.forms import CaseImportForm
from newsroom.casework.intake.importing.pending import (
    SESSION_KEY,
    claim_pending,
    forget_pending,
    load_pending,
    save_pending,
)
from newsroom.models import Case, CaseImport, CaseImportState, CaseKind, Network
from newsroom.networks import CASE_NETWORKS
from newsroom.organisation import local_datetime, organisation_settings

logger = logging.getLogger(__name__)

PERMISSION = "newsroom.add_case"
PREVIEW_ROWS = 50


def plural(n, one, few, many):
    """Russian plural: 1 сообщение, 2 сообщения, 5 сообщений, 21 сообщение."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def organisation_tz():
    try:
        return zoneinfo.ZoneInfo(organisation_settings().time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# Views -------------------------------------------------------------------------------------


class ImportPermissionMixin:
    """Curators, the press office and administrators: whoever may register cases."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied  # Wagtail's admin turns this into its usual redirect
        return super().dispatch(request, *args, **kwargs)


class CaseImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Step 1 (GET, POST): the upload form. Step 2 (GET ?preview=…): the preview."""

    page_title = "Импорт сообщений"
    header_icon = "upload"
    upload_template_name = "newsroom/importing/upload.html"
    preview_template_name = "newsroom/importing/preview.html"

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("newsroom_case_import"), "label": self.page_title},
        ]
        if self.template_name == self.preview_template_name:
            items.append({"url": "", "label": "Проверка файла"})
        return items

    def get_page_subtitle(self):
        return "Проверка файла" if self.template_name == self.preview_template_name else ""

    def get(self, request):
        token = request.GET.get("preview")
        if token is None:
            return self.render_upload(CaseImportForm(tz=organisation_tz()))
        pending = load_pending(request, token)
        if pending is None:
            messages.warning(
                request,
                "Проверенный файл не найден: он уже загружен или устарел. Выберите файл снова.",
            )
            return redirect("newsroom_case_import")
        return self.render_preview(token, pending)

    def post(self, request):
        tz = organisation_tz()
        form = CaseImportForm(request.POST, request.FILES, tz=tz)
        if not form.is_valid():
            return self.render_upload(form)
        result = form.result
        payload = {
            "user": request.user.pk,
            "filename": form.cleaned_data["file"].name,
            "source": form.cleaned_data["source"],
            "format": form.parsed.description,
            "ignored_headers": form.parsed.ignored_headers,
            **validation.to_json(result),
        }
        forget_pending(request)
        token = save_pending(payload)
        request.session[SESSION_KEY] = token
        return redirect(f"{reverse('newsroom_case_import')}?preview={token}")

    def render_upload(self, form):
        self.template_name = self.upload_template_name
        context = self.get_context_data(
            form=form,
            action_url=reverse("newsroom_case_import"),
            submit_button_label="Проверить файл",
            submit_button_active_label="Проверяю файл…",
            template_url=reverse("newsroom_case_import_template"),
            columns=column_help(),
            max_rows=parsing.MAX_ROWS,
            max_megabytes=parsing.MAX_BYTES // (1024 * 1024),
        )
        return self.render_to_response(context)

    def render_preview(self, token, pending):
        self.template_name = self.preview_template_name
        tz = organisation_tz()
        rows = pending["rows"]
        errors = pending["errors"]
        count = len(rows)
        ids = [row["data"]["external_id"] for row in rows if row["data"].get("external_id")]
        context = self.get_context_data(
            token=token,
            pending=pending,
            total=pending["total"],
            valid_count=count,
            errors=errors,
            error_rows=len({error["row"] for error in errors}),
            preview_rows=[preview_row(row, tz) for row in rows[:PREVIEW_ROWS]],
            preview_limit=PREVIEW_ROWS,
            without_id=count - len(ids),
            already_there=count_existing(pending["source"], ids),
            commit_url=reverse("newsroom_case_import_commit"),
            upload_url=reverse("newsroom_case_import"),
            commit_label=f"Загрузить {count} {plural(count, 'сообщение', 'сообщения', 'сообщений')}",
            rows_word=plural(pending["total"], "строка", "строки", "строк"),
            errors_word=plural(len(errors), "ошибка", "ошибки", "ошибок"),
        )
        return self.render_to_response(context)


class CaseImportCommitView(ImportPermissionMixin, View):
    """Step 3 (POST): every row of the checked file registered in one transaction."""

    def get(self, request):
        return redirect("newsroom_case_import")

    def post(self, request):
        token = request.POST.get("token", "")
        pending = load_pending(request, token)
        if pending is None:
            messages.error(
                request,
                "Нечего загружать: файл уже загружен или проверка устарела. Выберите файл снова.",
            )
            return redirect("newsroom_case_import")
        preview_url = f"{reverse('newsroom_case_import')}?preview={token}"
        if pending["errors"] or not pending["rows"]:
            messages.error(
                request,
                "В файле есть ошибки — ничего не загружено. Исправьте файл и выберите его снова.",
            )
            return redirect(preview_url)
        claimed = claim_pending(token)
        if claimed is None:
            messages.error(request, "Этот файл уже загружается или загружен.")
            return redirect("newsroom_case_import")
        job = jobs.start(payload=pending, token=token, claimed=claimed, user=request.user)
        return redirect("newsroom_case_import_job", pk=job.pk)


class CaseImportJobView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Step 4: the load in the worker, as it goes; the page refreshes itself until it ends."""

    page_title = "Импорт сообщений"
    page_subtitle = "Загрузка"
    header_icon = "upload"
    template_name = "newsroom/importing/job.html"
    REFRESH_SECONDS = 2

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("newsroom_case_import"), "label": self.page_title},
            {"url": "", "label": self.page_subtitle},
        ]

    def get(self, request, pk):
        job = CaseImport.objects.filter(pk=pk).first()
        if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
            raise Http404
        lost = jobs.lost(job)
        done = jobs.processed(job)
        context = self.get_context_data(
            job=job,
            lost=lost,
            processed=done,
            percent=round(100 * done / job.total) if job.total else 100,
            refresh=None if job.finished or lost else self.REFRESH_SECONDS,
            preview_url=(
                f"{reverse('newsroom_case_import')}?preview={job.token}"
                if job.state == CaseImportState.FAILED and load_pending(request, job.token)
                else None
            ),
            inbox_url=reverse("cases:index"),
            upload_url=reverse("newsroom_case_import"),
        )
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        if context["refresh"]:
            response["Refresh"] = str(context["refresh"])
        return response


class CaseImportTemplateView(ImportPermissionMixin, View):
    """A sample CSV: the Russian headers, in UTF-8 with BOM and semicolons, as Excel likes it."""

    def get(self, request):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerow(
            parsing.COLUMN_TITLES[name] for name in parsing.FIELDS
        )
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="import-soobshchenij.csv"'
        return response


# Helpers -----------------------------------------------------------------------------------


def count_existing(source, ids):
    """How many of these numbers are already registered from this source."""
    found = 0
    for start in range(0, len(ids), 500):
        found += Case.objects.filter(
            source=source, external_id__in=ids[start : start + 500]
        ).count()
    return found


def preview_row(item, tz):
    data = validation.data_from_json(item["data"])

    def local(name):
        moment = data.get(name)
        return local_datetime(moment, tz)

    return {
        "row": item["row"],
        "external_id": data.get("external_id", ""),
        "network": Network(data["network"]).label,
        "kind": CaseKind(data["kind"]).label,
        "is_high_importance": data["kind"] == CaseKind.HIGH_IMPORTANCE,
        "author": data.get("author_name", "") or data.get("author_id", ""),
        "text": data["text"],
        "url": data.get("url", ""),
        "category": data.get("category", ""),
        "published_at": local("published_at"),
        "detected_at": local("detected_at"),
        "received_at": local("received_at"),
    }


COLUMN_NOTES = {
    "external_id": "номер сообщения в источнике; повторно с тем же номером не регистрируется",
    "network": ", ".join(str(label) for _value, label in CASE_NETWORKS),
    "url": "ссылка на сообщение, https://…",
    "author_name": "имя автора",
    "author_id": "идентификатор автора в сети",
    "text": "текст сообщения",
    "published_at": "ДД.ММ.ГГГГ ЧЧ:ММ",
    "detected_at": "ДД.ММ.ГГГГ ЧЧ:ММ — от этого момента считаются сроки",
    "received_at": "ДД.ММ.ГГГГ ЧЧ:ММ — когда получено от куратора",
    "category": "тематика сообщения",
    "kind": "по умолчанию «Инцидент»; также: "
    + ", ".join(f"«{label}»" for value, label in CaseKind.choices if value != CaseKind.INCIDENT),
}


def column_help():
    return [
        {
            "title": parsing.COLUMN_TITLES[name],
            "required": name in validation.REQUIRED_FIELDS,
            "note": COLUMN_NOTES[name],
        }
        for name in parsing.FIELDS
    ]
