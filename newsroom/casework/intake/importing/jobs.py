"""Committed imports, loaded by the django-q2 worker: every row in one transaction, or none.

``start`` records a ``CaseImport`` for the claimed file and queues ``run``; the person watches
the job's page, which reads the progress the worker leaves in the cache every
``PROGRESS_EVERY`` rows (the rows themselves are invisible until the transaction commits).
"""

import json
import logging
from datetime import timedelta
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.casework.intake.importing import pending, validation
from newsroom.casework.services import cases as case_services
from newsroom.models import CaseImport, CaseImportState

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 25
# What one file may take the worker; a job running longer than this has lost its worker.
TASK_TIMEOUT = 60 * 60


def progress_key(job_id):
    return f"newsroom:case-import:{job_id}:processed"


def processed(job):
    """Rows stored so far (not yet committed while the job runs)."""
    if job.state == CaseImportState.DONE:
        return job.total
    return min(cache.get(progress_key(job.pk), 0), job.total)


def start(*, payload, token, claimed, user):
    job = CaseImport.objects.create(
        created_by=user,
        filename=payload["filename"],
        source=payload["source"],
        token=token,
        claimed_path=str(claimed),
        total=len(payload["rows"]),
    )
    from django_q.tasks import async_task

    async_task("newsroom.tasks.run_case_import", job.pk, timeout=TASK_TIMEOUT, group="case_import")
    return job


def failure_reason(error):
    if isinstance(error, case_services.CaseError):
        return str(error)
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, ObjectDoesNotExist):
        return "не настроен регламент для таких сообщений (Настройки организации)"
    return "внутренняя ошибка сервера (подробности в журнале)"


def _finish(job, state, message="", created=0, existed=0):
    CaseImport.objects.filter(pk=job.pk).update(
        state=state,
        message=message,
        created_count=created,
        existed_count=existed,
        finished_at=timezone.now(),
    )
    cache.delete(progress_key(job.pk))
    return state


def run(job_id):
    """Loads one committed file; a second delivery of the same task finds the job taken."""
    taken = CaseImport.objects.filter(pk=job_id, state=CaseImportState.QUEUED).update(
        state=CaseImportState.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return "skipped"
    job = CaseImport.objects.select_related("created_by").get(pk=job_id)
    claimed = Path(job.claimed_path)
    try:
        payload = json.loads(claimed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.exception("The checked file of import %s is gone", job.pk)
        return _finish(
            job, CaseImportState.FAILED, "Проверенный файл не найден. Выберите файл снова."
        )

    created = existed = 0
    row_number = None
    committed = []
    try:
        with transaction.atomic():
            # Runs first after the commit, before the notifications register_case queued:
            # an error in those must not be taken for a failed import.
            transaction.on_commit(lambda: committed.append(True))
            for n, item in enumerate(payload["rows"], start=1):
                row_number = item["row"]
                _case, was_created = case_services.register_case(
                    validation.data_from_json(item["data"]),
                    source=payload["source"],
                    actor=job.created_by,
                )
                if was_created:
                    created += 1
                else:
                    existed += 1
                if n % PROGRESS_EVERY == 0:
                    cache.set(progress_key(job.pk), n, TASK_TIMEOUT)
    except Exception as error:
        if committed:
            logger.exception("Notifications after the import of %s failed", job.filename)
            claimed.unlink(missing_ok=True)
            return _finish(
                job,
                CaseImportState.DONE,
                "Но не все уведомления о новых сообщениях удалось отправить.",
                created,
                existed,
            )
        logger.exception("Case import failed at row %s of %s", row_number, job.filename)
        try:
            pending.release(claimed, job.token)  # the owner may try again
        except OSError:
            logger.exception("Could not put back the checked file of import %s", job.pk)
        return _finish(
            job,
            CaseImportState.FAILED,
            f"Строка {row_number} не загружена: {failure_reason(error)}. "
            "Ничего не сохранено — ни одно сообщение из файла.",
        )
    claimed.unlink(missing_ok=True)
    return _finish(job, CaseImportState.DONE, "", created, existed)


def lost(job, now=None):
    """A job whose worker died: its transaction was rolled back, so nothing was stored."""
    now = now or timezone.now()
    if job.finished:
        return False
    since = job.started_at or job.created_at
    return since < now - timedelta(seconds=TASK_TIMEOUT + 60)
