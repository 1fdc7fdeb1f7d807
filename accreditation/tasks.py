"""Background work of the accreditation, run by the django-q2 worker."""

import logging

logger = logging.getLogger(__name__)

# Daily jobs are every 1,440 minutes from the first migrate: the state of a card never depends on
# the hour they run (it is computed from valid_until), so the time of day does not matter.
DAY = 24 * 60
SCHEDULES = [
    {
        "func": "accreditation.tasks.expire_accreditations",
        "name": "Аккредитация: окончание срока карточек",
        "minutes": DAY,
    },
    {
        "func": "accreditation.tasks.remind_to_reapply",
        "name": "Аккредитация: напоминание о новой аккредитации (декабрь)",
        "minutes": DAY,
    },
    {
        "func": "accreditation.tasks.apply_retention",
        "name": "Аккредитация: удаление персональных данных по сроку хранения",
        "minutes": DAY,
    },
    {
        "func": "accreditation.tasks.deliver_announcements",
        "name": "Аккредитация: рассылка анонсов (очередь и повторы)",
        "minutes": 1,
    },
]


def expire_accreditations():
    from accreditation.services.cycle import expire

    return expire()


def remind_to_reapply():
    from accreditation.services.cycle import remind

    return remind()


def apply_retention():
    from accreditation.services.personal_data import apply_retention as run

    return run()


def deliver_announcement(announcement_id):
    from accreditation.services.announcements import deliver_all

    return deliver_all(announcement_id)


def deliver_announcements():
    from accreditation.services.announcements import deliver_all

    return deliver_all()


def ensure_schedules():
    from newsroom.tasks import ensure_schedules as ensure

    ensure(SCHEDULES)
