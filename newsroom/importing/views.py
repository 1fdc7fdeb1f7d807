"""Importing citizens' messages from a CSV or XLSX file: upload, preview, commit.

1. The upload form reads and checks the whole file (``parsing`` and ``validation``); problems with
   the file as a whole (format, size, missing columns) are shown on the form.
2. The checked rows are kept server-side in a private file with a random name (its name is kept
   in the user's session) and the preview shows the first rows and every error with its row.
3. The commit registers every row in one transaction, or none: a file with errors is refused,
   and a failure in the middle rolls back what the earlier rows stored.
"""

import csv
import io
import json
import logging
import os
import re
import secrets
import time
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from newsroom.importing import parsing, validation
from newsroom.importing.forms import CaseImportForm
from newsroom.models import Case, CaseKind, Network
from newsroom.services import cases as case_services
from newsroom.services.clock import organisation_settings

logger = logging.getLogger(__name__)

PERMISSION = "newsroom.add_case"
PREVIEW_ROWS = 50
SESSION_KEY = "newsroom_case_import"
# A checked file nobody committed is forgotten after this many seconds.
KEEP_PENDING_FOR = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


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


# Checked files between the preview and the commit -----------------------------------------


def pending_directory():
    """Outside the public media URL space, readable by the application's own user only."""
    private = Path(settings.PRIVATE_STORAGE_ROOT)
    directory = private / "case-imports"
    for path in (private, directory):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _forget_stale(directory):
    limit = time.time() - KEEP_PENDING_FOR
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def save_pending(payload):
    directory = pending_directory()
    _forget_stale(directory)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(directory / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False)
    return token


def _pending_path(token):
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return pending_directory() / f"{token}.json"


def load_pending(request, token):
    """The checked file behind ``token``, if it is this user's latest one and still there."""
    path = _pending_path(token)
    if path is None or request.session.get(SESSION_KEY) != token:
        return None
    try:
        with open(path, encoding="utf-8") as file:
            payload = json.load(file)
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if payload.get("user") != request.user.pk:
        return None
    return payload


def forget_pending(request):
    path = _pending_path(request.session.pop(SESSION_KEY, None))
    if path is not None:
        path.unlink(missing_ok=True)


def claim_pending(token):
    """Takes the checked file for one commit: a second click (or tab) finds it gone."""
    path = _pending_path(token)
    claimed = path.with_name(f"{token}.{secrets.token_hex(4)}.committing")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


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

        created = existed = 0
        row_number = None
        committed = []
        try:
            with transaction.atomic():
                # Runs first after the commit, before the notifications register_case queued:
                # an error in those must not be taken for a failed import.
                transaction.on_commit(lambda: committed.append(True))
                for item in pending["rows"]:
                    row_number = item["row"]
                    _case, was_created = case_services.register_case(
                        validation.data_from_json(item["data"]),
                        source=pending["source"],
                        actor=request.user,
                    )
                    if was_created:
                        created += 1
                    else:
                        existed += 1
        except Exception as error:
            if committed:
                logger.exception("Notifications after the import of %s failed", pending["filename"])
                claimed.unlink(missing_ok=True)
                request.session.pop(SESSION_KEY, None)
                messages.warning(
                    request,
                    f"Загружено: {created}, уже были: {existed}. "
                    "Но не все уведомления о новых сообщениях удалось отправить.",
                )
                return redirect("newsroom_case_import")
            logger.exception("Case import failed at row %s of %s", row_number, pending["filename"])
            claimed.rename(_pending_path(token))  # the user may try again
            messages.error(
                request,
                f"Строка {row_number} не загружена: {failure_reason(error)}. "
                "Ничего не сохранено — ни одно сообщение из файла.",
            )
            return redirect(preview_url)

        claimed.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Загружено: {created}, уже были: {existed}")
        return redirect("newsroom_case_import")


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


def failure_reason(error):
    if isinstance(error, case_services.CaseError):
        return str(error)
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, ObjectDoesNotExist):
        return "не настроен регламент для таких сообщений (Настройки организации)"
    return "внутренняя ошибка сервера (подробности в журнале)"


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
        return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M") if moment else ""

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
    "network": ", ".join(str(label) for label in Network.labels),
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
