"""Background work of the newsroom, run by the django-q2 worker."""

import logging

from django.core.management import call_command

logger = logging.getLogger(__name__)

SCHEDULES = [
    {
        "func": "newsroom.tasks.publish_scheduled_pages",
        "name": "Публикация по расписанию",
        "minutes": 1,
    },
    {
        "func": "newsroom.tasks.escalate_deadlines",
        "name": "Напоминания о сроках ответов",
        "minutes": 1,
    },
    {
        "func": "newsroom.tasks.close_broadcasts",
        "name": "Вопросы к прошедшим эфирам — в обращения",
        "minutes": 5,
    },
    {
        "func": "newsroom.tasks.send_monthly_report",
        "name": "Ежемесячный анализ сообщений (в первый рабочий день месяца)",
        "minutes": 60,
    },
]


def publish_scheduled_pages():
    """Publishes pages whose go-live time has come and unpublishes expired ones."""
    call_command("publish_scheduled")


def escalate_deadlines():
    """Reminds executors and alerts curators about deadlines of citizens' messages."""
    from newsroom.casework.services.escalation import run_escalations

    return run_escalations()


def notify_case_registered(case_id):
    """Alerts the curators about a newly registered high-importance case."""
    from newsroom.casework.services import cases

    return cases.notify_registered(case_id)


def notify_case_assigned(case_id, executor_id):
    """Tells the executor a case is theirs, with its deadlines (queued by routing)."""
    from newsroom.casework.services import cases

    return cases.notify_assigned(case_id, executor_id)


def check_surge(case_id):
    """Counts the messages on the new case's topic and address (queued by registration)."""
    from newsroom.reports import surges

    return len(surges.check(case_id))


def send_monthly_report():
    """Sends last month's analysis on the first working day of the month, once."""
    from newsroom.reports import delivery

    return delivery.send_monthly_report() is not None


def run_case_import(job_id):
    """Loads a committed import file (queued by the import's commit step)."""
    from newsroom.casework.intake.importing import jobs

    return jobs.run(job_id)


def ensure_schedules(schedules=SCHEDULES):
    """Creates or updates django-q2 schedules (the newsroom's unless given), by function name."""
    from django_q.models import Schedule

    for spec in schedules:
        Schedule.objects.update_or_create(
            func=spec["func"],
            defaults={
                "name": spec["name"],
                "schedule_type": Schedule.MINUTES,
                "minutes": spec["minutes"],
                "repeats": -1,
            },
        )


def close_broadcasts():
    """Registers the unanswered questions of finished broadcasts as cases, once per broadcast."""
    from newsroom.broadcasts import services

    return services.close_finished()
